using System.Text.Json;

namespace HyperDrive.Cli.Tests.EndToEnd;

/// <summary>register_best at the end of <c>hyperdrive run</c>, then <c>hyperdrive models list|show</c>, with real trial processes.</summary>
[Collection(nameof(ProcessTestsCollection))]
public sealed class ModelsCommandTests : IDisposable
{
    private readonly TempFolder _temp = new("hyperdrive-models-");

    private string Folder => _temp.Path;

    private string Data => Path.Combine(Folder, "data");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Run_should_register_the_best_trial_and_models_should_list_and_show_it()
    {
        var sweep = WriteSweep("toy", "0.$1");

        var run = await CliRunner.RunAsync("run", sweep, "--data-dir", Data);

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        Assert.Contains("Model 'toy': registered version 1 from trial 2", run.Output);
        Assert.Equal("model-7\n", File.ReadAllText(Path.Combine(Data, "models", "toy", "1", "outputs", "model.txt")));
        Assert.Contains("register_best", File.ReadAllText(Path.Combine(Data, "node.log")));

        var list = await CliRunner.RunAsync("models", "list", "--data-dir", Data);
        Assert.Equal(0, list.ExitCode);
        Assert.Contains("toy", list.Output);
        Assert.Contains("accuracy 0.7", list.Output);

        var listJson = await CliRunner.RunAsync("models", "list", "--json", "--data-dir", Data);
        using (var json = JsonDocument.Parse(listJson.Output))
        {
            var model = Assert.Single(json.RootElement.GetProperty("models").EnumerateArray());
            Assert.Equal("toy", model.GetProperty("model").GetString());
            Assert.Equal(1, model.GetProperty("latest_version").GetInt32());
            Assert.Equal(0.7, model.GetProperty("value").GetDouble());
        }

        var show = await CliRunner.RunAsync("models", "show", "toy", "--json", "--data-dir", Data);
        Assert.Equal(0, show.ExitCode);
        using (var json = JsonDocument.Parse(show.Output))
        {
            Assert.Equal(2, json.RootElement.GetProperty("trial").GetInt32());
            Assert.Equal(7, json.RootElement.GetProperty("parameters").GetProperty("digit").GetInt32());
            Assert.Equal(["model.txt"], json.RootElement.GetProperty("files").EnumerateArray().Select(f => f.GetString()));
        }

        var text = await CliRunner.RunAsync("models", "show", "toy", "--version", "1", "--data-dir", Data);
        Assert.Contains("outputs/model.txt", text.Output);

        // The same sweep again: its best equals the champion, which stays.
        var again = await CliRunner.RunAsync("run", sweep, "--data-dir", Data);
        Assert.True(again.ExitCode == 0, again.Output + again.Error);
        Assert.Contains("Model 'toy': kept version 1", again.Output);
        Assert.False(Directory.Exists(Path.Combine(Data, "models", "toy", "2")));

        var missingVersion = await CliRunner.RunAsync("models", "show", "toy", "--version", "2", "--data-dir", Data);
        Assert.Equal(2, missingVersion.ExitCode);
        Assert.Contains("model 'toy' has no version 2", missingVersion.Error);
        var missingModel = await CliRunner.RunAsync("models", "show", "nope", "--data-dir", Data);
        Assert.Equal(2, missingModel.ExitCode);
        Assert.Contains("no model 'nope'", missingModel.Error);
        var badName = await CliRunner.RunAsync("models", "show", "../toy", "--data-dir", Data);
        Assert.Equal(2, badName.ExitCode);
    }

    [Fact]
    public async Task Run_should_say_that_it_registered_nothing_when_no_trial_succeeded()
    {
        var sweep = WriteSweep("never", "0.$1", exit: 3);

        var run = await CliRunner.RunAsync("run", sweep, "--data-dir", Data);

        Assert.Contains("Model 'never': nothing registered, no completed trial", run.Output);
        Assert.False(Directory.Exists(Path.Combine(Data, "models", "never")));
        var list = await CliRunner.RunAsync("models", "list", "--data-dir", Data);
        Assert.Contains("No models registered", list.Output);
    }

    private string WriteSweep(string model, string accuracy, int exit = 0)
    {
        File.WriteAllText(Path.Combine(Folder, "train.sh"), $$"""
            out="${HYPERDRIVE_OUTPUT_DIR:-outputs}"
            mkdir -p "$out"
            echo "model-$1" > "$out/model.txt"
            echo "hyperdrive: accuracy={{accuracy}}"
            exit {{exit}}
            """);
        var path = Path.Combine(Folder, model + ".yml");
        File.WriteAllText(path, $$$"""
            name: {{{model}}}
            trial:
              command: bash train.sh ${{search_space.digit}}
              code: .
            sampling_algorithm: grid
            search_space:
              digit: { type: choice, values: [3, 7] }
            objective: { primary_metric: accuracy, goal: maximize }
            limits: { max_total_trials: 2, max_concurrent_trials: 2 }
            register_best: { model: {{{model}}}, only_if_better: true }
            """);
        return path;
    }
}
