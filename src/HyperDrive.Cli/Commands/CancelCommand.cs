using System.CommandLine;
using System.Text.Json;
using HyperDrive.Cli.Api;
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
        var api = new ApiOptionSet();
        var command = new Command("cancel", "Cancel a sweep: its running trials are stopped and it will not resume.") { sweep, dataDir };
        api.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            if (api.Client(parseResult) is { } client)
            {
                return await Remote.RunAsync(client, error, async c =>
                {
                    using var response = await c.SendAsync(HttpMethod.Post, $"api/sweeps/{Remote.Escape(parseResult.GetRequiredValue(sweep))}/cancel", null, cancellationToken);
                    using var summary = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
                    await output.WriteLineAsync(Remote.ProgressLine(summary.RootElement));
                    return ExitCodes.Ok;
                });
            }

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
            await using var node = await HyperDriveNode.StartEmbeddedAsync(data, new TrialRunnerFactory(), cancellationToken: cancellationToken);
            var reply = await node.Sweeps.Ask<SweepStateReply>(new CancelSweep(id, "canceled by user (hyperdrive cancel)"), TimeSpan.FromSeconds(60), cancellationToken);
            await output.WriteLineAsync($"Sweep {id} {SweepJson.StateName(reply.State).ToLowerInvariant()}.");
            return ExitCodes.Ok;
        });
        return command;
    }
}
