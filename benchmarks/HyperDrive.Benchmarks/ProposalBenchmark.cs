using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using HyperDrive.Core.History;
using HyperDrive.Core.Sampling;
using HyperDrive.Core.Specs;

namespace HyperDrive.Benchmarks;

/// <summary>
/// Proposal latency of every model-based sampler in the registry: a history of 200 completed trials over 5 parameters
/// (2 uniform, 1 loguniform, 1 quniform, 1 choice; random points, a smooth made-up loss), then 100 proposals, each
/// recorded as completed before the next (so the model sees 200..299 observations); median and maximum wall time.
/// </summary>
internal static class ProposalBenchmark
{
    // A plug-in is a process of the user's: its latency is its own.
    private static readonly string[] NotModelBased = ["random", "grid", "sobol", "plugin"];

    public static int Run(int observations, int proposals, string? output)
    {
        var root = Repository.Root();
        Console.WriteLine($"# Proposal latency: {observations} observations, 5 parameters, {proposals} proposals; {Environment.ProcessorCount} cores, {BenchmarkHost.Runtime}");
        Console.WriteLine();
        Console.WriteLine("| sampler | median ms | p90 ms | max ms |");
        Console.WriteLine("|---|---|---|---|");
        var rows = new JsonArray();
        foreach (var name in SamplerRegistry.Built.Where(n => !NotModelBased.Contains(n)))
        {
            var spec = Spec(name);
            var seeding = SamplerRegistry.Create(Spec("random"));
            var history = SweepHistory.Empty(spec.Objective);
            for (var i = 0; i < observations; i++)
            {
                history = Record(history, seeding.Propose(history)!);
            }

            var sampler = SamplerRegistry.Create(spec);
            var times = new List<double>();
            for (var i = 0; i < proposals; i++)
            {
                var clock = Stopwatch.StartNew();
                var proposal = sampler.Propose(history) ?? throw new InvalidOperationException($"{name} ran out of proposals");
                times.Add(clock.Elapsed.TotalMilliseconds);
                history = Record(history, proposal);
            }

            var (median, p90, max) = (QualityBenchmark.Percentile(times, 50), QualityBenchmark.Percentile(times, 90), times.Max());
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {median:F1} | {p90:F1} | {max:F1} |"));
            rows.Add(new JsonObject { ["sampler"] = name, ["median_ms"] = median, ["p90_ms"] = p90, ["max_ms"] = max, ["ms"] = new JsonArray([.. times.Select(t => (JsonNode)t)]) });
        }

        var path = output ?? Path.Combine(root, "benchmarks", "results", $"proposals-{DateTime.UtcNow:yyyyMMdd-HHmm}.json");
        var json = new JsonObject
        {
            ["benchmark"] = "proposals",
            ["command"] = $"scripts/bench proposals --observations {observations} --proposals {proposals}",
            ["cores"] = Environment.ProcessorCount,
            ["rows"] = rows,
        };
        File.WriteAllText(path, json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        Console.WriteLine();
        Console.WriteLine($"results: {Path.GetRelativePath(root, path)}");
        return 0;
    }

    private static SweepSpec Spec(string sampler)
    {
        var text = $$"""
            name: proposals
            trial:
              command: python3 objective.py
            sampling_algorithm: { type: {{sampler}}, seed: 1 }
            search_space:
              a: { type: uniform, min_value: 0, max_value: 1 }
              b: { type: uniform, min_value: -5, max_value: 5 }
              c: { type: loguniform, min_value: -11.5, max_value: 0 }
              d: { type: quniform, min_value: 1, max_value: 100, q: 1 }
              e: { type: choice, values: [x, y, z] }
            objective: { primary_metric: loss, goal: minimize }
            """;
        var read = SweepSpecReader.ReadText(text);
        return read.Spec ?? throw new InvalidOperationException(string.Join("\n", read.Diagnostics));
    }

    private static SweepHistory Record(SweepHistory history, Core.Parameters.ParameterSet p)
    {
        var a = p.Find("a")!.AsDouble()!.Value;
        var b = p.Find("b")!.AsDouble()!.Value;
        var c = Math.Log(p.Find("c")!.AsDouble()!.Value);
        var d = p.Find("d")!.AsDouble()!.Value;
        var e = p.Find("e")!.ToInvariantString() == "y" ? 0.5 : 0;
        var loss = (a - 0.3) * (a - 0.3) + Math.Sin(b) + 0.01 * (c + 5) * (c + 5) + Math.Abs(d - 40) / 100 + e;
        history = history.Propose(p);
        return history.Report(history.Count, new MetricPoint(1, loss)).Finish(history.Count, TrialStatus.Completed);
    }
}
