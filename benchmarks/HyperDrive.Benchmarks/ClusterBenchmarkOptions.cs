using System.Globalization;

namespace HyperDrive.Benchmarks;

/// <summary>
/// <c>cluster [--hyperdrive PATH/hyperdrive.dll] [--postgres CONN] [--parts utilisation,throughput,failover]
/// [--trials 300] [--sizes LINES:TRIALS[:nopolicy],...] [--out FILE] [--keep]</c> (--keep leaves the nodes' folders and logs in /tmp).
/// </summary>
internal sealed record ClusterBenchmarkOptions(
    string HyperdriveDll,
    string? Postgres,
    IReadOnlySet<string> Parts,
    int UtilisationTrials,
    IReadOnlyList<(int Lines, int Trials, bool Policy)> ThroughputSizes,
    string? Output,
    bool Keep,
    IReadOnlyList<string> Arguments)
{
    public static ClusterBenchmarkOptions Parse(IReadOnlyList<string> args)
    {
        string? Value(string name)
        {
            var index = args.ToList().IndexOf(name);
            return index >= 0 && index + 1 < args.Count ? args[index + 1] : null;
        }

        var dll = Value("--hyperdrive") ?? Path.Combine("src", "HyperDrive.Cli", "bin", "Release", "net10.0", "hyperdrive.dll");
        var sizes = (Value("--sizes") ?? "2000:30,20000:6").Split(',').Select(s => s.Split(':'))
            .Select(p => (int.Parse(p[0], CultureInfo.InvariantCulture), int.Parse(p[1], CultureInfo.InvariantCulture), p.Length < 3 || p[2] != "nopolicy")).ToList();
        return new ClusterBenchmarkOptions(
            Path.GetFullPath(dll),
            Value("--postgres"),
            (Value("--parts") ?? "utilisation,throughput,failover").Split(',').ToHashSet(StringComparer.Ordinal),
            int.Parse(Value("--trials") ?? "300", CultureInfo.InvariantCulture),
            sizes,
            Value("--out"),
            args.Contains("--keep"),
            [.. args.Skip(1).Select(a => a == Value("--postgres") ? "CONN" : a)]);
    }
}
