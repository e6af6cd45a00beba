using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using HyperDrive.Core.History;
using HyperDrive.Core.Sampling;
using HyperDrive.Core.Specs;

namespace HyperDrive.Benchmarks;

/// <summary>
/// Search quality on the public objectives (../shared/bench/README.md §1): every built sampler, seeds 1..S, T sequential
/// trials in process, sweeps read from sweep-file text (the real spec path); best-so-far regret at k = 10, 25, 50, 100,
/// median [IQR], with Optuna's samplers run by optuna_peer.py in the same run.
/// </summary>
internal static class QualityBenchmark
{
    private static readonly int[] Ks = [10, 25, 50, 100];

    public static int Run(int seeds, int trials, IReadOnlyList<string>? samplers, string? peerScript, string? output)
    {
        var root = Repository.Root();
        var objectives = QualityObjective.All(root);
        // The README's known minimum of ridge_diabetes, so a wrong scaling or fold split cannot go unnoticed.
        var ridgeAtOptimum = RidgeDiabetes.Load(Path.Combine(root, "data", "diabetes")).Loss(3.91e-4, fitIntercept: true);
        if (Math.Abs(ridgeAtOptimum - -0.482327) > 5e-7)
        {
            Console.Error.WriteLine($"ridge_diabetes at alpha 3.91e-4 with intercept is {ridgeAtOptimum:R}, not -0.482327: the objective is wrong");
            return 1;
        }

        // A plug-in is the user's own search: there is none to benchmark.
        var names = samplers ?? [.. SamplerRegistry.Built.Where(n => n != "plugin")];
        Console.WriteLine($"# Search quality: {seeds} seeds x {trials} trials, sequential; {Environment.ProcessorCount} cores, {BenchmarkHost.Runtime}");
        Console.WriteLine();

        // The peer runs beside our samplers; both sides of the table come from this run.
        Process? peer = null;
        if (peerScript is not null && File.Exists(peerScript) && File.Exists("/usr/bin/python3"))
        {
            peer = Process.Start(new ProcessStartInfo("/usr/bin/python3")
            {
                ArgumentList = { peerScript, "quality", "--seeds", seeds.ToString(CultureInfo.InvariantCulture), "--trials", trials.ToString(CultureInfo.InvariantCulture), "--json" },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            });
        }

        var peerOutput = peer?.StandardOutput.ReadToEndAsync();
        var rows = new List<Row>();
        foreach (var objective in objectives)
        {
            foreach (var sampler in names)
            {
                var clock = Stopwatch.StartNew();
                var regrets = new double[seeds][];
                string? skipped = null;
                try
                {
                    Parallel.For(0, seeds, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, s =>
                        regrets[s] = RunOne(objective, sampler, s + 1, trials));
                }
                catch (AggregateException e) when (e.InnerExceptions.All(i => i is SpecException))
                {
                    skipped = ((SpecException)e.InnerExceptions[0]).Diagnostics[0].Message;
                }

                if (skipped is not null)
                {
                    Console.Error.WriteLine($"({sampler} skipped on {objective.Name}: {skipped})");
                    continue;
                }

                var row = new Row(objective.Name, sampler, "hyperdrive", Summarise(regrets, trials), clock.Elapsed.TotalSeconds);
                rows.Add(row);
                Console.Error.WriteLine($"{row.Objective} {row.Sampler}: {string.Join("  ", row.Cells.Select(c => $"k={c.K}: {Format(c)}"))} ({row.Seconds:F1} s)");
            }
        }

        if (peer is not null)
        {
            peer.WaitForExit();
            var text = peerOutput!.Result.Trim();
            if (peer.ExitCode == 0 && text.Length > 0)
            {
                foreach (var node in JsonNode.Parse(text)!.AsArray())
                {
                    var regret = node!["regret"]!.AsObject();
                    var cells = regret.Select(kv => new Cell(int.Parse(kv.Key, CultureInfo.InvariantCulture),
                        kv.Value![0]!.GetValue<double>(), kv.Value[1]!.GetValue<double>(), kv.Value[2]!.GetValue<double>())).ToList();
                    rows.Add(new Row(node["objective"]!.GetValue<string>(), "optuna " + node["sampler"]!.GetValue<string>(), "optuna", cells, null));
                }
            }
            else
            {
                Console.Error.WriteLine($"(Optuna peer failed, exit {peer.ExitCode}: {peer.StandardError.ReadToEnd()})");
            }
        }
        else
        {
            Console.WriteLine("(Optuna peer not run: /usr/bin/python3 or the peer script is missing)");
        }

        var ks = Ks.Where(k => k <= trials).ToList();
        Console.WriteLine("| objective | sampler | " + string.Join(" | ", ks.Select(k => $"k={k}")) + " |");
        Console.WriteLine("|---|---|" + string.Concat(ks.Select(_ => "---|")));
        foreach (var row in rows.OrderBy(r => objectives.ToList().FindIndex(o => o.Name == r.Objective)).ThenBy(r => r.Source != "hyperdrive"))
        {
            Console.WriteLine($"| {row.Objective} | {row.Sampler} | " + string.Join(" | ", row.Cells.Select(Format)) + " |");
        }

        var path = output ?? Path.Combine(root, "benchmarks", "results", $"quality-{DateTime.UtcNow:yyyyMMdd-HHmm}.json");
        var json = new JsonObject
        {
            ["benchmark"] = "quality",
            ["command"] = $"scripts/bench quality --seeds {seeds} --trials {trials}" + (samplers is null ? "" : " --samplers " + string.Join(",", samplers)),
            ["seeds"] = seeds,
            ["trials"] = trials,
            ["cores"] = Environment.ProcessorCount,
            ["rows"] = new JsonArray([.. rows.Select(r => (JsonNode)new JsonObject
            {
                ["objective"] = r.Objective,
                ["sampler"] = r.Sampler,
                ["source"] = r.Source,
                ["seconds"] = r.Seconds,
                ["regret"] = new JsonObject(r.Cells.Select(c => KeyValuePair.Create(c.K.ToString(CultureInfo.InvariantCulture), (JsonNode?)new JsonArray(c.Median, c.Q25, c.Q75)))),
            })]),
        };
        File.WriteAllText(path, json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        Console.WriteLine();
        Console.WriteLine($"results: {Path.GetRelativePath(root, path)}");
        return 0;
    }

    /// <summary>One sequential sweep: the best-so-far regret after each trial.</summary>
    public static double[] RunOne(QualityObjective objective, string sampler, long seed, int trials) =>
        [.. Sequence(objective, sampler, seed, trials).Select(s => s.Regret)];

    /// <summary>The (x1, x2) points a sequential in-process sweep proposes (branin's parameters).</summary>
    public static List<(double X1, double X2)> Proposals(QualityObjective objective, string sampler, long seed, int trials) =>
        [.. Sequence(objective, sampler, seed, trials).Select(s => (s.Proposal.Find("x1")?.AsDouble() ?? double.NaN, s.Proposal.Find("x2")?.AsDouble() ?? double.NaN))];

    private static List<(Core.Parameters.ParameterSet Proposal, double Regret)> Sequence(QualityObjective objective, string sampler, long seed, int trials)
    {
        var text = $$"""
            name: quality-{{objective.Name}}
            trial:
              command: python3 objective.py
            sampling_algorithm: { type: {{sampler}}, seed: {{seed}} }
            search_space:
            {{Indent(objective.SearchSpaceYaml)}}
            objective: { primary_metric: loss, goal: minimize }
            limits: { max_total_trials: {{trials}} }
            """;
        var read = SweepSpecReader.ReadText(text);
        var spec = read.Spec ?? throw new SpecException([.. read.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)]);
        var proposer = SamplerRegistry.Create(spec);
        var history = SweepHistory.Empty(spec.Objective);
        var best = double.PositiveInfinity;
        var sequence = new List<(Core.Parameters.ParameterSet, double)>(trials);
        for (var t = 0; t < trials; t++)
        {
            var proposal = proposer.Propose(history) ?? throw new InvalidOperationException($"{sampler} ran out of proposals");
            var value = objective.Loss(proposal);
            history = history.Propose(proposal);
            history = history.Report(history.Count, new MetricPoint(1, value)).Finish(history.Count, TrialStatus.Completed);
            best = Math.Min(best, value);
            sequence.Add((proposal, best - objective.KnownMinimum));
        }

        return sequence;
    }

    /// <summary>The q-th percentile with linear interpolation between order statistics (NumPy's default).</summary>
    public static double Percentile(IReadOnlyList<double> values, double q)
    {
        var sorted = values.Order().ToArray();
        var position = q / 100 * (sorted.Length - 1);
        var low = (int)Math.Floor(position);
        var high = Math.Min(low + 1, sorted.Length - 1);
        return sorted[low] + (position - low) * (sorted[high] - sorted[low]);
    }

    private static List<Cell> Summarise(double[][] regrets, int trials) =>
        [.. Ks.Where(k => k <= trials).Select(k =>
        {
            var at = regrets.Select(r => r[k - 1]).ToList();
            return new Cell(k, Percentile(at, 50), Percentile(at, 25), Percentile(at, 75));
        })];

    private static string Format(Cell c) => $"{G(c.Median)} [{G(c.Q25)}, {G(c.Q75)}]";

    private static string G(double v) => v.ToString("G3", CultureInfo.InvariantCulture);

    private static string Indent(string yaml) => string.Join("\n", yaml.Split('\n').Select(l => "  " + l.Trim()));

    private sealed record Cell(int K, double Median, double Q25, double Q75);

    private sealed record Row(string Objective, string Sampler, string Source, List<Cell> Cells, double? Seconds);
}
