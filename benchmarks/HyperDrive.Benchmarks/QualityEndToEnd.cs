using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace HyperDrive.Benchmarks;

/// <summary>
/// The quality benchmark's branin through the real path: a sweep file run by the embedded engine (<c>hyperdrive run</c>),
/// each trial an external Python command that evaluates branin and prints the metric line. Compared, seed by seed, with
/// the in-process run of the same sampler and seed: the engine must not change what the sampler finds.
/// </summary>
internal static partial class QualityEndToEnd
{
    private const string BraninScript = """
        import math, sys
        x1, x2 = float(sys.argv[1]), float(sys.argv[2])
        b, c, t = 5.1 / (4 * math.pi * math.pi), 5 / math.pi, 1 / (8 * math.pi)
        inner = x2 - b * x1 * x1 + c * x1 - 6
        print(f"hyperdrive: loss={inner * inner + 10 * (1 - t) * math.cos(x1) + 10!r}", flush=True)
        """;

    public static int Run(int seeds, int trials, string sampler, string dll, string? output)
    {
        var root = Repository.Root();
        var objective = QualityObjective.All(root).Single(o => o.Name == "branin");
        var folder = Directory.CreateTempSubdirectory("hyperdrive-quality-e2e-").FullName;
        File.WriteAllText(Path.Combine(folder, "branin.py"), BraninScript.Replace("\r", "", StringComparison.Ordinal) + "\n");
        Console.WriteLine($"# branin through `hyperdrive run` (external python3 command per trial) vs in-process; sampler {sampler}, {trials} trials, seeds 1..{seeds}");
        Console.WriteLine("| seed | end-to-end regret k=10 / 25 / final | in-process | same proposals | wall s |");
        Console.WriteLine("|---|---|---|---|---|");
        var rows = new List<object>();
        var identical = 0;
        for (var seed = 1; seed <= seeds; seed++)
        {
            var sweep = Path.Combine(folder, $"branin-{seed}.yml");
            File.WriteAllText(sweep, $$$"""
                name: branin-e2e-{{{seed}}}
                trial:
                  command: python3 branin.py ${{search_space.x1}} ${{search_space.x2}}
                  code: .
                sampling_algorithm: { type: {{{sampler}}}, seed: {{{seed}}} }
                search_space:
                  x1: { type: uniform, min_value: -5, max_value: 10 }
                  x2: { type: uniform, min_value: 0, max_value: 15 }
                objective: { primary_metric: loss, goal: minimize }
                limits: { max_total_trials: {{{trials}}}, max_concurrent_trials: 1 }
                """);
            var clock = Stopwatch.StartNew();
            var run = Cli(dll, folder, "run", sweep);
            var id = SweepId().Match(run).Groups[1].Value;
            var json = Cli(dll, folder, "runs", id, "--json");
            clock.Stop();
            using var document = JsonDocument.Parse(json);
            var values = document.RootElement.GetProperty("trials").EnumerateArray()
                .OrderBy(t => t.GetProperty("number").GetInt32())
                .Select(t => (X1: t.GetProperty("parameters").GetProperty("x1").GetDouble(), X2: t.GetProperty("parameters").GetProperty("x2").GetDouble(),
                    Loss: t.GetProperty("metrics").GetProperty("loss").GetDouble()))
                .ToList();
            var endToEnd = Regret(values.Select(v => v.Loss), objective.KnownMinimum);
            var inProcess = QualityBenchmark.RunOne(objective, sampler, seed, trials);
            var inProcessPoints = QualityBenchmark.Proposals(objective, sampler, seed, trials);
            var same = inProcessPoints.Count == values.Count && inProcessPoints.Zip(values, (a, b) => a.X1 == b.X1 && a.X2 == b.X2).All(equal => equal);
            identical += same ? 1 : 0;
            Console.WriteLine($"| {seed} | {At(endToEnd, 10)} / {At(endToEnd, 25)} / {G(endToEnd[^1])} | {At(inProcess, 10)} / {At(inProcess, 25)} / {G(inProcess[^1])} | {(same ? "yes" : "no")} | {clock.Elapsed.TotalSeconds:F1} |");
            rows.Add(new { seed, end_to_end = endToEnd, in_process = inProcess, same_proposals = same, wall_seconds = clock.Elapsed.TotalSeconds });
        }

        Console.WriteLine($"{identical} of {seeds} seeds proposed exactly the same points end to end as in process.");
        var path = output ?? Path.Combine(root, "benchmarks", "results", $"quality-e2e-{DateTime.UtcNow:yyyyMMdd-HHmm}.json");
        File.WriteAllText(path, JsonSerializer.Serialize(new { sampler, trials, seeds, identical, rows }, new JsonSerializerOptions { WriteIndented = true }));
        Console.WriteLine($"results: {Path.GetRelativePath(root, path)}");
        return identical == seeds ? 0 : 1;
    }

    private static double[] Regret(IEnumerable<double> losses, double minimum)
    {
        var best = double.PositiveInfinity;
        return [.. losses.Select(l => (best = Math.Min(best, l)) - minimum)];
    }

    private static string Cli(string dll, string folder, params string[] arguments)
    {
        var (exitCode, output, error) = BenchmarkHost.Run("dotnet", [Path.GetFullPath(dll), .. arguments], folder);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"hyperdrive {string.Join(' ', arguments)} exited {exitCode}: {error}{output}");
        }

        return output;
    }

    private static string At(double[] regret, int k) => regret.Length >= k ? G(regret[k - 1]) : "-";

    private static string G(double v) => v.ToString("G3", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"Sweep (\S+) completed")]
    private static partial Regex SweepId();
}
