using HyperDrive.Training.Metrics;

namespace HyperDrive.Training.Tests.Metrics;

public sealed class MetricLineParserTests
{
    [Theory]
    [InlineData("")]
    [InlineData("epoch 3: accuracy=0.9")]
    [InlineData("hyperdrive started")]
    [InlineData("HYPERDRIVE: accuracy=0.9")]
    [InlineData("INFO hyperdrive: accuracy=0.9")]
    public void Parse_should_treat_other_lines_as_log(string line)
    {
        Assert.Equal(MetricLineKind.Log, MetricLineParser.Parse(line, 1).Kind);
    }

    [Fact]
    public void Parse_should_read_the_pairs_and_take_epoch_as_the_interval()
    {
        var parsed = MetricLineParser.Parse("hyperdrive: accuracy=0.913 loss=0.31 epoch=3", 1);

        Assert.Equal(MetricLineKind.Metric, parsed.Kind);
        Assert.Equal(3, parsed.Interval);
        Assert.Equal(2, parsed.Metrics.Count);
        Assert.Equal(0.913, parsed.Metrics["accuracy"]);
        Assert.Equal(0.31, parsed.Metrics["loss"]);
    }

    [Theory]
    [InlineData("hyperdrive: loss=1e-3", 0.001)]
    [InlineData("hyperdrive: loss=-2.5E+2", -250.0)]
    [InlineData("hyperdrive: loss=.5", 0.5)]
    [InlineData("hyperdrive: loss=+7", 7.0)]
    [InlineData("  hyperdrive:\tloss=3\r", 3.0)]
    public void Parse_should_read_numbers_in_invariant_culture(string line, double expected)
    {
        var parsed = MetricLineParser.Parse(line, 1);
        Assert.Equal(MetricLineKind.Metric, parsed.Kind);
        Assert.Equal(expected, parsed.Metrics["loss"]);
        Assert.Null(parsed.Interval);
    }

    [Fact]
    public void Parse_should_prefer_step_over_epoch_and_keep_epoch_as_a_metric()
    {
        var parsed = MetricLineParser.Parse("hyperdrive: step=120 epoch=2 loss=0.1", 1);
        Assert.Equal(120, parsed.Interval);
        Assert.Equal(2.0, parsed.Metrics["epoch"]);
        Assert.False(parsed.Metrics.ContainsKey("step"));
    }

    [Fact]
    public void Parse_should_accept_an_integral_interval_written_as_a_real()
    {
        Assert.Equal(4, MetricLineParser.Parse("hyperdrive: epoch=4.0 loss=1", 1).Interval);
    }

    [Theory]
    [InlineData("hyperdrive: accuracy=abc", "line 7: 'accuracy=abc': 'abc' is not a number")]
    [InlineData("hyperdrive: accuracy=0,9", "'accuracy=0,9': '0,9' is not a number")]
    [InlineData("hyperdrive: accuracy=1,000.5", "'1,000.5' is not a number")]
    [InlineData("hyperdrive: accuracy=", "'accuracy=': '' is not a number")]
    [InlineData("hyperdrive: accuracy=0x10", "'0x10' is not a number")]
    [InlineData("hyperdrive: accuracy=inf", "'inf' is not a number")]
    [InlineData("hyperdrive: accuracy=NaN", "'accuracy=NaN': the value is not finite")]
    [InlineData("hyperdrive: accuracy=nan", "the value is not finite")]
    [InlineData("hyperdrive: accuracy=Infinity", "the value is not finite")]
    [InlineData("hyperdrive: accuracy=-Infinity", "the value is not finite")]
    [InlineData("hyperdrive: accuracy=1e999", "the value is not finite")]
    [InlineData("hyperdrive: =0.5", "'=0.5' has an empty name")]
    [InlineData("hyperdrive: loss=1 loss=2", "'loss=2': 'loss' appears twice")]
    [InlineData("hyperdrive: accuracy 0.9", "'accuracy' is not a name=value pair")]
    [InlineData("hyperdrive:", "no name=value pairs")]
    [InlineData("hyperdrive:   ", "no name=value pairs")]
    [InlineData("hyperdrive:accuracy=0.9", "expected a space after 'hyperdrive:'")]
    [InlineData("hyperdrive: epoch=0 loss=1", "'epoch=0': the interval must be an integer ≥ 1")]
    [InlineData("hyperdrive: epoch=-2 loss=1", "the interval must be an integer ≥ 1")]
    [InlineData("hyperdrive: step=1.5 loss=1", "'step=1.5': the interval must be an integer ≥ 1")]
    [InlineData("hyperdrive: step=3000000000 loss=1", "the interval must be an integer ≥ 1")]
    [InlineData("hyperdrive: epoch=3", "only 'epoch' and no metric")]
    public void Parse_should_reject_a_malformed_line_and_name_the_token(string line, string reason)
    {
        var parsed = MetricLineParser.Parse(line, 7);

        Assert.Equal(MetricLineKind.Malformed, parsed.Kind);
        Assert.StartsWith("line 7: ", parsed.Error, StringComparison.Ordinal);
        Assert.Contains(reason, parsed.Error, StringComparison.Ordinal);
        Assert.Empty(parsed.Metrics);
    }

    [Fact]
    public void Parse_should_reject_the_whole_line_when_one_pair_is_bad()
    {
        var parsed = MetricLineParser.Parse("hyperdrive: loss=0.3 accuracy=abc epoch=2", 1);
        Assert.Equal(MetricLineKind.Malformed, parsed.Kind);
        Assert.Null(parsed.Interval);
    }

    [Fact]
    public void Parse_should_shorten_a_huge_token_in_its_message()
    {
        var parsed = MetricLineParser.Parse("hyperdrive: x=" + new string('9', 5000) + "z", 1);
        Assert.Equal(MetricLineKind.Malformed, parsed.Kind);
        Assert.True(parsed.Error!.Length < 300, parsed.Error);
    }
}
