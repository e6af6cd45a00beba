using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using HyperDrive.Training.Processes;

namespace HyperDrive.Cli.Tests.EndToEnd;

/// <summary>
/// A real cluster on 127.0.0.1: a seed process and two worker processes, each with its own data folder: the code,
/// checkpoints and logs move through the journal's database (PostgreSQL when the tests have one, else one SQLite
/// file the three processes share, as on one machine). A sweep is submitted, one worker is killed with SIGKILL while it runs
/// trials, and the sweep must complete on the other worker with every trial counted once.
/// </summary>
[Collection(nameof(ProcessTestsCollection))]
public sealed class ClusterProcessTests : IDisposable
{
    private const int Total = 6;
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(120);
    private readonly TempFolder _temp = new("hyperdrive-cluster-");
    private readonly List<HyperdriveProcess> _processes = [];

    public ClusterProcessTests()
    {
        Directory.CreateDirectory(Path.Combine(Folder, "project"));
        File.WriteAllText(Path.Combine(Folder, "project", "train.sh"), """
            #!/usr/bin/env bash
            # 10 epochs of 0.5 s; resumes from the epoch its checkpoint records.
            lr="$1"; start=1
            if [ -f "$HYPERDRIVE_CHECKPOINT_DIR/epoch" ]; then
              start=$(( $(cat "$HYPERDRIVE_CHECKPOINT_DIR/epoch") + 1 ))
              echo "resumed from epoch $((start - 1))"
            fi
            for e in $(seq "$start" 10); do
              sleep 0.5
              acc=$(awk -v lr="$lr" -v e="$e" 'BEGIN { printf "%.6f", 1 - 1 / (e + 1) - (lr - 0.05) ^ 2 }')
              echo "hyperdrive: accuracy=$acc epoch=$e"
              mkdir -p "$HYPERDRIVE_CHECKPOINT_DIR"; echo "$e" > "$HYPERDRIVE_CHECKPOINT_DIR/epoch"
            done
            mkdir -p outputs; echo "lr=$lr" > outputs/model.txt
            """.Replace("\r", "", StringComparison.Ordinal));
        File.WriteAllText(Path.Combine(Folder, "project", "sweep.yml"), $$$"""
            name: cluster
            trial:
              command: bash train.sh ${{search_space.lr}}
              code: .
            sampling_algorithm: { type: random, seed: 11 }
            search_space:
              lr: { type: uniform, min_value: 0.01, max_value: 0.1 }
            objective: { primary_metric: accuracy, goal: maximize }
            limits: { max_total_trials: {{{Total}}}, max_concurrent_trials: 4 }
            register_best: { model: cluster-best }
            """);
    }

    private string Folder => _temp.Path;

    private static string? Postgres => Environment.GetEnvironmentVariable("HYPERDRIVE_TEST_POSTGRES") is { Length: > 0 } c ? c : null;

    [Fact]
    public async Task Killing_a_worker_should_restart_its_trials_on_the_other_worker_from_their_checkpoints_and_complete_the_sweep()
    {
        var clusterPort = FreePort();
        var apiPort = FreePort();
        var api = $"http://127.0.0.1:{apiPort}";
        var seedNode = $"akka.tcp://hyperdrive@127.0.0.1:{clusterPort}";
        var seed = Start("seed", "--cluster-port", clusterPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--port", apiPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(await seed.WaitForOutputAsync(o => o.Contains("HyperDrive seed node:", StringComparison.Ordinal), Long), seed.Output);
        var workers = new[] { Start("w1", "--seed-node", seedNode, "--cpu-slots", "2"), Start("w2", "--seed-node", seedNode, "--cpu-slots", "2") };
        foreach (var worker in workers)
        {
            Assert.True(await worker.WaitForOutputAsync(o => o.Contains("HyperDrive worker node:", StringComparison.Ordinal), Long), worker.Output);
        }

        var submit = await CliRunner.RunAsync("submit", Path.Combine(Folder, "project", "sweep.yml"), "--api", api);
        Assert.True(submit.ExitCode == 0, submit.Output + submit.Error);
        var id = submit.Output.Split("Submitted sweep ")[1].Trim();

        // Kill the worker that runs trials once two of its trials are a few epochs in (past a checkpoint upload).
        var victimNode = await Until(async () =>
        {
            var running = (await Trials(api, id)).Where(t => t.State == "Running" && t.Epochs >= 5).GroupBy(t => t.Node).FirstOrDefault(g => g.Count() == 2);
            return running?.Key;
        });
        var victim = workers.Single(w => w.Output.Contains(victimNode!, StringComparison.Ordinal));
        var lost = (await Trials(api, id)).Where(t => t.Node == victimNode && t.State == "Running").Select(t => t.Number).ToList();
        victim.KillHard();

        var last = new List<TrialRow>();
        var done = await Until(
            async () =>
            {
                last = await Trials(api, id);
                return last.Count == Total && last.All(t => t.State is "Completed") ? last : null;
            },
            () => string.Join("; ", last) + "\n" + SeedLogTail());

        Assert.Equal(Enumerable.Range(1, Total), done!.Select(t => t.Number).Order());
        Assert.All(done.Where(t => lost.Contains(t.Number)), t => Assert.Equal(2, t.Attempts));
        Assert.All(done.Where(t => lost.Contains(t.Number)), t => Assert.DoesNotContain(victimNode!, t.Node, StringComparison.Ordinal));
        Assert.All(done.Where(t => !lost.Contains(t.Number)), t => Assert.Equal(1, t.Attempts));
        Assert.All(done, t => Assert.Equal(10, t.LastEpoch));
        var logs = new List<string>();
        foreach (var number in lost)
        {
            var log = await CliRunner.RunAsync("logs", id, number.ToString(System.Globalization.CultureInfo.InvariantCulture), "--api", api);
            logs.Add(log.Output);
        }

        Assert.Contains(logs, l => l.Contains("resumed from epoch", StringComparison.Ordinal) && !l.Contains("resumed from epoch 0", StringComparison.Ordinal));

        // The best trial's outputs were written on a worker; the seed serves them from the artifact store.
        var outputs = await CliRunner.RunAsync("outputs", id, "--to", Path.Combine(Folder, "best"), "--api", api);
        Assert.True(outputs.ExitCode == 0, outputs.Output + outputs.Error);
        Assert.StartsWith("lr=", File.ReadAllText(Path.Combine(Folder, "best", "model.txt")), StringComparison.Ordinal);

        // register_best ran on the coordinator node (the seed), which has no trial folder: the outputs came from the store.
        var version = Path.Combine(Folder, "seed-data", "models", "cluster-best", "1");
        await Until(() => Task.FromResult(File.Exists(Path.Combine(version, "model.json")) ? version : null), SeedLogTail);
        Assert.Equal(File.ReadAllText(Path.Combine(Folder, "best", "model.txt")), File.ReadAllText(Path.Combine(version, "outputs", "model.txt")));
        using var metadata = JsonDocument.Parse(File.ReadAllText(Path.Combine(version, "model.json")));
        Assert.Equal(id, metadata.RootElement.GetProperty("sweep").GetString());
        Assert.False(Directory.Exists(Path.Combine(Folder, "seed-data", "sweeps", id, "trials")), "the seed ran no trial of its own");
    }

    [Fact]
    public async Task Killing_the_seed_that_hosts_a_sweep_should_let_the_second_coordinator_node_finish_it()
    {
        var (portA, portB) = (FreePort(), FreePort());
        var (apiA, apiB) = (FreePort(), FreePort());
        string[] seeds = ["--seed-node", $"akka.tcp://hyperdrive@127.0.0.1:{portA}", "--seed-node", $"akka.tcp://hyperdrive@127.0.0.1:{portB}"];
        var seedA = Start("seed", ["--cluster-port", Text(portA), "--port", Text(apiA), .. seeds]);
        Assert.True(await seedA.WaitForOutputAsync(o => o.Contains("HyperDrive seed node:", StringComparison.Ordinal), Long), seedA.Output);
        var seedB = Start("seed2", ["--cluster-port", Text(portB), "--port", Text(apiB), .. seeds]);
        var worker = Start("w1", [.. seeds, "--cpu-slots", "2"]);
        Assert.True(await seedB.WaitForOutputAsync(o => o.Contains("HyperDrive seed node:", StringComparison.Ordinal), Long), seedB.Output);
        Assert.True(await worker.WaitForOutputAsync(o => o.Contains("HyperDrive worker node:", StringComparison.Ordinal), Long), worker.Output);
        string[] apis = ["--api", $"http://127.0.0.1:{apiA}", "--api", $"http://127.0.0.1:{apiB}"];

        var submit = await CliRunner.RunAsync(["submit", Path.Combine(Folder, "project", "sweep.yml"), .. apis]);
        Assert.True(submit.ExitCode == 0, submit.Output + submit.Error);
        var id = submit.Output.Split("Submitted sweep ")[1].Trim();
        await Until(async () => (await Trials(apis, id)).Count(t => t.State == "Completed") >= 2 ? "two done" : null);
        var host = Directory.GetFiles(Path.Combine(Folder, "seed-data", "logs")).Any(f => File.ReadAllText(f).Contains($"Sweep {id} submitted", StringComparison.Ordinal))
            ? seedA : seedB;
        host.KillHard();

        var last = new List<TrialRow>();
        var done = await Until(
            async () =>
            {
                last = await Trials(apis, id);
                return last.Count == Total && last.All(t => t.State is "Completed") ? last : null;
            },
            () => string.Join("; ", last));

        Assert.Equal(Enumerable.Range(1, Total), done.Select(t => t.Number).Order());
        Assert.All(done, t => Assert.Equal(10, t.LastEpoch));
    }

    public void Dispose()
    {
        foreach (var process in _processes)
        {
            process.Dispose();
        }

        // The killed worker's trial processes outlive it (a real machine's death would end them): end them here.
        foreach (var record in Directory.GetFiles(Folder, ProcessRecord.FileName, SearchOption.AllDirectories))
        {
            ProcessGroupReaper.ReapAsync(record, TimeSpan.FromSeconds(2)).GetAwaiter().GetResult();
        }

        _temp.Dispose();
    }

    private HyperdriveProcess Start(string name, params string[] args)
    {
        var all = new List<string> { name.StartsWith("seed", StringComparison.Ordinal) ? "seed" : "worker", "--data-dir", Path.Combine(Folder, name + "-data"),
            "--config", "akka.cluster.failure-detector.acceptable-heartbeat-pause=6s" };
        all.AddRange(args);
        all.AddRange(Postgres is { } connection ? ["--postgres", connection] : ["--sqlite", Path.Combine(Folder, "journal.db")]);

        var process = HyperdriveProcess.Start(Folder, [.. all]);
        _processes.Add(process);
        return process;
    }

    private static Task<List<TrialRow>> Trials(string api, string id) => Trials(["--api", api], id);

    private static async Task<List<TrialRow>> Trials(string[] apis, string id)
    {
        var runs = await CliRunner.RunAsync(["runs", id, "--json", .. apis]);
        if (runs.ExitCode != 0)
        {
            return [];
        }

        using var json = JsonDocument.Parse(runs.Output);
        return [.. json.RootElement.GetProperty("trials").EnumerateArray().Select(t => new TrialRow(
            t.GetProperty("number").GetInt32(),
            t.GetProperty("state").GetString()!,
            t.GetProperty("node").GetString() ?? "",
            t.GetProperty("attempts").GetInt32(),
            t.GetProperty("history").GetArrayLength(),
            t.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("interval").GetInt32()).DefaultIfEmpty(0).Max()))];
    }

    /// <summary>Polls <paramref name="condition"/> (each poll is a CLI round trip) until it yields a value, or fails after two minutes.</summary>
    private static async Task<T> Until<T>(Func<Task<T?>> condition, Func<string>? describe = null)
        where T : class
    {
        using var deadline = new CancellationTokenSource(Long);
        while (true)
        {
            if (await condition() is { } value)
            {
                return value;
            }

            Assert.False(deadline.IsCancellationRequested, "the cluster did not reach the expected state in time: " + describe?.Invoke());
        }
    }

    private string SeedLogTail()
    {
        var logs = Directory.GetFiles(Path.Combine(Folder, "seed-data", "logs"), "*.log");
        return string.Join("\n", logs.SelectMany(File.ReadAllLines).Where(l => !l.Contains(" DEBUG ", StringComparison.Ordinal)).TakeLast(60));
    }

    private static string Text(int number) => number.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed record TrialRow(int Number, string State, string Node, int Attempts, int Epochs, int LastEpoch);
}
