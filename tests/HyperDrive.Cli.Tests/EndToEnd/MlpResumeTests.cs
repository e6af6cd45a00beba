using System.Text.Json;

namespace HyperDrive.Cli.Tests.EndToEnd;

/// <summary>
/// The mlp trainer through a crash of the engine: <c>hyperdrive run</c> is killed with SIGKILL once the trial has
/// checkpointed a few epochs, <c>hyperdrive resume</c> restarts it as attempt 2, and the trainer continues from its
/// checkpoint instead of starting over (its log says so; the trial's history is whole, each epoch once). Small batches
/// make an epoch slow enough (~50 ms here) that the orphaned first attempt is reaped by <c>resume</c> before it ends.
/// </summary>
[Collection(nameof(ProcessTestsCollection))]
public sealed class MlpResumeTests : IDisposable
{
    private const int Epochs = 60;
    private readonly TempFolder _temp = new("hyperdrive-mlp-resume-");

    [Fact]
    public async Task Resumed_sweep_should_continue_the_mlp_trial_from_its_checkpoint_after_kill_9()
    {
        File.WriteAllText(_temp.Combine("sweep.yml"), $$"""
            name: mlp-resume
            trial:
              builtin: mlp
              builtin_options: { threads: 1, seed: 3 }
            sampling_algorithm: grid
            search_space:
              learning_rate: { type: choice, values: [0.001] }
              num_epochs: { type: choice, values: [{{Epochs}}] }
              batch_size: { type: choice, values: [8] }
              hidden_size: { type: choice, values: [256] }
            objective: { primary_metric: accuracy, goal: maximize }
            limits: { max_total_trials: 1, max_concurrent_trials: 1 }
            """);
        var data = _temp.Combine("data");
        string sweepId;
        using (var run = HyperdriveProcess.Start(_temp.Path, "run", "sweep.yml", "--data-dir", data))
        {
            var checkpointed = await run.WaitForOutputAsync(_ => CheckpointedEpochs(data) >= 3, TimeSpan.FromSeconds(120));
            Assert.True(checkpointed, "no checkpoint of 3 epochs:\n" + run.Output);
            run.KillHard();
            sweepId = Directory.GetDirectories(Path.Combine(data, "sweeps")).Select(Path.GetFileName).Single()!;
        }

        var firstLog = File.ReadAllText(Directory.GetFiles(Path.Combine(data, "sweeps", sweepId), "trial.log", SearchOption.AllDirectories).Single());
        var reachedBeforeKill = firstLog.Split('\n').Count(l => l.StartsWith("hyperdrive: epoch=", StringComparison.Ordinal));
        Assert.True(reachedBeforeKill < Epochs, "the trial finished before the kill; raise Epochs");

        using (var resume = HyperdriveProcess.Start(_temp.Path, "resume", "--data-dir", data))
        {
            var exit = await resume.WaitForExitAsync(TimeSpan.FromSeconds(240));
            Assert.True(exit == 0, "resume failed:\n" + resume.Output);
        }

        var runs = await CliRunner.RunAsync("runs", sweepId, "--json", "--data-dir", data);
        using var json = JsonDocument.Parse(runs.Output);
        var trial = Assert.Single(json.RootElement.GetProperty("trials").EnumerateArray());
        Assert.Equal("Completed", trial.GetProperty("state").GetString());
        Assert.Equal(2, trial.GetProperty("attempts").GetInt32());
        var history = trial.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("interval").GetDouble()).ToList();
        Assert.Equal(Enumerable.Range(1, Epochs).Select(e => (double)e), history);

        var secondLog = File.ReadAllText(Path.Combine(data, "sweeps", sweepId, "trials", "1", "attempt-2", "trial.log"));
        var resumedAt = System.Text.RegularExpressions.Regex.Match(secondLog, "resumed from epoch (\\d+) of the checkpoint");
        Assert.True(resumedAt.Success, secondLog[..Math.Min(2000, secondLog.Length)]);
        Assert.InRange(int.Parse(resumedAt.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), 3, Epochs - 1);
    }

    public void Dispose() => _temp.Dispose();

    private static int CheckpointedEpochs(string data)
    {
        if (!Directory.Exists(Path.Combine(data, "sweeps")))
        {
            return 0;
        }

        // The trial's log has one line per epoch; a checkpoint is written right after each line.
        var checkpoint = Directory.GetFiles(Path.Combine(data, "sweeps"), "checkpoint.bin", SearchOption.AllDirectories);
        var log = Directory.GetFiles(Path.Combine(data, "sweeps"), "trial.log", SearchOption.AllDirectories);
        if (checkpoint.Length == 0 || log.Length == 0)
        {
            return 0;
        }

        try
        {
            using var stream = new FileStream(log[0], FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd().Split('\n').Count(l => l.StartsWith("hyperdrive: epoch=", StringComparison.Ordinal)) - 1;
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
