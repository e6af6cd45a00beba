using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using HyperDrive.Core.History;

namespace HyperDrive.Actors.Models;

/// <summary>
/// The <c>model.json</c> of a version: <c>{"model", "version", "sweep", "trial", "attempt", "parameters", "metrics",
/// "primary_metric", "goal", "value", "created", "files"}</c>; <c>hyperdrive models show --json</c> prints the same.
/// </summary>
public static class ModelVersionJson
{
    public static void Write(Utf8JsonWriter writer, ModelVersion version)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(version);
        writer.WriteStartObject();
        writer.WriteString("model", version.Model);
        writer.WriteNumber("version", version.Version);
        writer.WriteString("sweep", version.SweepId);
        writer.WriteNumber("trial", version.Trial);
        writer.WriteNumber("attempt", version.Attempt);
        writer.WritePropertyName("parameters");
        version.Parameters.WriteTo(writer);
        writer.WriteStartObject("metrics");
        foreach (var (name, value) in version.Metrics)
        {
            writer.WriteNumber(name, value);
        }

        writer.WriteEndObject();
        writer.WriteString("primary_metric", version.PrimaryMetric);
        writer.WriteString("goal", GoalName(version.Goal));
        writer.WriteNumber("value", version.Value);
        writer.WriteString("created", version.Created.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
        writer.WriteStartArray("files");
        foreach (var file in version.Files)
        {
            writer.WriteStringValue(file);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    public static string ToJson(ModelVersion version, bool indented = true)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = indented }))
        {
            Write(writer, version);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <exception cref="JsonException">The document lacks a field or has one of the wrong kind.</exception>
    public static ModelVersion Read(JsonElement root)
    {
        try
        {
            return new ModelVersion
            {
                Model = root.GetProperty("model").GetString() ?? throw new JsonException("'model' is null"),
                Version = root.GetProperty("version").GetInt32(),
                SweepId = root.GetProperty("sweep").GetString() ?? throw new JsonException("'sweep' is null"),
                Trial = root.GetProperty("trial").GetInt32(),
                Attempt = root.GetProperty("attempt").GetInt32(),
                Parameters = root.GetProperty("parameters").Clone(),
                Metrics = root.GetProperty("metrics").EnumerateObject().ToImmutableSortedDictionary(p => p.Name, p => p.Value.GetDouble(), StringComparer.Ordinal),
                PrimaryMetric = root.GetProperty("primary_metric").GetString() ?? throw new JsonException("'primary_metric' is null"),
                Goal = root.GetProperty("goal").GetString() switch
                {
                    "maximize" => Goal.Maximize,
                    "minimize" => Goal.Minimize,
                    var other => throw new JsonException($"unknown goal '{other}'"),
                },
                Value = root.GetProperty("value").GetDouble(),
                Created = DateTimeOffset.Parse(root.GetProperty("created").GetString() ?? "", CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
                Files = [.. root.GetProperty("files").EnumerateArray().Select(f => f.GetString() ?? "")],
            };
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new JsonException(e.Message, e);
        }
    }

    public static string GoalName(Goal goal) => goal == Goal.Minimize ? "minimize" : "maximize";
}
