using System.CommandLine;
using System.Text.Json;
using HyperDrive.Cli.Api;
using HyperDrive.Actors.Sweeps;
using HyperDrive.Cli.Engine;
using HyperDrive.Cli.Output;
using HyperDrive.Cli.Views;

namespace HyperDrive.Cli.Commands;

/// <summary><c>hyperdrive status [SWEEP]</c>: every sweep of the data folder, or one in detail.</summary>
internal static class StatusCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var sweep = new Argument<string?>("sweep") { Description = "The sweep's id or name; default: all sweeps.", Arity = ArgumentArity.ZeroOrOne };
        var dataDir = DataDirectory.Option();
        var api = new ApiOptionSet();
        var command = new Command("status", "Show the sweeps of this folder, or one sweep's state.") { sweep, dataDir };
        api.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            if (api.Client(parseResult) is { } client)
            {
                return await Remote.RunAsync(client, error, async c =>
                {
                    if (parseResult.GetValue(sweep) is { } one)
                    {
                        using var summary = JsonDocument.Parse(await c.GetStringAsync($"api/sweeps/{Remote.Escape(one)}", cancellationToken));
                        await output.WriteLineAsync(Remote.ProgressLine(summary.RootElement));
                        return ExitCodes.Ok;
                    }

                    using var list = JsonDocument.Parse(await c.GetStringAsync("api/sweeps", cancellationToken));
                    var table = new TextTable(["sweep", "state", "trials", "created"]);
                    foreach (var entry in list.RootElement.EnumerateArray())
                    {
                        table.AddRow([entry.GetProperty("id").GetString()!, entry.GetProperty("state").GetString()!,
                            $"{entry.GetProperty("ended").GetInt32()}/{entry.GetProperty("trials").GetInt32()}", entry.GetProperty("created").GetDateTimeOffset().ToLocalTime().ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture)]);
                    }

                    table.Write(output);
                    return ExitCodes.Ok;
                });
            }

            var data = DataDirectory.Resolve(parseResult, dataDir);
            if (parseResult.GetValue(sweep) is { } given)
            {
                var (_, state) = await SweepArgument.ReadAsync(data, given, error);
                if (state is null)
                {
                    return ExitCodes.BadInput;
                }

                await output.WriteLineAsync($"sweep:    {state.SweepId}");
                await output.WriteLineAsync($"state:    {SweepJson.StateName(state)}{(state.EndReason is null ? "" : " (" + state.EndReason + ")")}");
                await output.WriteLineAsync($"file:     {state.SourceFile ?? "-"}");
                await output.WriteLineAsync($"trials:   {state.FinishedCount} ended of {state.Spec?.Limits.MaxTotalTrials?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"}; {TrialFormatting.Counts(state)}");
                await output.WriteLineAsync($"best:     {TrialFormatting.Best(state)}");
                return ExitCodes.Ok;
            }

            var entries = new SweepCatalog(data).List();
            if (entries.Count == 0)
            {
                await output.WriteLineAsync($"No sweeps in {data}.");
                return ExitCodes.Ok;
            }

            var states = (await SweepReader.ReadAsync(data, [.. entries.Select(e => e.Id)])).ToDictionary(s => s.SweepId);
            var table = new TextTable(["sweep", "state", "trials", "best", "created"]);
            foreach (var entry in entries)
            {
                var state = states.GetValueOrDefault(entry.Id);
                table.AddRow([
                    entry.Id,
                    state is null || state.Status == SweepStatus.None ? "NotStarted" : SweepJson.StateName(state),
                    state is null ? "0" : $"{state.FinishedCount}/{state.ProposedCount}",
                    state is null ? "-" : TrialFormatting.Best(state),
                    entry.Created.ToLocalTime().ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture),
                ]);
            }

            table.Write(output);
            return ExitCodes.Ok;
        });
        return command;
    }
}
