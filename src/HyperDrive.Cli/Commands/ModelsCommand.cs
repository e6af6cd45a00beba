using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using HyperDrive.Actors.Artifacts;
using HyperDrive.Actors.Models;
using HyperDrive.Cli.Engine;
using HyperDrive.Core.Specs;
using HyperDrive.Cli.Views;

namespace HyperDrive.Cli.Commands;

/// <summary><c>hyperdrive models list|show NAME [--version V]</c>: the models <c>register_best</c> registered.</summary>
internal static class ModelsCommand
{
    public static Command Create(TextWriter output, TextWriter error) =>
        new("models", "List or show the models registered by register_best (under the data folder's models/).")
        {
            List(output),
            Show(output, error),
        };

    private static Command List(TextWriter output)
    {
        var json = new Option<bool>("--json") { Description = "Print {\"models\": [...]} as JSON." };
        var dataDir = DataDirectory.Option();
        var command = new Command("list", "Every registered model with its latest version.") { json, dataDir };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var data = DataDirectory.Resolve(parseResult, dataDir);
            var registry = Registry(data);
            var models = registry.Models().Select(registry.Versions).Select(v => (Latest: v[^1], Count: v.Count)).ToList();
            if (parseResult.GetValue(json))
            {
                await output.WriteLineAsync(Json(writer =>
                {
                    writer.WriteStartObject();
                    writer.WriteStartArray("models");
                    foreach (var (latest, count) in models)
                    {
                        writer.WriteStartObject();
                        writer.WriteString("model", latest.Model);
                        writer.WriteNumber("latest_version", latest.Version);
                        writer.WriteNumber("versions", count);
                        writer.WriteString("primary_metric", latest.PrimaryMetric);
                        writer.WriteString("goal", ModelVersionJson.GoalName(latest.Goal));
                        writer.WriteNumber("value", latest.Value);
                        writer.WriteString("sweep", latest.SweepId);
                        writer.WriteNumber("trial", latest.Trial);
                        writer.WriteString("created", latest.Created.ToString("O", CultureInfo.InvariantCulture));
                        writer.WriteEndObject();
                    }

                    writer.WriteEndArray();
                    writer.WriteEndObject();
                }));
                return ExitCodes.Ok;
            }

            if (models.Count == 0)
            {
                await output.WriteLineAsync($"No models registered in {registry.Root}.");
                return ExitCodes.Ok;
            }

            var width = Math.Max(5, models.Max(m => m.Latest.Model.Length));
            await output.WriteLineAsync($"{"MODEL".PadRight(width)}  LATEST  PRIMARY METRIC             SWEEP                     CREATED (UTC)");
            foreach (var (latest, count) in models)
            {
                var primary = $"{latest.PrimaryMetric} {TrialFormatting.Number(latest.Value)}";
                await output.WriteLineAsync(
                    $"{latest.Model.PadRight(width)}  {$"v{latest.Version}/{count}",-6}  {primary,-25}  {latest.SweepId,-24}  {latest.Created.UtcDateTime:yyyy-MM-dd HH:mm:ss}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Show(TextWriter output, TextWriter error)
    {
        var name = new Argument<string>("name") { Description = "The model's name." };
        var version = new Option<int?>("--version") { Description = "The version (default: the latest)." };
        var json = new Option<bool>("--json") { Description = "Print the version's model.json." };
        var dataDir = DataDirectory.Option();
        var command = new Command("show", "A registered model's version: its metadata and files.") { name, version, json, dataDir };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var data = DataDirectory.Resolve(parseResult, dataDir);
            var model = parseResult.GetRequiredValue(name);
            if (ModelNames.Problem(model) is { } problem)
            {
                await error.WriteLineAsync("error: " + problem);
                return ExitCodes.BadInput;
            }

            var registry = Registry(data);
            var versions = registry.Versions(model);
            if (versions.Count == 0)
            {
                var known = registry.Models();
                await error.WriteLineAsync($"error: no model '{model}' in {registry.Root}" +
                    (known.Count > 0 ? $" (registered: {string.Join(", ", known)})" : " (none is registered)"));
                return ExitCodes.BadInput;
            }

            var wanted = parseResult.GetValue(version);
            var shown = wanted is { } v ? versions.FirstOrDefault(x => x.Version == v) : versions[^1];
            if (shown is null)
            {
                await error.WriteLineAsync($"error: model '{model}' has no version {wanted} (versions: {string.Join(", ", versions.Select(x => x.Version))})");
                return ExitCodes.BadInput;
            }

            if (parseResult.GetValue(json))
            {
                await output.WriteLineAsync(ModelVersionJson.ToJson(shown));
                return ExitCodes.Ok;
            }

            var folder = registry.VersionFolder(model, shown.Version);
            await output.WriteLineAsync($"model:      {shown.Model} version {shown.Version} (of {versions.Count})");
            await output.WriteLineAsync($"sweep:      {shown.SweepId} trial {shown.Trial} (attempt {shown.Attempt})");
            await output.WriteLineAsync($"created:    {shown.Created.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC");
            await output.WriteLineAsync($"primary:    {shown.PrimaryMetric} {TrialFormatting.Number(shown.Value)} ({ModelVersionJson.GoalName(shown.Goal)})");
            await output.WriteLineAsync($"parameters: {shown.Parameters.GetRawText()}");
            await output.WriteLineAsync($"metrics:    {string.Join(", ", shown.Metrics.Select(m => $"{m.Key}={TrialFormatting.Number(m.Value)}"))}");
            await output.WriteLineAsync($"folder:     {folder}");
            await output.WriteLineAsync(shown.Files.Length == 0 ? "files:      none (the trial saved no outputs)" : $"files:      {shown.Files.Length}");
            foreach (var file in shown.Files)
            {
                await output.WriteLineAsync($"  {ModelRegistry.OutputsFolder}/{file}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static ModelRegistry Registry(string data) => new(data, FileArtifactStore.InDataDirectory(data));

    private static string Json(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
