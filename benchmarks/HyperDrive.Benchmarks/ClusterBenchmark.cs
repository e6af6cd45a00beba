using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace HyperDrive.Benchmarks;

/// <summary>
/// The cluster on one machine, real processes on 127.0.0.1 (one seed, three workers with two CPU slots each, one
/// shared SQLite journal or PostgreSQL): slot utilisation with 1 s trials, metric throughput of the one coordinator,
/// and failover (SIGKILL with two failure-detector settings, and a graceful SIGTERM leave).
/// </summary>
internal static class ClusterBenchmark
{
    private const int Workers = 3;
    private const int SlotsPerWorker = 2;
    private const int Slots = Workers * SlotsPerWorker;

    private const string TrialScript = """
        #!/usr/bin/env bash
        # A trial of $1 seconds that records when it really ran (Unix seconds, ns), and how long after the process was
        # started (fork/exec by the worker) its first line came: boot-relative clocks, 10 ms resolution.
        echo "hyperdrive: t0=$(date +%s.%N)"
        read -r up _ < /proc/uptime
        read -r -a stat < /proc/$$/stat
        echo "hyperdrive: startup=$(awk -v u="$up" -v s="${stat[21]}" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.3f", u - s / hz }')"
        sleep "$1"
        echo "hyperdrive: t1=$(date +%s.%N)"
        """;

    private const string MetricsScript = """
        #!/usr/bin/env bash
        # $1 metric lines as fast as awk prints them, each its own interval.
        awk -v n="$1" 'BEGIN { for (i = 1; i <= n; i++) printf "hyperdrive: loss=%.6f step=%d\n", 1 / i, i }'
        """;

    public static async Task<int> RunAsync(ClusterBenchmarkOptions options)
    {
        var machine = BenchmarkHost.Machine();
        var journal = options.Postgres is null ? "SQLite (one file shared by the 4 nodes)" : "PostgreSQL";
        Console.WriteLine($"# Cluster benchmark: 1 seed + {Workers} workers x {SlotsPerWorker} CPU slots on 127.0.0.1, journal {journal}");
        Console.WriteLine($"# Machine: {machine}; {BenchmarkHost.Runtime}; {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm}Z");
        var root = Path.Combine(Path.GetTempPath(), "hyperdrive-cluster-bench-" + Guid.NewGuid().ToString("N")[..8]);
        var result = new JsonObject
        {
            ["machine"] = machine,
            ["runtime"] = BenchmarkHost.Runtime,
            ["journal"] = options.Postgres is null ? "sqlite" : "postgres",
            ["date"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
            ["command"] = "scripts/bench cluster " + string.Join(' ', options.Arguments),
        };
        var rows = new List<(string What, string Figure, string Target, string Note)>();
        var output = options.Output ?? Path.Combine("benchmarks", "results", $"cluster-{DateTimeOffset.UtcNow:yyyyMMdd-HHmmss}.json");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        void Row(string what, string figure, string target, string note)
        {
            rows.Add((what, figure, target, note));
            Console.WriteLine($"  {what}: {figure} (target {target}); {note}");
            File.WriteAllText(output, result.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        }

        try
        {
            if (options.Parts.Contains("utilisation") || options.Parts.Contains("throughput"))
            {
                await using var cluster = await LocalCluster.StartAsync(options.HyperdriveDll, Path.Combine(root, "main"), Workers, SlotsPerWorker, options.Postgres, []);
                var project = WriteProject(cluster.Folder);
                if (options.Parts.Contains("utilisation"))
                {
                    var utilisation = await UtilisationAsync(cluster, project, options.UtilisationTrials);
                    result["utilisation"] = utilisation;
                    Row("slot utilisation, process exec to exit (the issue's definition)", Percent(utilisation["utilisation_exec_to_exit"]), ">= 95%",
                        $"busy = t1 - t0 + the script's measured startup (exec -> t0 {Num(utilisation["mean_exec_to_t0_ms"], "F0")} ms on average, 10 ms resolution)");
                    Row("slot utilisation, script's first to last line", Percent(utilisation["utilisation"]), ">= 95%",
                        $"{options.UtilisationTrials} trials of 1 s, 6 slots; {Num(utilisation["trials_per_second"], "F2")} trials/s; slot gap {Num(utilisation["mean_slot_gap_ms"], "F0")} ms "
                        + $"(StartTrial -> t0 {Num(utilisation["mean_start_to_t0_ms"], "F0")} ms, t1 -> ended {Num(utilisation["mean_t1_to_ended_ms"], "F0")} ms)");
                }

                if (options.Parts.Contains("throughput"))
                {
                    var sizes = new JsonArray();
                    result["throughput"] = sizes;
                    foreach (var (lines, trials, policy) in options.ThroughputSizes)
                    {
                        var size = await ThroughputAsync(cluster, project, lines, trials, policy);
                        sizes.Add(size);
                        Row($"metric throughput, {lines} lines/trial{(policy ? "" : ", no policy")}", Num(size["intervals_per_second"], "N0") + " /s", ">= 50,000/s",
                            $"{trials} trials, 6 at a time, {(policy ? "bandit every interval" : "no early termination")}; {Num(size["intervals"], "N0")} intervals in {Num(size["seconds"], "F1")} s; "
                            + $"per trial {Num(size["mean_trial_seconds"], "F2")} s; seed CPU {Num(size["seed_cpu_seconds"], "F1")} s, workers' {Num(size["workers_cpu_seconds"], "F1")} s (of {Num(size["submit_to_end_seconds"], "F0")} s x 2 cores); lost intervals {size["missing_intervals"]}");
                    }

                }

                result["api_errors"] = new JsonArray([.. cluster.ApiErrors.Select(e => JsonValue.Create(e))]);
                if (cluster.ApiErrors.Count > 0)
                {
                    Console.WriteLine($"{cluster.ApiErrors.Count} API polls failed, first: {cluster.ApiErrors[0]}");
                }
            }

            if (options.Parts.Contains("failover"))
            {
                var failover = new JsonArray();
                result["failover"] = failover;
                foreach (var (name, config, graceful, warm) in new (string, string[], bool, bool)[]
                {
                    ("SIGKILL, default failure detector (heartbeat pause 3s)", [], false, true),
                    ("SIGKILL, acceptable-heartbeat-pause=2s", ["akka.cluster.failure-detector.acceptable-heartbeat-pause=2s"], false, true),
                    ("SIGTERM (graceful leave)", [], true, true),
                    ("SIGKILL, default detector, cold cluster (no trial ran yet on the node that takes over)", [], false, false),
                })
                {
                    var folder = Path.Combine(root, "failover-" + failover.Count);
                    await using var cluster = await LocalCluster.StartAsync(options.HyperdriveDll, folder, Workers, SlotsPerWorker, options.Postgres, config);
                    var run = await FailoverAsync(cluster, WriteProject(cluster.Folder), graceful, warm);
                    run["scenario"] = name;
                    run["config"] = new JsonArray([.. config.Select(c => JsonValue.Create(c))]);
                    failover.Add(run);
                    Row(name, graceful ? $"{Num(run["total_s"], "F2")} s" : $"{Num(run["total_s"], "F2")} s",
                        graceful ? "< 1 s" : "< 5 s",
                        graceful
                            ? $"SIGTERM -> seed logs the leave {Num(run["detect_s"], "F2")} s; -> restarted t0: first {Num(run["total_s"], "F2")} s, second {Num(run["total_last_s"], "F2")} s"
                            : $"kill -> 'unreachable' in seed log {Num(run["detect_s"], "F2")} s; detection -> first restarted t0 {Num(run["restart_s"], "F2")} s; second trial's t0 {Num(run["total_last_s"], "F2")} s after the kill");
                }

            }
        }
        finally
        {
            try
            {
                if (options.Keep)
                {
                    Console.WriteLine($"kept {root}");
                }
                else
                {
                    Directory.Delete(root, recursive: true);
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        Console.WriteLine();
        Console.WriteLine("| what | figure | target | note |");
        Console.WriteLine("|---|---|---|---|");
        foreach (var (what, figure, target, note) in rows)
        {
            Console.WriteLine($"| {what} | {figure} | {target} | {note} |");
        }

        await File.WriteAllTextAsync(output, result.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        Console.WriteLine();
        Console.WriteLine($"JSON result: {output}");
        return 0;
    }

    private static async Task<JsonObject> UtilisationAsync(LocalCluster cluster, string project, int total)
    {
        var sweep = Path.Combine(project, "utilisation.yml");
        await File.WriteAllTextAsync(sweep, $$$"""
            name: utilisation
            trial:
              command: bash trial.sh 1
              code: .
            sampling_algorithm: { type: random, seed: 1 }
            search_space:
              x: { type: uniform, min_value: 0, max_value: 1 }
            objective: { primary_metric: t1, goal: minimize }
            limits: { max_total_trials: {{{total}}}, max_concurrent_trials: {{{Slots}}} }
            """);
        Console.WriteLine($"utilisation: {total} trials of 1 s ...");
        var id = await cluster.SubmitAsync(sweep);
        await cluster.WaitForEndAsync(id, TimeSpan.FromMinutes(20));
        var trials = await cluster.TrialsAsync(id);
        var ran = trials.Where(t => t is { State: "Completed", T0: not null, T1: not null, Started: not null }).ToList();
        if (ran.Count != total)
        {
            Console.WriteLine($"  warning: {ran.Count} of {total} trials completed with both t0 and t1");
        }

        var first = ran.Min(t => t.Started!.Value);
        var last = ran.Max(t => t.T1!.Value);
        var busy = ran.Sum(t => t.T1!.Value - t.T0!.Value);

        // The issue's definition: process exec-to-exit. The exec is t0 minus the startup the script measured.
        var withStartup = ran.Where(t => t.Startup is not null).ToList();
        var busyFromExec = withStartup.Sum(t => t.T1!.Value - t.T0!.Value + t.Startup!.Value);
        var span = last - first;
        var gaps = SlotGaps(ran);
        return new JsonObject
        {
            ["trials"] = total,
            ["completed"] = ran.Count,
            ["slots"] = Slots,
            ["busy_seconds"] = busy,
            ["span_seconds"] = span,
            ["utilisation"] = busy / (Slots * span),
            ["utilisation_exec_to_exit"] = withStartup.Count == ran.Count ? busyFromExec / (Slots * span) : null,
            ["mean_exec_to_t0_ms"] = withStartup.Count > 0 ? withStartup.Average(t => t.Startup!.Value) * 1000 : null,
            ["trials_per_second"] = ran.Count / span,
            ["mean_trial_seconds"] = busy / ran.Count,
            ["mean_slot_gap_ms"] = gaps.Count > 0 ? gaps.Average() * 1000 : null,
            ["p95_slot_gap_ms"] = gaps.Count > 0 ? Percentile(gaps, 0.95) * 1000 : null,
            ["mean_start_to_t0_ms"] = ran.Average(t => t.T0!.Value - t.Started!.Value) * 1000,
            ["mean_t1_to_ended_ms"] = ran.Where(t => t.Ended is not null).Average(t => t.Ended!.Value - t.T1!.Value) * 1000,
            ["attempts_over_1"] = ran.Count(t => t.Attempts > 1),
        };
    }

    /// <summary>
    /// Gaps between one trial's t1 and the next trial's t0 on the same slot. The API does not say which slot ran a
    /// trial, so each node's trials are assigned to its slots in t0 order, each to the slot free the longest.
    /// </summary>
    private static List<double> SlotGaps(IReadOnlyList<TrialResult> trials)
    {
        var gaps = new List<double>();
        foreach (var node in trials.GroupBy(t => t.Node))
        {
            var freeAt = new List<double>();
            foreach (var trial in node.OrderBy(t => t.T0))
            {
                var slot = freeAt.Count == 0 ? -1 : freeAt.IndexOf(freeAt.Min());
                if (freeAt.Count < SlotsPerWorker || slot < 0 || freeAt[slot] > trial.T0!.Value)
                {
                    freeAt.Add(trial.T1!.Value);
                    continue;
                }

                gaps.Add(trial.T0!.Value - freeAt[slot]);
                freeAt[slot] = trial.T1!.Value;
            }
        }

        return gaps;
    }

    private static async Task<JsonObject> ThroughputAsync(LocalCluster cluster, string project, int lines, int total, bool policy)
    {
        var sweep = Path.Combine(project, $"throughput-{lines}-{total}{(policy ? "" : "-nopolicy")}.yml");
        await File.WriteAllTextAsync(sweep, $$$"""
            name: throughput-{{{lines}}}{{{(policy ? "" : "-nopolicy")}}}
            trial:
              command: bash metrics.sh {{{lines}}}
              code: .
            sampling_algorithm: { type: random, seed: 1 }
            search_space:
              x: { type: uniform, min_value: 0, max_value: 1 }
            objective: { primary_metric: loss, goal: minimize }
            {{{(policy ? "early_termination: { type: bandit, slack_factor: 1000, evaluation_interval: 1 }" : "")}}}
            limits: { max_total_trials: {{{total}}}, max_concurrent_trials: {{{Slots}}} }
            """);
        Console.WriteLine($"throughput: {total} trials of {lines} metric lines ...");
        var seedCpu = cluster.Seed.CpuSeconds;
        var workersCpu = cluster.Workers.Sum(w => w.CpuSeconds);
        var clock = Stopwatch.StartNew();
        var id = await cluster.SubmitAsync(sweep);
        await cluster.WaitForEndAsync(id, TimeSpan.FromMinutes(20));
        var wall = clock.Elapsed.TotalSeconds;
        seedCpu = cluster.Seed.CpuSeconds - seedCpu;
        workersCpu = cluster.Workers.Sum(w => w.CpuSeconds) - workersCpu;
        var trials = await cluster.TrialsAsync(id);
        var ran = trials.Where(t => t.Started is not null && t.Ended is not null).ToList();
        var intervals = ran.Sum(t => (long)t.Intervals);
        var seconds = ran.Max(t => t.Ended!.Value) - ran.Min(t => t.Started!.Value);
        return new JsonObject
        {
            ["lines_per_trial"] = lines,
            ["policy"] = policy ? "bandit slack_factor 1000, evaluation_interval 1" : "none",
            ["trials"] = total,
            ["completed"] = trials.Count(t => t.State == "Completed"),
            ["states"] = string.Join(", ", trials.GroupBy(t => t.State).Select(g => $"{g.Key} {g.Count()}")),
            ["intervals"] = intervals,
            ["missing_intervals"] = ((long)lines * total) - intervals,
            ["seconds"] = seconds,
            ["intervals_per_second"] = intervals / seconds,
            ["mean_trial_seconds"] = ran.Average(t => t.Ended!.Value - t.Started!.Value),
            ["submit_to_end_seconds"] = wall,
            ["seed_cpu_seconds"] = seedCpu,
            ["workers_cpu_seconds"] = workersCpu,
            ["seed_cpu_ms_per_interval"] = seedCpu * 1000 / intervals,
        };
    }

    private static async Task<JsonObject> FailoverAsync(LocalCluster cluster, string project, bool graceful, bool warm)
    {
        var warmed = 0;
        if (warm)
        {
            // A cluster that has run trials: every worker's trial shard is already allocated (as in any cluster that has worked a while).
            var warmup = Path.Combine(project, "warmup.yml");
            await File.WriteAllTextAsync(warmup, $$$"""
                name: warmup
                trial:
                  command: bash trial.sh 0.5
                  code: .
                sampling_algorithm: { type: random, seed: 1 }
                search_space:
                  x: { type: uniform, min_value: 0, max_value: 1 }
                objective: { primary_metric: t1, goal: minimize }
                limits: { max_total_trials: {{{Slots}}}, max_concurrent_trials: {{{Slots}}} }
                """);
            var warmId = await cluster.SubmitAsync(warmup);
            await cluster.WaitForEndAsync(warmId, TimeSpan.FromMinutes(2));
            warmed = (await cluster.TrialsAsync(warmId)).Select(t => t.Node).Distinct().Count();
        }

        var sweep = Path.Combine(project, "failover.yml");
        await File.WriteAllTextAsync(sweep, """
            name: failover
            trial:
              command: bash trial.sh 8
              code: .
            sampling_algorithm: { type: random, seed: 1 }
            search_space:
              x: { type: uniform, min_value: 0, max_value: 1 }
            objective: { primary_metric: t1, goal: minimize }
            limits: { max_total_trials: 4, max_concurrent_trials: 4 }
            """);
        Console.WriteLine(graceful ? "failover: SIGTERM a worker running 2 trials ..." : "failover: SIGKILL a worker running 2 trials ...");
        var id = await cluster.SubmitAsync(sweep);

        // 4 trials on 6 slots: whichever worker runs two, the other workers have two free slots between them.
        var deadline = Stopwatch.StartNew();
        IGrouping<string, TrialResult>? victimTrials = null;
        while (victimTrials is null)
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException("no worker ran two trials");
            }

            var now = TrialResult.Unix(DateTimeOffset.UtcNow);
            victimTrials = (await cluster.TrialsAsync(id)).Where(t => t.State == "Running" && t.T0 is { } t0 && now - t0 >= 1.0)
                .GroupBy(t => t.Node).FirstOrDefault(g => g.Count() == SlotsPerWorker);
            if (victimTrials is null)
            {
                await Task.Delay(100);
            }
        }

        var victim = cluster.Workers.Single(w => w.NodeId == victimTrials.Key);
        var lost = victimTrials.Select(t => t.Number).ToHashSet();
        var killedAt = DateTimeOffset.UtcNow;
        if (graceful)
        {
            victim.Terminate();
        }
        else
        {
            victim.KillHard();
        }

        var how = graceful ? "left the cluster" : "unreachable";
        DateTimeOffset? detected = null;
        List<TrialResult> restarted = [];
        deadline.Restart();
        while (deadline.Elapsed < TimeSpan.FromSeconds(90))
        {
            detected ??= cluster.SeedLogLine("Worker node " + victim.NodeId, how);
            restarted = [.. (await cluster.TrialsAsync(id)).Where(t => lost.Contains(t.Number) && t.Attempts >= 2 && t.T0 is not null && t.Node != victim.NodeId)];
            if (detected is not null && restarted.Count == lost.Count)
            {
                break;
            }

            await Task.Delay(100);
        }

        await cluster.CancelAsync(id);
        var kill = TrialResult.Unix(killedAt);
        var detect = detected is { } d ? TrialResult.Unix(d) : (double?)null;
        var firstT0 = restarted.Count > 0 ? restarted.Min(t => t.T0!.Value) : (double?)null;
        var lastT0 = restarted.Count == lost.Count ? restarted.Max(t => t.T0!.Value) : (double?)null;
        return new JsonObject
        {
            ["victim"] = victim.NodeId,
            ["warm_workers"] = warmed,
            ["lost_trials"] = new JsonArray([.. lost.Select(n => JsonValue.Create(n))]),
            ["restarted_trials"] = restarted.Count,
            ["detect_s"] = detect - kill,
            ["restart_s"] = firstT0 - detect,
            ["total_s"] = firstT0 - kill,
            ["total_last_s"] = lastT0 - kill,
        };
    }

    private static string WriteProject(string folder)
    {
        var project = Path.Combine(folder, "project");
        Directory.CreateDirectory(project);
        File.WriteAllText(Path.Combine(project, "trial.sh"), TrialScript.Replace("\r", "", StringComparison.Ordinal) + "\n");
        File.WriteAllText(Path.Combine(project, "metrics.sh"), MetricsScript.Replace("\r", "", StringComparison.Ordinal) + "\n");
        return project;
    }

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
    }

    private static string Percent(JsonNode? value) => value is null ? "n/a" : (Double(value) * 100).ToString("F1", CultureInfo.InvariantCulture) + "%";

    private static string Num(JsonNode? value, string format) => value is null ? "n/a" : Double(value).ToString(format, CultureInfo.InvariantCulture);

    private static double Double(JsonNode value) => double.Parse(value.ToJsonString(), CultureInfo.InvariantCulture);
}
