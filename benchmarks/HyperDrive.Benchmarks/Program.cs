using HyperDrive.Benchmarks;

// hyperdrive benchmarks: `overhead [--trials N] [--peer PATH-TO-optuna_peer.py]`, `cluster [options]` (ClusterBenchmarkOptions).
var command = args.FirstOrDefault() ?? "overhead";
var trials = ArgValue("--trials") is { } t ? int.Parse(t, System.Globalization.CultureInfo.InvariantCulture) : 1000;
var peer = ArgValue("--peer");
return command switch
{
    "overhead" => await OverheadBenchmark.RunAsync(trials, peer),
    "cluster" => await ClusterBenchmark.RunAsync(ClusterBenchmarkOptions.Parse(args)),
    "pruning" => PruningBenchmark.Run(
        ArgValue("--curves") ?? "benchmarks/pruning/curves-digits-mlp.json",
        int.Parse(ArgValue("--orders") ?? "20", System.Globalization.CultureInfo.InvariantCulture),
        int.Parse(ArgValue("--concurrency") ?? "4", System.Globalization.CultureInfo.InvariantCulture),
        int.Parse(ArgValue("--seed") ?? "1", System.Globalization.CultureInfo.InvariantCulture),
        ArgValue("--out") ?? "benchmarks/results/pruning-digits-mlp.json"),
    _ => Usage(),
};

string? ArgValue(string name)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}

static int Usage()
{
    Console.Error.WriteLine("usage: HyperDrive.Benchmarks overhead [--trials N] [--peer ../shared/bench/optuna_peer.py]");
    Console.Error.WriteLine("       HyperDrive.Benchmarks pruning [--curves FILE] [--orders 20] [--concurrency 4] [--seed 1] [--out FILE]");
    Console.Error.WriteLine("       HyperDrive.Benchmarks cluster [--postgres CONN] [--parts utilisation,throughput,failover] [--trials 300] [--sizes LINES:TRIALS,...] [--out FILE] [--hyperdrive hyperdrive.dll]");
    return 2;
}
