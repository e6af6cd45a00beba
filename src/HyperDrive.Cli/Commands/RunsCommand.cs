using System.CommandLine;
using System.Text.Json;
using HyperDrive.Cli.Api;
using System.Globalization;
using HyperDrive.Actors.Sweeps;
using HyperDrive.Cli.Engine;
using HyperDrive.Cli.Output;
using HyperDrive.Cli.Views;

namespace HyperDrive.Cli.Commands;

/// <summary><c>hyperdrive runs SWEEP [--sort] [--json|--csv]</c>: every trial of a sweep.</summary>
internal static class RunsCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var sweep = SweepArgument.Create();
        var sort = new Option<bool>("--sort") { Description = "Best primary metric first (trials without it last)." };
        var json = new Option<bool>("--json") { Description = "JSON: {\"sweep\", \"state\", \"trials\": [...]}." };
        var csv = new Option<bool>("--csv") { Description = "CSV: one row per trial, parameters and final metrics as columns." };
        var dataDir = DataDirectory.Option();
        var api = new ApiOptionSet();
        var command = new Command("runs", "List the trials of a sweep.") { sweep, sort, json, csv, dataDir };
        api.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            if (parseResult.GetValue(json) && parseResult.GetValue(csv))
            {
                await error.WriteLineAsync("error: --json and --csv exclude each other");
                return ExitCodes.BadInput;
            }

            if (api.Client(parseResult) is { } client)
            {
                return await Remote.RunAsync(client, error, async c =>
                {
                    var body = await c.GetStringAsync($"api/sweeps/{Remote.Escape(parseResult.GetRequiredValue(sweep))}/trials", cancellationToken);
                    if (parseResult.GetValue(json))
                    {
                        await output.WriteLineAsync(body);
                    }
                    else if (parseResult.GetValue(csv))
                    {
                        using var document = JsonDocument.Parse(body);
                        Remote.WriteTrialsCsv(output, document.RootElement, byNumber: !parseResult.GetValue(sort));
                    }
                    else
                    {
                        using var document = JsonDocument.Parse(body);
                        Remote.WriteTrialsTable(output, document.RootElement, byNumber: !parseResult.GetValue(sort));
                    }

                    return ExitCodes.Ok;
                });
            }

            var (_, state) = await SweepArgument.ReadAsync(DataDirectory.Resolve(parseResult, dataDir), parseResult.GetRequiredValue(sweep), error);
            if (state is null)
            {
                return ExitCodes.BadInput;
            }

            IReadOnlyList<TrialView> trials = parseResult.GetValue(sort) ? SweepQueries.SortedByPrimary(state) : state.Trials;
            if (parseResult.GetValue(json))
            {
                await output.WriteLineAsync(SweepJson.Sweep(state, trials));
            }
            else if (parseResult.GetValue(csv))
            {
                // One CSV writer for local and API output: the local trials go through the API's JSON shape.
                using var document = JsonDocument.Parse(SweepJson.Sweep(state, trials));
                Remote.WriteTrialsCsv(output, document.RootElement, byNumber: false);
            }
            else
            {
                var table = new TextTable(["trial", "state", state.History.Objective.PrimaryMetric, "parameters", "attempts", "reason"]);
                foreach (var trial in trials)
                {
                    var primary = SweepQueries.Primary(state, trial);
                    table.AddRow([
                        trial.Number.ToString(CultureInfo.InvariantCulture), trial.Status.ToString(),
                        primary is null ? "-" : TrialFormatting.Number(primary.Value), TrialFormatting.Parameters(trial.Parameters),
                        trial.Attempt.ToString(CultureInfo.InvariantCulture), TrialFormatting.Clip((trial.Reason ?? "").Split('\n')[0], 80),
                    ]);
                }

                table.Write(output);
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
