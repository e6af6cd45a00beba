using System.Text.Json;

namespace HyperDrive.Cli.Tests.EndToEnd;

/// <summary>examples/ridge-diabetes.yml end to end: the built-in ridge trainer on the bundled diabetes data.</summary>
[Collection(nameof(ProcessTestsCollection))]
public sealed class RidgeExampleTests : IDisposable
{
    private readonly TempFolder _temp = new("hyperdrive-ridge-");

    [Fact]
    public async Task Run_should_tune_alpha_of_the_ridge_example_and_keep_the_best_model()
    {
        var example = Path.Combine(CliRunner.RepositoryRoot(), "examples", "ridge-diabetes.yml");
        var data = _temp.Combine("data");

        var run = await CliRunner.RunAsync("run", example, "--data-dir", data);

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        var runs = await CliRunner.RunAsync("runs", "ridge-diabetes", "--sort", "--json", "--data-dir", data);
        using var json = JsonDocument.Parse(runs.Output);
        var trials = json.RootElement.GetProperty("trials").EnumerateArray().ToList();
        Assert.Equal(4, trials.Count);
        var completed = trials.Where(t => t.GetProperty("state").GetString() == "Completed").ToList();
        Assert.NotEmpty(completed);
        Assert.All(trials, t => Assert.Contains(t.GetProperty("state").GetString(), new[] { "Completed", "Canceled" }));
        Assert.All(completed, t => Assert.Equal(5, t.GetProperty("history").GetArrayLength()));
        // Mean 5-fold R² on diabetes is below the public optimum 0.482327 and falls as alpha grows past it (3.91e-4).
        Assert.All(completed, t => Assert.InRange(t.GetProperty("metrics").GetProperty("r2").GetDouble(), 0.3, 0.482327));
        var alphas = completed.Select(t => t.GetProperty("parameters").GetProperty("alpha").GetDouble()).ToList();
        Assert.All(alphas, a => Assert.InRange(a, 0.05, 1.0));
        Assert.Equal(alphas.Min(), alphas[0]);

        var outputs = _temp.Combine("best");
        var copy = await CliRunner.RunAsync("outputs", "ridge-diabetes", "--to", outputs, "--data-dir", data);
        Assert.True(copy.ExitCode == 0, copy.Output + copy.Error);
        var model = Directory.GetFiles(outputs, "model.json", SearchOption.AllDirectories);
        using var modelJson = JsonDocument.Parse(File.ReadAllText(Assert.Single(model)));
        Assert.Equal(alphas[0], modelJson.RootElement.GetProperty("alpha").GetDouble());
    }

    public void Dispose() => _temp.Dispose();
}
