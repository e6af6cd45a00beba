using System.Runtime.InteropServices;
using System.Text.Json;

namespace HyperDrive.Cli.Tests.EndToEnd;

/// <summary>Ctrl-C leaves a resumable sweep and no trial process; <c>hyperdrive cancel</c> reaches the process running a sweep.</summary>
[Collection(nameof(ProcessTestsCollection))]
public sealed class InterruptAndCancelTests : IDisposable
{
    private readonly TempFolder _temp = new("hyperdrive-int-");

    public InterruptAndCancelTests()
    {
        File.WriteAllText(Path.Combine(Folder, "slow.sh"), """
            for e in 1 2 3 4 5 6 7 8 9 10; do
              echo "hyperdrive: accuracy=0.$e epoch=$e"
              sleep 0.5
            done
            """);
        File.WriteAllText(Path.Combine(Folder, "slow.yml"), """
            name: slow
            trial:
              command: bash slow.sh ${{search_space.x}}
              code: .
            sampling_algorithm: { type: random, seed: 1 }
            search_space:
              x: { type: uniform, min_value: 0, max_value: 1 }
            objective: { primary_metric: accuracy, goal: maximize }
            limits: { max_total_trials: 3, max_concurrent_trials: 2 }
            """);
    }

    private string Data => Path.Combine(Folder, "data");

    [Fact]
    public async Task Ctrl_C_should_stop_the_trials_and_leave_a_sweep_that_resumes()
    {
        using (var run = HyperdriveProcess.Start(Folder, "run", "slow.yml", "--data-dir", Data))
        {
            Assert.True(await run.WaitForOutputAsync(o => o.Contains("2 running", StringComparison.Ordinal), TimeSpan.FromSeconds(60)), run.Output);
            Assert.Equal(0, kill(run.Id, SigInt));
            var exit = await run.WaitForExitAsync(TimeSpan.FromSeconds(60));

            Assert.Equal(1, exit);
            Assert.True(run.Output.Contains("Resume with: hyperdrive resume slow-", StringComparison.Ordinal), run.Output);
        }

        Assert.Empty(Directory.GetFiles(Path.Combine(Data, "sweeps"), "process.json", SearchOption.AllDirectories));
        var status = await CliRunner.RunAsync("status", "slow", "--data-dir", Data);
        Assert.Contains("Running", status.Output);

        var resume = await CliRunner.RunAsync("resume", "slow", "--data-dir", Data);

        Assert.True(resume.ExitCode == 0, resume.Output + resume.Error);
        var runs = await CliRunner.RunAsync("runs", "slow", "--json", "--data-dir", Data);
        using var json = JsonDocument.Parse(runs.Output);
        var trials = json.RootElement.GetProperty("trials").EnumerateArray().ToList();
        Assert.Equal(3, trials.Count);
        Assert.All(trials, t => Assert.Equal("Completed", t.GetProperty("state").GetString()));
    }

    [Fact]
    public async Task Cancel_should_reach_the_process_running_the_sweep()
    {
        using var run = HyperdriveProcess.Start(Folder, "run", "slow.yml", "--data-dir", Data);
        Assert.True(await run.WaitForOutputAsync(o => o.Contains("2 running", StringComparison.Ordinal), TimeSpan.FromSeconds(60)), run.Output);

        var cancel = await CliRunner.RunAsync("cancel", "slow", "--data-dir", Data);
        Assert.Equal(0, cancel.ExitCode);
        Assert.Contains("Asked the process running sweep", cancel.Output);
        var exit = await run.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(0, exit);
        Assert.Contains("canceled by user", run.Output);
        var runs = await CliRunner.RunAsync("runs", "slow", "--json", "--data-dir", Data);
        using var json = JsonDocument.Parse(runs.Output);
        Assert.Equal("Canceled", json.RootElement.GetProperty("state").GetString());
        Assert.All(json.RootElement.GetProperty("trials").EnumerateArray(), t => Assert.Equal("Canceled", t.GetProperty("state").GetString()));
        var resume = await CliRunner.RunAsync("resume", "slow", "--data-dir", Data);
        Assert.Contains("canceled", resume.Output + resume.Error, StringComparison.OrdinalIgnoreCase);
    }

    private const int SigInt = 2;

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    private string Folder => _temp.Path;

    public void Dispose() => _temp.Dispose();
}
