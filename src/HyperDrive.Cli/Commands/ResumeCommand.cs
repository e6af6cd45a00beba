using System.CommandLine;
using Akka.Actor;
using HyperDrive.Actors.Sweeps;
using HyperDrive.Cli.Engine;

namespace HyperDrive.Cli.Commands;

/// <summary><c>hyperdrive resume [SWEEP]</c>: continues an interrupted sweep (the most recent unfinished one by default).</summary>
internal static class ResumeCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var sweep = new Argument<string?>("sweep") { Description = "The sweep's id or name; default: the most recent unfinished sweep.", Arity = ArgumentArity.ZeroOrOne };
        var dataDir = DataDirectory.Option();
        var command = new Command("resume", "Continue an interrupted sweep: trials that were running start again as new attempts.") { sweep, dataDir };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var data = DataDirectory.Resolve(parseResult, dataDir);
            var session = new SweepSession(data, output, error);
            string? sweepId;
            if (parseResult.GetValue(sweep) is { } given)
            {
                var (id, problem) = session.Catalog.Resolve(given);
                if (id is null)
                {
                    await error.WriteLineAsync("error: " + problem);
                    return ExitCodes.BadInput;
                }

                sweepId = id;
            }
            else
            {
                var entries = session.Catalog.List();
                var states = await SweepReader.ReadAsync(data, [.. entries.Select(e => e.Id)]);
                sweepId = states.FirstOrDefault(s => s.Status == SweepStatus.Running)?.SweepId;
                if (sweepId is null)
                {
                    await error.WriteLineAsync($"error: no unfinished sweep in {data}");
                    return ExitCodes.BadInput;
                }
            }

            await output.WriteLineAsync($"Resuming sweep {sweepId}");
            return await session.RunAsync(sweepId, async node =>
            {
                var reply = await node.Sweeps.Ask<SweepStateReply>(new ResumeSweep(sweepId), TimeSpan.FromSeconds(60), cancellationToken);
                if (reply.State.Status == SweepStatus.None)
                {
                    await error.WriteLineAsync($"error: sweep {sweepId} has no journal in {data}");
                    return null;
                }

                return reply.State;
            }, cancellationToken);
        });
        return command;
    }
}
