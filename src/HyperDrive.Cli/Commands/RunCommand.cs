using System.CommandLine;
using Akka.Actor;
using HyperDrive.Actors.Sweeps;
using HyperDrive.Cli.Engine;

namespace HyperDrive.Cli.Commands;

/// <summary><c>hyperdrive run FILE</c>: runs a sweep on this machine (embedded single-node cluster, SQLite journal).</summary>
internal static class RunCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var file = new Argument<string>("file") { Description = "The sweep file (YAML or JSON)." };
        var seed = new Option<long?>("--seed") { Description = "The sampler's seed when the file gives none." };
        var dataDir = DataDirectory.Option();
        var command = new Command("run", "Run a sweep on this machine and show its trials live.") { file, seed, dataDir };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var path = parseResult.GetRequiredValue(file);
            var read = SpecLoading.Read(path, error);
            if (!read.Succeeded)
            {
                return ExitCodes.BadInput;
            }

            var spec = read.Spec!;
            var data = DataDirectory.Resolve(parseResult, dataDir);
            var session = new SweepSession(data, output, error);
            var sweepId = session.Catalog.NewId(spec.Name ?? Path.GetFileNameWithoutExtension(path));
            var sweepSeed = spec.Sampling.Seed ?? parseResult.GetValue(seed) ?? SweepCatalog.DefaultSeed(sweepId);
            if (SpecLoading.CreateSampler(spec with { Sampling = spec.Sampling with { Seed = sweepSeed } }, path, error) is null)
            {
                return ExitCodes.BadInput;
            }

            var fullPath = Path.GetFullPath(path);
            session.Catalog.Register(new SweepEntry(sweepId, spec.Name ?? sweepId, fullPath, DateTimeOffset.UtcNow));
            await output.WriteLineAsync($"Sweep {sweepId}: {spec.SearchSpace.Count} parameter(s), sampling {spec.Sampling.Type}, " +
                $"{spec.Objective.Goal.ToString().ToLowerInvariant()} {spec.Objective.PrimaryMetric}; data in {data}");
            return await session.RunAsync(sweepId, async node =>
            {
                var reply = await node.Sweeps.Ask<object>(
                    new SubmitSweep(sweepId, File.ReadAllText(fullPath), Path.GetDirectoryName(fullPath)!, fullPath, sweepSeed),
                    TimeSpan.FromSeconds(60),
                    cancellationToken);
                if (reply is SweepRejected rejected)
                {
                    foreach (var message in rejected.Errors)
                    {
                        await error.WriteLineAsync($"{path}:{message}");
                    }

                    return null;
                }

                var state = await node.Sweeps.Ask<SweepStateReply>(new GetSweepState(sweepId), TimeSpan.FromSeconds(30), cancellationToken);
                return state.State;
            }, cancellationToken);
        });
        return command;
    }
}
