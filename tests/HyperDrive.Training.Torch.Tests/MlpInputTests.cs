using System.Collections.Immutable;
using System.Diagnostics;
using HyperDrive.Core.Parameters;
using HyperDrive.Core.Specs;
using HyperDrive.Training.Builtins.Mlp;
using HyperDrive.Training.Runners;
using HyperDrive.Training.Torch.Tests.Support;

namespace HyperDrive.Training.Torch.Tests;

/// <summary>Bad hyperparameters and options end the trial with a message naming the field and the value.</summary>
public sealed class MlpInputTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("""{"hidden_size": 0}""", "hidden_size must be an integer >= 1, got 0")]
    [InlineData("""{"batch_size": 2.5}""", "batch_size must be an integer >= 1, got 2.5")]
    [InlineData("""{"num_epochs": "ten"}""", "num_epochs must be an integer >= 1, got \"ten\"")]
    [InlineData("""{"learning_rate": -0.1}""", "learning_rate must be a number > 0, got -0.1")]
    [InlineData("""{"optimizer": "rmsprop"}""", "optimizer must be one of adam, sgd, got \"rmsprop\"")]
    [InlineData("""{"dropout": 1}""", "dropout must be a number in [0, 1), got 1")]
    [InlineData("""[1, 2]""", "config.json must hold an object of hyperparameters, got Array")]
    public void Hyperparameters_should_refuse_a_bad_value_by_name(string json, string message)
    {
        var error = Assert.Throws<MlpInputException>(() => MlpHyperparameters.FromJson(json));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Hyperparameters_should_take_the_defaults_and_integral_floats()
    {
        var hp = MlpHyperparameters.FromJson("""{"batch_size": 64.0, "optimizer": "SGD", "other": [1]}""");

        Assert.Equal(new MlpHyperparameters { BatchSize = 64, Optimizer = "sgd" }, hp);
        Assert.Equal((0.001, 20, 100, 0.0), (hp.LearningRate, hp.NumEpochs, hp.HiddenSize, hp.Dropout));
    }

    [Theory]
    [InlineData(new[] { "--threads", "0" }, "threads must be an integer >= 1, got 0")]
    [InlineData(new[] { "--seed", "x" }, "seed must be an integer >= 0, got x")]
    [InlineData(new[] { "--data", "a.csv" }, "data = a.csv needs label, the name of its label column")]
    [InlineData(new[] { "--epochs", "3" }, "unknown argument --epochs; expected --config, --output, --checkpoint, --data, --label, --threads, --seed")]
    public void Trainer_arguments_should_refuse_a_bad_value_by_name(string[] args, string message)
    {
        var error = Assert.Throws<MlpInputException>(() => MlpOptions.Parse(args, _ => null));

        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData("epochs", "3", "mlp: unknown builtin_options epochs; expected data, label, threads, seed")]
    [InlineData("threads", "0", "mlp: builtin_options.threads must be an integer >= 1, got 0")]
    [InlineData("label", "y", "mlp: builtin_options.label = y is given without builtin_options.data (the bundled digits have their own label)")]
    public async Task Runner_should_fail_the_trial_for_a_bad_builtin_option_by_name(string key, string value, string message)
    {
        ParameterValue parsed = long.TryParse(value, out var number) ? new IntegerValue(number) : new TextValue(value);
        var runner = new MlpRunner(trainerPath: "/nonexistent/hyperdrive-mlp.dll");

        var outcome = await runner.RunAsync(Request(new MapValue([new(key, parsed)])), new NullObserver(), CancellationToken.None);

        Assert.Equal(TrialOutcomeKind.Failed, outcome.Kind);
        Assert.Equal(message, outcome.Error);
    }

    [Fact]
    public async Task Runner_should_say_how_to_get_the_trainer_when_it_is_missing()
    {
        var runner = new MlpRunner(trainerPath: _temp.Combine("mlp", "hyperdrive-mlp.dll"));

        var outcome = await runner.RunAsync(Request(new MapValue([])), new NullObserver(), CancellationToken.None);

        Assert.Equal(TrialOutcomeKind.Failed, outcome.Kind);
        Assert.Contains("the trainer was not found at " + _temp.Combine("mlp", "hyperdrive-mlp.dll"), outcome.Error, StringComparison.Ordinal);
        Assert.Contains("HYPERDRIVE_MLP_TRAINER", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Runner_should_run_the_trainer_process_and_report_its_failure_with_the_message()
    {
        // The trainer of this build (the test project references it): a bad hyperparameter exits with 2.
        var runner = new MlpRunner(trainerPath: Path.Combine(AppContext.BaseDirectory, "hyperdrive-mlp.dll"));
        var request = Request(new MapValue([]), ParameterSet.Empty.With("hidden_size", new IntegerValue(0)));

        var outcome = await runner.RunAsync(request, new NullObserver(), CancellationToken.None);

        Assert.Equal(TrialOutcomeKind.Failed, outcome.Kind);
        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains("hidden_size must be an integer >= 1, got 0", outcome.LogTail, StringComparison.Ordinal);
    }

    [Fact]
    public void Quoting_should_give_the_argument_back_through_the_command_splitter()
    {
        string[] arguments = ["/opt/my dotnet/dotnet", "it's", "a\"b", "${{name}}"];

        var line = string.Join(' ', arguments.Select(MlpRunner.Quote));

        Assert.Equal(arguments, HyperDrive.Training.Commands.CommandLineSplitter.Split(line));
    }

    private TrialRunRequest Request(MapValue options, ParameterSet? parameters = null) => new()
    {
        SweepId = "s",
        TrialNumber = 1,
        Attempt = 1,
        Parameters = parameters ?? ParameterSet.Empty,
        Trial = new TrialSpec { Builtin = "mlp", BuiltinOptions = options },
        SpecDirectory = _temp.Path,
        WorkDirectory = _temp.Combine("work"),
        OutputDirectory = _temp.Combine("work", "outputs"),
        CheckpointDirectory = _temp.Combine("checkpoints"),
        LogFile = _temp.Combine("log.txt"),
    };

    private sealed class NullObserver : ITrialObserver
    {
        public void OnInterval(IntervalReport report)
        {
        }

        public void OnMalformedMetric(string reason)
        {
        }

        public void OnProcessStarted(int processId, int processGroupId)
        {
        }
    }
}
