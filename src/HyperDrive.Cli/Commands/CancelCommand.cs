using System.CommandLine;
using Akka.Actor;
using HyperDrive.Actors.Hosting;
using HyperDrive.Actors.Sweeps;
using HyperDrive.Actors.Trials;
using HyperDrive.Cli.Engine;

namespace HyperDrive.Cli.Commands;

/// <summary>
/// <c>hyperdrive cancel SWEEP</c>: ends a sweep for good. When another process runs it, that process is asked
/// (through a request file it watches) and stops its trials; otherwise the journal records the cancel here.
/// </summary>
internal static class CancelCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var sweep = SweepArgument.Create();
        var dataDir = DataDirectory.Option();
        var command = new Command("cancel", "Cancel a sweep: its running trials are stopped and it will not resume.") { sweep, dataDir };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var data = DataDirectory.Resolve(parseResult, dataDir);
            var (id, state) = await SweepArgument.ReadAsync(data, parseResult.GetRequiredValue(sweep), error);
            if (id is null || state is null)
            {
                return ExitCodes.BadInput;
            }

            if (state.IsEnded)
            {
                await output.WriteLineAsync($"Sweep {id} already ended ({SweepJson.StateName(state)}: {state.EndReason}).");
                return ExitCodes.Ok;
            }

            var catalog = new SweepCatalog(data);
            if (SweepLock.IsHeld(catalog.SweepFolder(id), out var owner))
            {
                await File.WriteAllTextAsync(Path.Combine(catalog.SweepFolder(id), "cancel-requested"), "", cancellationToken);
                await output.WriteLineAsync($"Asked the process running sweep {id} (pid {owner}) to cancel it; it stops its trials now.");
                return ExitCodes.Ok;
            }

            using var sweepLock = SweepLock.TryAcquire(catalog.SweepFolder(id), out _);
            await using var node = await EmbeddedNode.StartAsync(data, new TrialRunnerFactory(), cancellationToken: cancellationToken);
            var reply = await node.Sweeps.Ask<SweepStateReply>(new CancelSweep(id, "canceled by user (hyperdrive cancel)"), TimeSpan.FromSeconds(60), cancellationToken);
            await output.WriteLineAsync($"Sweep {id} {SweepJson.StateName(reply.State).ToLowerInvariant()}.");
            return ExitCodes.Ok;
        });
        return command;
    }
}
