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
                        Remote.WriteTrialsCsv(output, document.RootElement, parseResult.GetValue(sort));
                    }
                    else
                    {
                        using var document = JsonDocument.Parse(body);
                        Remote.WriteTrialsTable(output, document.RootElement, parseResult.GetValue(sort));
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
                WriteCsv(output, state, trials);
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

    private static void WriteCsv(TextWriter output, SweepState state, IReadOnlyList<TrialView> trials)
    {
        var parameters = trials.SelectMany(t => t.Parameters.Flatten().Select(p => p.Key)).Distinct().ToList();
        var metrics = trials.SelectMany(t => t.FinalMetrics.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        output.WriteLine(string.Join(",", new[] { "number", "state", "attempts", "reason" }.Concat(parameters).Concat(metrics).Select(CsvCell)));
        foreach (var trial in trials)
        {
            var values = trial.Parameters.Flatten().ToDictionary(p => p.Key, p => p.Value.ToInvariantString());
            var cells = new List<string> { trial.Number.ToString(CultureInfo.InvariantCulture), trial.Status.ToString(), trial.Attempt.ToString(CultureInfo.InvariantCulture), trial.Reason ?? "" };
            cells.AddRange(parameters.Select(p => values.GetValueOrDefault(p, "")));
            cells.AddRange(metrics.Select(m => trial.FinalMetrics.TryGetValue(m, out var v) ? v.ToString("R", CultureInfo.InvariantCulture) : ""));
            output.WriteLine(string.Join(",", cells.Select(CsvCell)));
        }
    }

    public static string CsvCell(string cell) =>
        cell.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : cell;
}
