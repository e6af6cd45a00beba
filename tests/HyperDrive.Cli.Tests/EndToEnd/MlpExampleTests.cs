using System.Text.Json;

namespace HyperDrive.Cli.Tests.EndToEnd;

/// <summary>
/// examples/mlp-digits.yml end to end: the built-in mlp trainer (the TorchSharp process in mlp/ beside the app) on the
/// bundled digits, bayesian sampling, register_best. A copy of the example with small limits: 2 trials of 2-3 epochs.
/// </summary>
[Collection(nameof(ProcessTestsCollection))]
public sealed class MlpExampleTests : IDisposable
{
    private readonly TempFolder _temp = new("hyperdrive-mlp-");

    [Fact]
    public async Task Run_should_tune_the_mlp_example_report_every_epoch_and_register_the_best_model()
    {
        var example = ExampleCopy.Write(
            "mlp-digits.yml",
            _temp.Path,
            replacements:
            [
                ("max_total_trials: 80", "max_total_trials: 2"),
                ("num_epochs: { type: choice, values: [5, 10, 20] }", "num_epochs: { type: choice, values: [2, 3] }"),
            ]);
        var data = _temp.Combine("data");

        var run = await CliRunner.RunAsync("run", example, "--data-dir", data);

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        var runs = await CliRunner.RunAsync("runs", "mlp-digits", "--sort", "--json", "--data-dir", data);
        using var json = JsonDocument.Parse(runs.Output);
        var trials = json.RootElement.GetProperty("trials").EnumerateArray().ToList();
        Assert.Equal(2, trials.Count);
        Assert.All(trials, t => Assert.Equal("Completed", t.GetProperty("state").GetString()));
        foreach (var trial in trials)
        {
            var epochs = trial.GetProperty("parameters").GetProperty("num_epochs").GetInt32();
            Assert.Equal(epochs, trial.GetProperty("history").GetArrayLength());
            // Two or three epochs of Adam on digits: better than chance (0.1) by far, a probability all the same.
            Assert.InRange(trial.GetProperty("metrics").GetProperty("accuracy").GetDouble(), 0.5, 1.0);
            Assert.True(trial.GetProperty("metrics").GetProperty("loss").GetDouble() > 0);
        }

        var best = trials[0];
        var model = Path.Combine(data, "models", "mlp-digits", "1", "outputs");
        Assert.True(File.Exists(Path.Combine(model, "model.bin")), run.Output);
        using var description = JsonDocument.Parse(File.ReadAllText(Path.Combine(model, "model.json")));
        var hyperparameters = description.RootElement.GetProperty("hyperparameters");
        var parameters = best.GetProperty("parameters");
        Assert.Equal(parameters.GetProperty("hidden_size").GetInt32(), hyperparameters.GetProperty("hidden_size").GetInt32());
        Assert.Equal(parameters.GetProperty("batch_size").GetInt32(), hyperparameters.GetProperty("batch_size").GetInt32());
        Assert.Equal(parameters.GetProperty("learning_rate").GetDouble(), hyperparameters.GetProperty("learning_rate").GetDouble());
        Assert.Equal(best.GetProperty("metrics").GetProperty("accuracy").GetDouble(), description.RootElement.GetProperty("accuracy").GetDouble());
        Assert.Contains("Model 'mlp-digits': registered version 1", run.Output, StringComparison.Ordinal);
    }

    public void Dispose() => _temp.Dispose();
}
