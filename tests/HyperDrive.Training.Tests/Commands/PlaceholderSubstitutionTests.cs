using System.Collections.Immutable;
using HyperDrive.Core.Parameters;
using HyperDrive.Core.Specs;
using HyperDrive.Training.Commands;

namespace HyperDrive.Training.Tests.Commands;

public sealed class PlaceholderSubstitutionTests
{
    private static readonly ParameterSet Parameters = ParameterSet.Of(
        ("lr", ParameterValue.Of(0.001)),
        ("layers", ParameterValue.Of(3L)),
        ("augment", ParameterValue.Of(true)),
        ("model", new MapValue([
            KeyValuePair.Create("name", ParameterValue.Of("resnet")),
            KeyValuePair.Create("depth", ParameterValue.Of(18L)),
        ])),
        ("evil", ParameterValue.Of("a b; rm -rf / $(touch pwned)")),
        ("looks_like_placeholder", ParameterValue.Of("${{search_space.lr}}")));

    private static PlaceholderSubstitution Create() => new(
        Parameters,
        ImmutableDictionary<string, string>.Empty.Add("data", "/data/mnist"),
        "/trials/t1/outputs",
        "sweep-7");

    [Theory]
    [InlineData("${{search_space.lr}}", "0.001")]
    [InlineData("--lr=${{search_space.lr}}", "--lr=0.001")]
    [InlineData("${{ search_space.layers }}x${{search_space.augment}}", "3xtrue")]
    [InlineData("${{search_space.model.name}}-${{search_space.model.depth}}", "resnet-18")]
    [InlineData("${{search_space.model}}", "{\"name\":\"resnet\",\"depth\":18}")]
    [InlineData("${{inputs.data}}/train", "/data/mnist/train")]
    [InlineData("${{outputs.model}}", "/trials/t1/outputs/model")]
    [InlineData("run-${{name}}", "run-sweep-7")]
    [InlineData("{search_space.lr}", "0.001")]
    [InlineData("${search_space.lr}", "0.001")]
    [InlineData("{inputs.data}", "/data/mnist")]
    [InlineData("{name} {epoch} {search_space}", "{name} {epoch} {search_space}")]
    [InlineData("${{search_space.looks_like_placeholder}}", "${{search_space.lr}}")]
    [InlineData("no placeholder", "no placeholder")]
    public void Substitute_should_replace_each_placeholder(string text, string expected)
    {
        Assert.Equal(expected, Create().Substitute(text));
    }

    [Theory]
    [InlineData("${{search_space.missing}}", "no parameter 'missing'")]
    [InlineData("${{inputs.missing}}", "no input 'missing'")]
    [InlineData("${{outputs.../x}}", "not a valid output name")]
    [InlineData("${{trial.id}}", "unknown placeholder ${{trial.id}}")]
    [InlineData("${{search_space}}", "unknown placeholder ${{search_space}}")]
    [InlineData("{search_space.missing}", "no parameter 'missing'")]
    public void Substitute_should_name_a_placeholder_it_cannot_resolve(string text, string message)
    {
        var error = Assert.Throws<TrialCommandException>(() => Create().Substitute(text));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Substitute_should_remember_the_outputs_it_named()
    {
        var substitution = Create();
        substitution.Substitute("${{outputs.model}} ${{outputs.plots}} ${{outputs.model}}");
        Assert.Equal(["model", "plots"], substitution.ReferencedOutputs.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Build_should_keep_a_hostile_value_in_one_argument()
    {
        var commands = TrialCommandBuilder.Build(
            new TrialSpec { Command = "./train.sh --name ${{search_space.evil}} \"x ${{search_space.lr}}\"" },
            Parameters,
            Create());

        Assert.Equal(["./train.sh", "--name", "a b; rm -rf / $(touch pwned)", "x 0.001"], Assert.Single(commands).Arguments.ToArray());
    }

    [Fact]
    public void Build_should_append_every_flattened_parameter_when_args_are_auto()
    {
        var parameters = ParameterSet.Of(
            ("lr", ParameterValue.Of(0.5)),
            ("model", new MapValue([KeyValuePair.Create("name", ParameterValue.Of("mlp")), KeyValuePair.Create("width", ParameterValue.Of(64L))])));

        var commands = TrialCommandBuilder.Build(
            new TrialSpec { Steps = ["python3 train.py", "python3 eval.py -v"], ArgsAuto = true },
            parameters,
            Create());

        Assert.Equal(["python3", "train.py", "--lr", "0.5", "--model.name", "mlp", "--model.width", "64"], commands[0].Arguments.ToArray());
        Assert.Equal(["python3", "eval.py", "-v", "--lr", "0.5", "--model.name", "mlp", "--model.width", "64"], commands[1].Arguments.ToArray());
        Assert.Equal("python3 eval.py -v", commands[1].Text);
    }

    [Fact]
    public void Build_should_refuse_a_value_with_a_nul_character()
    {
        var parameters = ParameterSet.Of(("x", ParameterValue.Of("a\0b")));
        var substitution = new PlaceholderSubstitution(parameters, ImmutableDictionary<string, string>.Empty, "/out", "s");

        var error = Assert.Throws<TrialCommandException>(() => TrialCommandBuilder.Build(
            new TrialSpec { Command = "run ${{search_space.x}}" },
            parameters,
            substitution));

        Assert.Contains("contains a NUL character: a\\0b", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "the trial has no command")]
    [InlineData("   ", "the trial has no command")]
    [InlineData("''x 'y", "unterminated single quote")]
    public void Build_should_refuse_a_command_it_cannot_split(string? command, string message)
    {
        var error = Assert.Throws<TrialCommandException>(() => TrialCommandBuilder.Build(new TrialSpec { Command = command }, Parameters, Create()));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
