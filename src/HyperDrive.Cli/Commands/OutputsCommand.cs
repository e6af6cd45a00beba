using System.CommandLine;
using System.IO.Compression;
using HyperDrive.Actors.Artifacts;
using HyperDrive.Actors.Hosting;
using HyperDrive.Actors.Sweeps;
using HyperDrive.Cli.Api;
using HyperDrive.Cli.Engine;

namespace HyperDrive.Cli.Commands;

/// <summary>
/// <c>hyperdrive outputs SWEEP [--trial N] --to DIR</c>: copies a trial's outputs (the best trial's by default) to a
/// folder, from its trial folder or from the artifact store (a cluster's workers upload them there).
/// </summary>
internal static class OutputsCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var sweep = SweepArgument.Create();
        var trial = new Option<int?>("--trial") { Description = "The trial (default: the best by the primary metric)." };
        var to = new Option<string>("--to") { Description = "The folder to copy the outputs into.", Required = true };
        var dataDir = DataDirectory.Option();
        var api = new ApiOptionSet();
        var command = new Command("outputs", "Copy a trial's outputs (the best trial's by default) into a folder.") { sweep, trial, to, dataDir };
        api.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var destination = Path.GetFullPath(parseResult.GetRequiredValue(to));
            if (api.Client(parseResult) is { } client)
            {
                return await Remote.RunAsync(client, error, async c =>
                {
                    var number = parseResult.GetValue(trial);
                    var path = $"api/sweeps/{Remote.Escape(parseResult.GetRequiredValue(sweep))}/outputs" + (number is { } n ? $"?trial={n}" : "");
                    using var response = await c.SendAsync(HttpMethod.Get, path, null, cancellationToken);
                    var chosen = response.Headers.TryGetValues("X-HyperDrive-Trial", out var values) ? values.First() : "?";
                    await using var zip = await response.Content.ReadAsStreamAsync(cancellationToken);
                    using var archive = new ZipArchive(zip, ZipArchiveMode.Read);
                    Directory.CreateDirectory(destination);
                    archive.ExtractToDirectory(destination, overwriteFiles: true);
                    return await Report(output, error, chosen, archive.Entries.Count, destination);
                });
            }

            var data = DataDirectory.Resolve(parseResult, dataDir);
            var (_, state) = await SweepArgument.ReadAsync(data, parseResult.GetRequiredValue(sweep), error);
            if (state is null)
            {
                return ExitCodes.BadInput;
            }

            if (Pick(state, parseResult.GetValue(trial), out var problem) is not { } picked)
            {
                await error.WriteLineAsync("error: " + problem);
                return ExitCodes.BadInput;
            }

            var store = FileArtifactStore.InDataDirectory(data);
            var count = await TrialOutputs.CopyAsync(store, data, state.SweepId, picked, destination, cancellationToken);
            return await Report(output, error, picked.Number.ToString(System.Globalization.CultureInfo.InvariantCulture), count, destination);
        });
        return command;
    }

    /// <summary>The trial asked for, or the best one; null with the reason when there is none.</summary>
    public static TrialView? Pick(SweepState state, int? number, out string? problem)
    {
        problem = null;
        if (number is { } n)
        {
            if (state.HasTrial(n))
            {
                return state.Trial(n);
            }

            problem = $"sweep {state.SweepId} has no trial {n} (it has {state.Trials.Count})";
            return null;
        }

        var best = SweepQueries.Best(state);
        problem = best is null ? $"no trial of {state.SweepId} reported the primary metric '{state.History.Objective.PrimaryMetric}'; give --trial N" : null;
        return best;
    }

    private static async Task<int> Report(TextWriter output, TextWriter error, string trial, int count, string destination)
    {
        if (count == 0)
        {
            await error.WriteLineAsync($"trial {trial} saved no outputs (files under outputs/ or $HYPERDRIVE_OUTPUT_DIR)");
            return ExitCodes.Failure;
        }

        await output.WriteLineAsync($"trial {trial}: {count} file(s) copied to {destination}");
        return ExitCodes.Ok;
    }
}
