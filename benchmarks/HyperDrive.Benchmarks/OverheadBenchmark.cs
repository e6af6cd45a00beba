using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Akka.Actor;
using HyperDrive.Actors.Hosting;
using HyperDrive.Actors.Sweeps;
using Microsoft.Data.Sqlite;

namespace HyperDrive.Benchmarks;

/// <summary>
/// Per-trial coordinator overhead: zero-cost trials through the real engine (embedded node, sharding, SQLite
/// journal: every proposal durable before its trial starts, every result durable before it is acted on), the
/// floor of one durable SQLite commit, and Optuna on SQLite in the same run.
/// </summary>
internal static class OverheadBenchmark
{
    public static async Task<int> RunAsync(int trials, string? peerScript)
    {
        Console.WriteLine($"# Overhead per trial, {trials} zero-cost trials, 5 parameters; {Environment.ProcessorCount} cores, {BenchmarkHost.Runtime}");
        Console.WriteLine();
        var rows = new List<(string Name, double MsPerTrial, string Note)>();

        var commit = MeasureCommit(1000);
        rows.Add(("SQLite: one durable commit (floor)", commit, "one INSERT + COMMIT in its own transaction, WAL and synchronous FULL as the journal file"));

        foreach (var concurrency in new[] { 1, 8 })
        {
            await RunEngineAsync(Math.Min(trials, 50), concurrency);
            var (ms, events) = await RunEngineAsync(trials, concurrency);
            rows.Add(($"HyperDrive, max_concurrent_trials {concurrency}", ms, string.Create(CultureInfo.InvariantCulture,
                $"SQLite journal, {events:F1} events per trial; {ms / commit:F2}x one commit; {ms / (3 * commit):F2}x one commit per trial transition (proposed+started, metrics, ended)")));
        }

        var (inMemory, _) = await RunEngineAsync(trials, 8, InMemoryJournal);
        rows.Add(("HyperDrive, max_concurrent_trials 8, in-memory journal", inMemory, "the engine alone, no durability: what the journal costs is the difference"));

        if (peerScript is not null && File.Exists(peerScript) && File.Exists("/usr/bin/python3"))
        {
            foreach (var sampler in new[] { "random", "tpe" })
            {
                if (RunPeer(peerScript, trials, sampler) is { } peer)
                {
                    rows.Add(($"Optuna {sampler} + SQLite", peer, "optuna_peer.py overhead, median ms per trial"));
                }
            }
        }
        else
        {
            Console.WriteLine("(Optuna peer not run: /usr/bin/python3 or the peer script is missing)");
        }

        Console.WriteLine("| what | ms per trial | note |");
        Console.WriteLine("|---|---|---|");
        foreach (var (name, ms, note) in rows)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {ms:F3} | {note} |"));
        }

        return 0;
    }

    private const string InMemoryJournal = """
        akka.persistence.journal.plugin = "akka.persistence.journal.inmem"
        akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
        """;

    private static async Task<(double MsPerTrial, double EventsPerTrial)> RunEngineAsync(int trials, int concurrency, string extraHocon = "")
    {
        var folder = Path.Combine(Path.GetTempPath(), "hyperdrive-bench-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            await using var node = await HyperDriveNode.StartEmbeddedAsync(folder, new ZeroCostRunner(), extraHocon: extraHocon);
            var spec = $$$"""
                name: overhead
                trial: { command: "true" }
                sampling_algorithm: { type: random, seed: 1 }
                search_space:
                  a: uniform(0, 1)
                  b: uniform(-5, 5)
                  c: loguniform(-11.5, 0)
                  d: randint(100)
                  e: choice('x', 'y', 'z')
                objective: { primary_metric: loss, goal: minimize }
                limits: { max_total_trials: {{{trials}}}, max_concurrent_trials: {{{concurrency}}} }
                """;
            var done = new TaskCompletionSource<SweepState>(TaskCreationOptions.RunContinuationsAsynchronously);
            var watcher = node.System.ActorOf(Props.Create(() => new CompletionWatcher(done)));
            var clock = Stopwatch.StartNew();
            await node.Sweeps.Ask<SweepAccepted>(new SubmitSweep("bench", spec, folder, null, 1), TimeSpan.FromSeconds(60));
            node.Sweeps.Tell(new SubscribeToSweep("bench", watcher));
            var final = await done.Task.WaitAsync(TimeSpan.FromMinutes(10));
            clock.Stop();
            if (final.Trials.Count != trials)
            {
                throw new InvalidOperationException($"expected {trials} trials, got {final.Trials.Count}");
            }

            var events = extraHocon.Length == 0 ? CountEvents(folder) / (double)trials : 0;
            return (clock.Elapsed.TotalMilliseconds / trials, events);
        }
        finally
        {
            TryDelete(folder);
        }
    }

    private static long CountEvents(string folder)
    {
        using var connection = new SqliteConnection("Data Source=" + HyperDriveNode.JournalPath(folder));
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM event_journal WHERE persistence_id = 'sweep-bench'";
        return (long)command.ExecuteScalar()!;
    }

    private static double MeasureCommit(int commits)
    {
        var folder = Path.Combine(Path.GetTempPath(), "hyperdrive-commit-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        try
        {
            HyperDriveNode.UseWriteAheadLog(Path.Combine(folder, "floor.db"));
            using var connection = new SqliteConnection("Data Source=" + Path.Combine(folder, "floor.db"));
            connection.Open();
            using (var create = connection.CreateCommand())
            {
                create.CommandText = "CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, payload BLOB NOT NULL)";
                create.ExecuteNonQuery();
            }

            var payload = new byte[200];
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < commits; i++)
            {
                using var transaction = connection.BeginTransaction();
                using var insert = connection.CreateCommand();
                insert.Transaction = transaction;
                insert.CommandText = "INSERT INTO t (payload) VALUES ($p)";
                insert.Parameters.AddWithValue("$p", payload);
                insert.ExecuteNonQuery();
                transaction.Commit();
            }

            return clock.Elapsed.TotalMilliseconds / commits;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            TryDelete(folder);
        }
    }

    private static double? RunPeer(string script, int trials, string sampler)
    {
        var (exitCode, output, error) = BenchmarkHost.Run("/usr/bin/python3", [script, "overhead", "--trials", trials.ToString(CultureInfo.InvariantCulture), "--storage", "sqlite", "--sampler", sampler, "--json"]);
        if (exitCode != 0)
        {
            Console.WriteLine($"(Optuna {sampler} failed: {error.Trim().Split('\n').LastOrDefault()})");
            return null;
        }

        using var json = JsonDocument.Parse(output.Trim().Split('\n').Last());
        return json.RootElement.GetProperty("ms_per_trial_median").GetDouble();
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private sealed class CompletionWatcher : ReceiveActor
    {
        public CompletionWatcher(TaskCompletionSource<SweepState> done)
        {
            Receive<SweepChanged>(changed =>
            {
                if (changed.State.IsEnded && changed.State.ActiveCount == 0)
                {
                    done.TrySetResult(changed.State);
                }
            });
        }
    }
}
