using System.Text.Json;

namespace HyperDrive.Cli.Tests.EndToEnd;

/// <summary>run, status, runs, best, logs and cancel in-process on a temp data folder, with real trial processes.</summary>
[Collection(nameof(ProcessTestsCollection))]
public sealed class ConsoleCommandsTests : IDisposable
{
    private readonly TempFolder _temp = new("hyperdrive-cli-");

    private string Data => Path.Combine(Folder, "data");

    [Fact]
    public async Task Run_should_complete_the_fictitious_example_and_the_query_commands_should_agree()
    {
        var example = Path.Combine(CliRunner.RepositoryRoot(), "examples", "fictitious.yml");

        var run = await CliRunner.RunAsync("run", example, "--data-dir", Data);

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        Assert.Contains("Sweep fictitious-", run.Output);
        Assert.Contains("Best trial", run.Output);
        var sweepId = run.Output.Split(' ', ':')[1];

        var status = await CliRunner.RunAsync("status", "--data-dir", Data);
        Assert.Contains(sweepId, status.Output);
        Assert.Contains("Completed", status.Output);

        var runs = await CliRunner.RunAsync("runs", "fictitious", "--sort", "--json", "--data-dir", Data);
        Assert.Equal(0, runs.ExitCode);
        using var json = JsonDocument.Parse(runs.Output);
        var trials = json.RootElement.GetProperty("trials").EnumerateArray().ToList();
        Assert.Equal(20, trials.Count);
        Assert.Equal(Enumerable.Range(1, 20), trials.Select(t => t.GetProperty("number").GetInt32()).Order());
        var accuracies = trials.Select(t => t.GetProperty("metrics").GetProperty("accuracy").GetDouble()).ToList();
        Assert.Equal(accuracies.OrderDescending(), accuracies);

        var best = await CliRunner.RunAsync("best", sweepId, "--json", "--data-dir", Data);
        using var bestJson = JsonDocument.Parse(best.Output);
        Assert.Equal(trials[0].GetProperty("number").GetInt32(), bestJson.RootElement.GetProperty("number").GetInt32());

        var csv = await CliRunner.RunAsync("runs", sweepId, "--csv", "--data-dir", Data);
        Assert.Equal(21, csv.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task Malformed_metric_lines_should_be_counted_logged_and_never_stop_the_sweep()
    {
        File.WriteAllText(Path.Combine(Folder, "noisy.sh"), """
            echo "hyperdrive: accuracy=abc epoch=1"
            echo "hyperdrive: accuracy=NaN epoch=1"
            echo "hyperdrive: accuracy=inf epoch=1"
            head -c 10000000 /dev/zero | tr '\0' 'x'; echo
            printf '\x00\xff\xfe binary\n'
            echo "hyperdrive: accuracy=0.$1 epoch=1"
            printf "hyperdrive: accuracy=0.$1 epoch=2"
            """);
        File.WriteAllText(Path.Combine(Folder, "noisy.yml"), """
            name: noisy
            trial:
              command: bash noisy.sh ${{search_space.digit}}
              code: .
            sampling_algorithm: grid
            search_space:
              digit: { type: choice, values: [3, 7] }
            objective: { primary_metric: accuracy, goal: maximize }
            limits: { max_total_trials: 2, max_concurrent_trials: 2 }
            """);

        var run = await CliRunner.RunAsync("run", Path.Combine(Folder, "noisy.yml"), "--data-dir", Data);

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        Assert.Contains("malformed metric line(s) ignored", run.Output);
        var runs = await CliRunner.RunAsync("runs", "noisy", "--json", "--data-dir", Data);
        using var json = JsonDocument.Parse(runs.Output);
        var trials = json.RootElement.GetProperty("trials").EnumerateArray().ToList();
        Assert.All(trials, t => Assert.Equal("Completed", t.GetProperty("state").GetString()));
        Assert.All(trials, t => Assert.Equal(2, t.GetProperty("history").GetArrayLength()));
        Assert.Equal([0.3, 0.7], trials.Select(t => t.GetProperty("metrics").GetProperty("accuracy").GetDouble()).Order());
        Assert.Contains("metric line ignored", File.ReadAllText(Path.Combine(Data, "node.log")));

        var logs = await CliRunner.RunAsync("logs", "noisy", "1", "--data-dir", Data);
        Assert.Equal(0, logs.ExitCode);
        Assert.Contains("hyperdrive: accuracy=abc", logs.Output);
        Assert.Contains("[line truncated", logs.Output);
    }

    [Fact]
    public async Task Best_should_say_clearly_when_no_trial_reported_the_primary_metric()
    {
        File.WriteAllText(Path.Combine(Folder, "silent.yml"), """
            name: silent
            trial:
              command: 'bash -c "echo hyperdrive: loss=1"'
            sampling_algorithm: random
            search_space:
              x: { type: uniform, min_value: 0, max_value: 1 }
            objective: { primary_metric: accuracy, goal: maximize }
            limits: { max_total_trials: 2, max_concurrent_trials: 2 }
            """);

        var run = await CliRunner.RunAsync("run", Path.Combine(Folder, "silent.yml"), "--data-dir", Data);
        Assert.Contains("No trial reported the primary metric 'accuracy'", run.Output);

        var best = await CliRunner.RunAsync("best", "silent", "--data-dir", Data);
        Assert.Equal(1, best.ExitCode);
        Assert.Contains("No trial of silent-", best.Error);
        Assert.Contains("hyperdrive: accuracy=VALUE", best.Error);
    }

    [Fact]
    public async Task Query_commands_should_exit_2_for_an_unknown_sweep()
    {
        var runs = await CliRunner.RunAsync("runs", "nope", "--data-dir", Data);
        var resume = await CliRunner.RunAsync("resume", "--data-dir", Data);

        Assert.Equal(2, runs.ExitCode);
        Assert.Contains("no sweep 'nope'", runs.Error);
        Assert.Equal(2, resume.ExitCode);
        Assert.Contains("no unfinished sweep", resume.Error);
    }

    private string Folder => _temp.Path;

    public void Dispose() => _temp.Dispose();
}
