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
    "quality" => QualityBenchmark.Run(IntArg("--seeds", 20), IntArg("--trials", 100), ArgValue("--samplers")?.Split(',', StringSplitOptions.RemoveEmptyEntries), peer, ArgValue("--out")),
    "quality-e2e" => QualityEndToEnd.Run(IntArg("--seeds", 5), IntArg("--trials", 50), ArgValue("--sampler") ?? "bayesian",
        ArgValue("--hyperdrive") ?? Path.Combine("src", "HyperDrive.Cli", "bin", "Release", "net10.0", "hyperdrive.dll"), ArgValue("--out")),
    "proposals" => ProposalBenchmark.Run(IntArg("--observations", 200), IntArg("--proposals", 100), ArgValue("--out")),
    _ => Usage(),
};

string? ArgValue(string name)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}

int IntArg(string name, int fallback) =>
    ArgValue(name) is { } v ? int.Parse(v, System.Globalization.CultureInfo.InvariantCulture) : fallback;

static int Usage()
{
    Console.Error.WriteLine("usage: HyperDrive.Benchmarks overhead [--trials N] [--peer ../shared/bench/optuna_peer.py]");
    Console.Error.WriteLine("       HyperDrive.Benchmarks pruning [--curves FILE] [--orders 20] [--concurrency 4] [--seed 1] [--out FILE]");
    Console.Error.WriteLine("       HyperDrive.Benchmarks cluster [--postgres CONN] [--parts utilisation,throughput,failover] [--trials 300] [--sizes LINES:TRIALS,...] [--out FILE] [--hyperdrive hyperdrive.dll]");
    Console.Error.WriteLine("       HyperDrive.Benchmarks quality [--seeds 20] [--trials 100] [--samplers random,bayesian] [--peer optuna_peer.py] [--out FILE]");
    Console.Error.WriteLine("       HyperDrive.Benchmarks proposals [--observations 200] [--proposals 100] [--out FILE]");
    return 2;
}
