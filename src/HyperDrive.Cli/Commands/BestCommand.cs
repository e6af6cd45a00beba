using System.CommandLine;
using System.Text.Json;
using HyperDrive.Cli.Api;
using HyperDrive.Actors.Sweeps;
using HyperDrive.Actors.Trials;
using HyperDrive.Cli.Engine;
using HyperDrive.Cli.Views;

namespace HyperDrive.Cli.Commands;

/// <summary><c>hyperdrive best SWEEP [--json]</c>: the best trial by the primary metric.</summary>
internal static class BestCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var sweep = SweepArgument.Create();
        var json = new Option<bool>("--json") { Description = "Print the trial as JSON (the shape of one trial of runs --json)." };
        var dataDir = DataDirectory.Option();
        var api = new ApiOptionSet();
        var command = new Command("best", "Show the best trial of a sweep.") { sweep, json, dataDir };
        api.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            if (api.Client(parseResult) is { } client)
            {
                return await Remote.RunAsync(client, error, async c =>
                {
                    using var summary = JsonDocument.Parse(await c.GetStringAsync($"api/sweeps/{Remote.Escape(parseResult.GetRequiredValue(sweep))}", cancellationToken));
                    var best = summary.RootElement.GetProperty("best");
                    if (best.ValueKind == JsonValueKind.Null)
                    {
                        await error.WriteLineAsync($"No trial of {summary.RootElement.GetProperty("sweep").GetString()} reported the primary metric '{summary.RootElement.GetProperty("primary_metric").GetString()}'.");
                        return ExitCodes.Failure;
                    }

                    await output.WriteLineAsync(parseResult.GetValue(json) ? best.GetRawText() : Remote.ProgressLine(summary.RootElement));
                    return ExitCodes.Ok;
                });
            }

            var data = DataDirectory.Resolve(parseResult, dataDir);
            var (_, state) = await SweepArgument.ReadAsync(data, parseResult.GetRequiredValue(sweep), error);
            if (state is null)
            {
                return ExitCodes.BadInput;
            }

            var best = SweepQueries.Best(state);
            if (best is null)
            {
                await error.WriteLineAsync(
                    $"No trial of {state.SweepId} reported the primary metric '{state.History.Objective.PrimaryMetric}' " +
                    $"({state.Trials.Count} trial(s): {TrialFormatting.Counts(state)}). Check that the script prints " +
                    $"'hyperdrive: {state.History.Objective.PrimaryMetric}=VALUE' or writes it to val_dict_list.json; 'hyperdrive logs {state.SweepId} N' shows a trial's output.");
                return ExitCodes.Failure;
            }

            if (parseResult.GetValue(json))
            {
                await output.WriteLineAsync(SweepJson.Trial(best));
                return ExitCodes.Ok;
            }

            await output.WriteLineAsync($"trial:      {best.Number} ({best.Status})");
            await output.WriteLineAsync($"{state.History.Objective.PrimaryMetric}: {TrialFormatting.Number(SweepQueries.Primary(state, best)!.Value)}");
            await output.WriteLineAsync($"parameters: {TrialFormatting.Parameters(best.Parameters)}");
            await output.WriteLineAsync($"metrics:    {TrialFormatting.Metrics(state, best)}");
            await output.WriteLineAsync($"folder:     {TrialFolders.Attempt(data, state.SweepId, best.Number, best.Attempt)}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
