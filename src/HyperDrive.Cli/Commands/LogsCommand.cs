using System.CommandLine;
using System.Text.Json;
using HyperDrive.Cli.Api;
using HyperDrive.Actors.Trials;
using HyperDrive.Cli.Engine;

namespace HyperDrive.Cli.Commands;

/// <summary><c>hyperdrive logs SWEEP TRIAL [--attempt K]</c>: a trial's output (its latest attempt by default).</summary>
internal static class LogsCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var sweep = SweepArgument.Create();
        var trial = new Argument<int>("trial") { Description = "The trial number (1-based)." };
        var attempt = new Option<int?>("--attempt") { Description = "Which attempt's log (default: the latest)." };
        var dataDir = DataDirectory.Option();
        var api = new ApiOptionSet();
        var command = new Command("logs", "Print a trial's log (its standard output and error).") { sweep, trial, attempt, dataDir };
        api.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            if (api.Client(parseResult) is { } client)
            {
                return await Remote.RunAsync(client, error, async c =>
                {
                    await output.WriteAsync(await c.GetStringAsync(
                        $"api/sweeps/{Remote.Escape(parseResult.GetRequiredValue(sweep))}/trials/{parseResult.GetValue(trial)}/log", cancellationToken));
                    return ExitCodes.Ok;
                });
            }

            var data = DataDirectory.Resolve(parseResult, dataDir);
            var (_, state) = await SweepArgument.ReadAsync(data, parseResult.GetRequiredValue(sweep), error);
            if (state is null)
            {
                return ExitCodes.BadInput;
            }

            var number = parseResult.GetValue(trial);
            if (!state.HasTrial(number))
            {
                await error.WriteLineAsync($"error: sweep {state.SweepId} has no trial {number} (it has {state.Trials.Count})");
                return ExitCodes.BadInput;
            }

            var which = parseResult.GetValue(attempt) ?? state.Trial(number).Attempt;
            var log = TrialFolders.Log(data, state.SweepId, number, which);
            if (!File.Exists(log))
            {
                await error.WriteLineAsync(state.Spec?.Trial.Builtin is { } builtin
                    ? $"trial {number} ran the built-in trainer '{builtin}', which writes no log; 'hyperdrive runs {state.SweepId}' shows its metrics"
                    : $"error: no log for trial {number} attempt {which} ({log})");
                return state.Spec?.Trial.Builtin is null ? ExitCodes.BadInput : ExitCodes.Ok;
            }

            await using var stream = new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            await output.WriteAsync(await reader.ReadToEndAsync(cancellationToken));
            return ExitCodes.Ok;
        });
        return command;
    }
}
