using System.Text.Json;

namespace HyperDrive.Cli.Tests.EndToEnd;

/// <summary>A sampler plug-in that lies after its first answer: the sweep ends Failed, keeps its completed trial, and `run` exits 1.</summary>
[Collection(nameof(ProcessTestsCollection))]
public sealed class PluginFailureTests : IDisposable
{
    private const string LyingPlugin = """
        import json, sys
        searches = 0
        for line in sys.stdin:
            op = json.loads(line)["op"]
            if op == "search":
                searches += 1
                answer = [{"thr": 0.5, "epoch": 10, "lr": 0.01}] if searches == 1 else "no parameters today"
            elif op == "get_state":
                answer = {"searches": searches}
            else:
                answer = {"ok": True}
            sys.stdout.write(json.dumps(answer) + "\n")
            sys.stdout.flush()
        """;

    private const string Sweep = """
        name: liar
        trial: { builtin: fictitious }
        sampling_algorithm: { type: plugin, command: python3 liar.py }
        search_space:
          thr: { type: uniform, min_value: 0.0, max_value: 1.0 }
          epoch: { type: choice, values: [10] }
          lr: { type: uniform, min_value: 0.001, max_value: 0.1 }
        objective: { primary_metric: accuracy, goal: maximize }
        limits: { max_total_trials: 4, max_concurrent_trials: 1 }
        """;

    private readonly TempFolder _temp = new("hyperdrive-plugin-failure-");

    [Fact]
    public async Task Run_should_fail_the_sweep_and_exit_1_when_its_plugin_lies_keeping_the_completed_trial()
    {
        File.WriteAllText(_temp.Combine("liar.py"), LyingPlugin.Replace("\r", "", StringComparison.Ordinal));
        var spec = _temp.Combine("liar.yml");
        File.WriteAllText(spec, Sweep);
        var data = _temp.Combine("data");

        var run = await CliRunner.RunAsync("run", spec, "--data-dir", data);

        Assert.True(run.ExitCode == 1, $"exit {run.ExitCode}\n{run.Output}{run.Error}");
        Assert.Contains("failed: sampler plug-in `python3 liar.py` failed on search", run.Output);
        var runs = await CliRunner.RunAsync("runs", "liar", "--json", "--data-dir", data);
        using var json = JsonDocument.Parse(runs.Output);
        Assert.Equal("Failed", json.RootElement.GetProperty("state").GetString());
        var trial = Assert.Single(json.RootElement.GetProperty("trials").EnumerateArray());
        Assert.Equal("Completed", trial.GetProperty("state").GetString());
        Assert.Equal(0.5, trial.GetProperty("parameters").GetProperty("thr").GetDouble());
    }

    public void Dispose() => _temp.Dispose();
}
