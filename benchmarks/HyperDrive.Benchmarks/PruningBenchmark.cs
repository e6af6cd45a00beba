using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using HyperDrive.Core.History;
using HyperDrive.Core.Parameters;
using HyperDrive.Core.Policies;

namespace HyperDrive.Benchmarks;

/// <summary>
/// Early stopping on real learning curves (benchmarks/pruning/curves-digits-mlp.json): every curve replayed through the
/// real policy classes in seeded random orders, <c>concurrency</c> trials at a time (each round, every running trial in
/// start order reports its next epoch and the policy decides; a stopped or finished trial's slot goes to the next curve,
/// which reports from the next round on), beside Optuna's pruners on the same curves in the same orders and the same
/// interleaving (benchmarks/pruning/optuna_replay.py). Per order: epochs saved (1 − epochs run / all epochs), whether
/// the best configuration (the best final value over all curves run to completion) ran to its last epoch, and the
/// regret (best final value over all curves − best final value among the trials that completed).
/// </summary>
internal static class PruningBenchmark
{
    public static int Run(string curvesPath, int orders, int concurrency, int seed, string outPath)
    {
        var document = JsonNode.Parse(File.ReadAllText(curvesPath))!;
        var metric = (string?)document["metric"] ?? "val_accuracy";
        var goal = (string?)document["goal"] == "minimize" ? Goal.Minimize : Goal.Maximize;
        var curves = document["curves"]!.AsArray().Select(c => c![metric]!.AsArray().Select(v => (double)v!).ToArray()).ToArray();
        var epochs = curves.Max(c => c.Length);
        var objective = new Objective(metric, goal);
        var finals = curves.Select(c => c[^1]).ToArray();
        var bestFinal = goal == Goal.Maximize ? finals.Max() : finals.Min();
        var best = Enumerable.Range(0, curves.Length).Where(i => finals[i] == bestFinal).ToHashSet();

        var random = new Random(seed);
        var permutations = Enumerable.Range(0, orders).Select(_ =>
        {
            var order = Enumerable.Range(0, curves.Length).ToArray();
            random.Shuffle(order);
            return order;
        }).ToArray();

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"# Pruning replay: {curves.Length} curves x {epochs} epochs ({curvesPath}), {orders} orders (seed {seed}), {concurrency} at a time"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"best final {metric} {bestFinal} (curve {string.Join(", ", best)}); {Environment.ProcessorCount} cores"));
        Console.WriteLine();

        var policies = new (string Name, Func<IEarlyTerminationPolicy> Create)[]
        {
            ("bandit slack_factor 0.1, delay_evaluation 5", () => BanditPolicy.WithSlackFactor(0.1, new EvaluationSchedule(1, 5))),
            ("median_stopping delay_evaluation 5", () => new MedianStoppingPolicy(new EvaluationSchedule(1, 5))),
            ("truncation_selection 20%, delay_evaluation 5", () => new TruncationSelectionPolicy(20, false, new EvaluationSchedule(1, 5))),
            ("asha (defaults: reduction_factor 4, min_resource 1)", () => new AshaPolicy()),
            ($"hyperband (defaults: reduction_factor 3, min_resource 1; max_resource {epochs})", () => new HyperbandPolicy(epochs)),
        };

        var rows = new List<Row>();
        foreach (var (name, create) in policies)
        {
            var watch = Stopwatch.StartNew();
            var runs = permutations.Select(order => Replay(curves, order, concurrency, create(), objective)).ToList();
            rows.Add(Summarise(name, "HyperDrive", runs, curves, best, bestFinal, goal, watch.Elapsed.TotalSeconds));
        }

        rows.AddRange(RunOptuna(curvesPath, permutations, concurrency, curves, best, bestFinal, goal));

        Console.WriteLine("| side | policy | epochs saved, median [min, max] | best configuration kept | median regret of the best completed |");
        Console.WriteLine("|---|---|---|---|---|");
        foreach (var row in rows)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {row.Side} | {row.Name} | {row.MedianSaved:P1} [{row.MinSaved:P1}, {row.MaxSaved:P1}] | {row.KeptOrders}/{orders} ({(double)row.KeptOrders / orders:P0}) | {row.MedianRegret:G4} |"));
        }

        var result = new JsonObject
        {
            ["benchmark"] = "pruning",
            ["command"] = $"scripts/bench pruning --orders {orders} --concurrency {concurrency} --seed {seed}",
            ["curves"] = curvesPath,
            ["curve_count"] = curves.Length,
            ["epochs"] = epochs,
            ["metric"] = metric,
            ["best_final"] = bestFinal,
            ["best_curves"] = new JsonArray([.. best.Select(i => JsonValue.Create(i))]),
            ["orders"] = orders,
            ["concurrency"] = concurrency,
            ["seed"] = seed,
            ["machine"] = BenchmarkHost.Machine(),
            ["date"] = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["results"] = new JsonArray([.. rows.Select(r => r.ToJson())]),
        };
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outPath))!);
        File.WriteAllText(outPath, result.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        Console.WriteLine();
        Console.WriteLine($"written {outPath}");
        return 0;
    }

    /// <summary>One order through one policy: the epochs run and the curves that ran to their last epoch.</summary>
    internal static (int EpochsRun, List<int> Completed, int Stops) Replay(
        double[][] curves, int[] order, int concurrency, IEarlyTerminationPolicy policy, Objective objective)
    {
        var history = SweepHistory.Empty(objective);
        var queue = new Queue<int>(order);
        var running = new List<(int Trial, int Curve)>();
        var completed = new List<int>();
        var epochsRun = 0;
        var stops = 0;

        void Start()
        {
            if (queue.Count > 0)
            {
                history = history.Propose(ParameterSet.Empty);
                running.Add((history.Count, queue.Dequeue()));
            }
        }

        for (var i = 0; i < concurrency; i++)
        {
            Start();
        }

        while (running.Count > 0)
        {
            foreach (var (trial, curve) in running.ToList())
            {
                var epoch = history.Trial(trial).LastInterval + 1;
                history = history.Report(trial, new MetricPoint(epoch, curves[curve][epoch - 1]));
                epochsRun++;
                if (epoch == curves[curve].Length)
                {
                    history = history.Finish(trial, TrialStatus.Completed);
                    completed.Add(curve);
                }
                else if (policy.Evaluate(history, trial, epoch).Stop)
                {
                    history = history.Finish(trial, TrialStatus.Canceled);
                    stops++;
                }
                else
                {
                    continue;
                }

                running.Remove((trial, curve));
                Start();
            }
        }

        return (epochsRun, completed, stops);
    }

    private static Row Summarise(
        string name, string side, List<(int EpochsRun, List<int> Completed, int Stops)> runs, double[][] curves,
        HashSet<int> best, double bestFinal, Goal goal, double seconds)
    {
        var total = curves.Sum(c => c.Length);
        var saved = runs.Select(r => 1 - ((double)r.EpochsRun / total)).ToArray();
        var regrets = runs.Select(r =>
        {
            var found = r.Completed.Count == 0 ? double.NaN
                : goal == Goal.Maximize ? r.Completed.Max(i => curves[i][^1]) : r.Completed.Min(i => curves[i][^1]);
            return Math.Abs(bestFinal - found);
        }).ToArray();
        var kept = runs.Select(r => r.Completed.Any(best.Contains)).ToArray();
        var sortedSaved = saved.Order().ToArray();
        return new Row(
            side, name, Median(sortedSaved), sortedSaved[0], sortedSaved[^1], kept.Count(k => k), Median([.. regrets.Order()]),
            saved, kept, regrets, [.. runs.Select(r => r.EpochsRun)], [.. runs.Select(r => r.Completed.Count)], seconds);
    }

    private static IEnumerable<Row> RunOptuna(
        string curvesPath, int[][] permutations, int concurrency, double[][] curves, HashSet<int> best, double bestFinal, Goal goal)
    {
        var script = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(curvesPath))!, "optuna_replay.py");
        if (!File.Exists("/usr/bin/python3") || !File.Exists(script))
        {
            Console.WriteLine("(Optuna not run: /usr/bin/python3 or benchmarks/pruning/optuna_replay.py is missing)");
            yield break;
        }

        var ordersFile = Path.Combine(Path.GetTempPath(), $"hyperdrive-pruning-orders-{Environment.ProcessId}.json");
        File.WriteAllText(ordersFile, new JsonObject
        {
            ["concurrency"] = concurrency,
            ["orders"] = new JsonArray([.. permutations.Select(o => new JsonArray([.. o.Select(i => JsonValue.Create(i))]))]),
        }.ToJsonString());
        var watch = Stopwatch.StartNew();
        var (exitCode, output, errors) = BenchmarkHost.Run("/usr/bin/python3", [script, "--curves", curvesPath, "--orders", ordersFile]);
        var seconds = watch.Elapsed.TotalSeconds;
        File.Delete(ordersFile);
        if (exitCode != 0)
        {
            Console.WriteLine($"(Optuna replay failed, exit {exitCode}: {errors.Trim()})");
            yield break;
        }

        var peer = JsonNode.Parse(output)!;
        var results = peer["results"]!.AsArray();
        foreach (var result in results)
        {
            var runs = result!["orders"]!.AsArray()
                .Select(o => ((int)o!["epochs_run"]!, o["completed"]!.AsArray().Select(i => (int)i!).ToList(), 0))
                .ToList();
            yield return Summarise(
                (string)result["name"]!, $"Optuna {(string?)peer["optuna"]}", runs, curves, best, bestFinal, goal,
                seconds / results.Count);
        }
    }

    private static double Median(double[] sorted) =>
        sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;

    private sealed record Row(
        string Side, string Name, double MedianSaved, double MinSaved, double MaxSaved, int KeptOrders, double MedianRegret,
        double[] Saved, bool[] Kept, double[] Regret, int[] EpochsRun, int[] Completed, double Seconds)
    {
        public JsonObject ToJson() => new()
        {
            ["side"] = Side,
            ["policy"] = Name,
            ["median_epochs_saved"] = Math.Round(MedianSaved, 4),
            ["min_epochs_saved"] = Math.Round(MinSaved, 4),
            ["max_epochs_saved"] = Math.Round(MaxSaved, 4),
            ["orders_best_kept"] = KeptOrders,
            ["median_regret"] = Math.Round(MedianRegret, 6),
            ["seconds"] = Math.Round(Seconds, 2),
            ["per_order"] = new JsonArray([.. Saved.Select((saved, i) => new JsonObject
            {
                ["epochs_run"] = EpochsRun[i],
                ["epochs_saved"] = Math.Round(saved, 4),
                ["best_kept"] = Kept[i],
                ["regret"] = Math.Round(Regret[i], 6),
                ["completed"] = Completed[i],
            })]),
        };
    }
}
