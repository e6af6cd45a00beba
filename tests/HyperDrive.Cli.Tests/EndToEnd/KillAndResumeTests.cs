using System.Text.Json;
using Akka.Actor;
using HyperDrive.Actors.Hosting;
using HyperDrive.Actors.Serialization;
using HyperDrive.Actors.Sweeps;
using Microsoft.Data.Sqlite;

namespace HyperDrive.Cli.Tests.EndToEnd;

/// <summary>
/// The console end to end: a sweep of real processes, the <c>hyperdrive</c> process killed with SIGKILL while
/// trials run, then <c>hyperdrive resume</c>. Runs in its own collection (serially): it starts processes.
/// </summary>
[Collection(nameof(ProcessTestsCollection))]
public sealed class KillAndResumeTests : IDisposable
{
    private const int Total = 6;
    private readonly TempFolder _temp = new("hyperdrive-e2e-");

    public KillAndResumeTests()
    {
        File.WriteAllText(Path.Combine(Folder, "train.sh"), """
            #!/usr/bin/env bash
            # A training script: one metric line per epoch, 0.3 s per epoch.
            lr="$1"; epochs="$2"
            for e in $(seq 1 "$epochs"); do
              sleep 0.3
              acc=$(awk -v lr="$lr" -v e="$e" 'BEGIN { printf "%.6f", 1 - 1 / (e + 1) - (lr - 0.05) ^ 2 }')
              echo "hyperdrive: accuracy=$acc epoch=$e"
            done
            """.Replace("\r", "", StringComparison.Ordinal));
        File.WriteAllText(Path.Combine(Folder, "sweep.yml"), $$$"""
            name: e2e
            trial:
              command: bash train.sh ${{search_space.lr}} 6
              code: .
            sampling_algorithm: { type: random, seed: 5 }
            search_space:
              lr: { type: uniform, min_value: 0.01, max_value: 0.1 }
            objective: { primary_metric: accuracy, goal: maximize }
            limits: { max_total_trials: {{{Total}}}, max_concurrent_trials: 2 }
            """);
    }

    [Fact]
    public async Task Sweep_should_resume_after_kill_9_with_every_trial_once_and_no_orphan_process()
    {
        var data = Path.Combine(Folder, "data");
        string sweepId;
        using (var run = HyperdriveProcess.Start(Folder, "run", "sweep.yml", "--data-dir", data))
        {
            // Mid-sweep: a trial has completed and trial processes are running (their process.json exists).
            var reachedMidSweep = await run.WaitForOutputAsync(
                o => o.Contains("trial 1 Completed", StringComparison.Ordinal) && RunningRecords(data).Length > 0,
                TimeSpan.FromSeconds(90));
            Assert.True(reachedMidSweep, "the sweep did not get going:\n" + run.Output);
            run.KillHard();
            sweepId = Directory.GetDirectories(Path.Combine(data, "sweeps")).Select(Path.GetFileName).Single()!;
        }

        using (var resume = HyperdriveProcess.Start(Folder, "resume", "--data-dir", data))
        {
            var exit = await resume.WaitForExitAsync(TimeSpan.FromSeconds(120));
            Assert.True(exit == 0, "resume failed:\n" + resume.Output);
            Assert.Contains("completed", resume.Output, StringComparison.Ordinal);
        }

        var runs = await CliRunner.RunAsync("runs", sweepId, "--json", "--data-dir", data);
        Assert.Equal(0, runs.ExitCode);
        using var json = JsonDocument.Parse(runs.Output);
        var trials = json.RootElement.GetProperty("trials").EnumerateArray().ToList();
        Assert.Equal(Enumerable.Range(1, Total), trials.Select(t => t.GetProperty("number").GetInt32()));
        Assert.All(trials, t => Assert.Equal("Completed", t.GetProperty("state").GetString()));
        Assert.Contains(trials, t => t.GetProperty("attempts").GetInt32() == 2);
        Assert.All(trials, t => Assert.Equal(6, t.GetProperty("history").GetArrayLength()));

        Assert.Empty(LiveProcessesRunning(Folder));
        AssertJournalAgrees(data, sweepId, trials);
    }

    private static string[] RunningRecords(string data) =>
        Directory.Exists(Path.Combine(data, "sweeps"))
            ? Directory.GetFiles(Path.Combine(data, "sweeps"), "process.json", SearchOption.AllDirectories)
            : [];

    /// <summary>Reads the journal with plain SQL and the serializer: one terminal event per trial, same final metrics as runs --json.</summary>
    private static void AssertJournalAgrees(string data, string sweepId, List<JsonElement> trials)
    {
        using var system = ActorSystem.Create("journal-check", HoconLayers.Compose("", "local", "base"));
        var serializer = new HyperDriveSerializer((ExtendedActorSystem)system);
        var state = SweepState.Empty;
        var terminal = new List<int>();
        using (var connection = new SqliteConnection("Data Source=" + HyperDriveNode.JournalPath(data)))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT manifest, payload FROM event_journal WHERE persistence_id = $id ORDER BY sequence_nr";
            command.Parameters.AddWithValue("$id", "sweep-" + sweepId);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var e = (ISweepEvent)serializer.FromBinary((byte[])reader["payload"], reader.GetString(0));
                var current = e is TrialCompleted c && state.IsCurrent(c.TrialNumber, c.Attempt);
                state = state.Apply(e);
                if (current)
                {
                    terminal.Add(((TrialCompleted)e).TrialNumber);
                }
            }
        }

        Assert.Equal(Enumerable.Range(1, Total), terminal.Order());
        foreach (var trial in trials)
        {
            var number = trial.GetProperty("number").GetInt32();
            var accuracy = trial.GetProperty("metrics").GetProperty("accuracy").GetDouble();
            Assert.Equal(state.Trial(number).FinalMetrics["accuracy"], accuracy);
        }

        system.Terminate().Wait(TimeSpan.FromSeconds(10));
    }

    /// <summary>Processes whose command line names the test folder (the trial scripts).</summary>
    private static List<string> LiveProcessesRunning(string folder)
    {
        var found = new List<string>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out _))
            {
                continue;
            }

            try
            {
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var zombie = stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z');
                if (!zombie && cmdline.Contains("train.sh", StringComparison.Ordinal) && File.Exists(Path.Combine(dir, "cwd", "train.sh"))
                    && Path.GetFullPath(Path.Combine(dir, "cwd")).Length > 0 && new DirectoryInfo(Path.Combine(dir, "cwd")).ResolveLinkTarget(true)?.FullName.StartsWith(folder, StringComparison.Ordinal) == true)
                {
                    found.Add(cmdline);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process ended while we looked.
            }
        }

        return found;
    }

    private string Folder => _temp.Path;

    public void Dispose() => _temp.Dispose();
}

[CollectionDefinition(nameof(ProcessTestsCollection), DisableParallelization = true)]
public sealed class ProcessTestsCollection;
