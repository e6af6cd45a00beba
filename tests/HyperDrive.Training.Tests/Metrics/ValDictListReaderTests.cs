using HyperDrive.Training.Metrics;

namespace HyperDrive.Training.Tests.Metrics;

public sealed class ValDictListReaderTests
{
    [Fact]
    public void Parse_should_read_steps_and_metrics_of_each_entry()
    {
        var entries = ValDictListReader.Parse("""[{"step": 1, "loss": 0.25, "accuracy": 0.45}, {"accuracy": 0.5, "steps": 2}, {"loss": 0.1}]""");

        Assert.Equal(3, entries.Length);
        Assert.Equal(1, entries[0].Step);
        Assert.Equal(0.25, entries[0].Metrics["loss"]);
        Assert.Equal(0.45, entries[0].Metrics["accuracy"]);
        Assert.Equal(2, entries[1].Step);
        Assert.Equal(["accuracy"], entries[1].Metrics.Keys);
        Assert.Null(entries[2].Step);
    }

    [Fact]
    public void Parse_should_accept_an_empty_list()
    {
        Assert.Empty(ValDictListReader.Parse("[]"));
    }

    [Theory]
    [InlineData("""{"loss": 1}""", "val_dict_list.json must be a JSON list of objects, not an object")]
    [InlineData("""[{"loss": 1}, 3]""", "val_dict_list.json, entry 1: expected an object, found a number")]
    [InlineData("""[{"loss": 1}, {"loss": "abc"}]""", "entry 1: 'loss' is the string \"abc\", not a finite number")]
    [InlineData("""[{"loss": "NaN"}]""", "entry 0: 'loss' is the string \"NaN\"")]
    [InlineData("""[{"loss": null}]""", "entry 0: 'loss' is null")]
    [InlineData("""[{"loss": true}]""", "entry 0: 'loss' is a boolean")]
    [InlineData("""[{"loss": 1e999}]""", "entry 0: 'loss' is 1e999, not a finite number")]
    [InlineData("""[{"step": 0, "loss": 1}]""", "entry 0: 'step' must be an integer ≥ 1")]
    [InlineData("""[{"steps": 1.5, "loss": 1}]""", "entry 0: 'steps' must be an integer ≥ 1")]
    [InlineData("""[{"step": 1}]""", "entry 0: no metric")]
    [InlineData("""[{"loss": 1, "loss": 2}]""", "entry 0: 'loss' appears twice")]
    [InlineData("""[{"loss": NaN}]""", "val_dict_list.json is not valid JSON")]
    [InlineData("""[{"loss": 1}""", "val_dict_list.json is not valid JSON")]
    public void Parse_should_name_the_file_and_the_entry_when_malformed(string json, string message)
    {
        var error = Assert.Throws<FormatException>(() => ValDictListReader.Parse(json));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
