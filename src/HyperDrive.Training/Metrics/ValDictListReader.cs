using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;

namespace HyperDrive.Training.Metrics;

/// <summary>
/// Reads IBM WMLA's second metrics channel (REFERENCE §6.3): a JSON list of per-step objects such as
/// <c>[{"step": 1, "loss": 0.25, "accuracy": 0.45}, …]</c>. <c>step</c> (or <c>steps</c>) is the interval, an integer ≥ 1;
/// every other member is a metric and must be a finite number; an entry needs at least one metric.
/// </summary>
public static class ValDictListReader
{
    public const string FileName = "val_dict_list.json";

    /// <exception cref="FormatException">The file is not such a list; the message names the file and the entry.</exception>
    public static ImmutableArray<ValDictEntry> Parse(string json, string fileName = FileName)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new FormatException($"{fileName} is not valid JSON: {e.Message}", e);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException($"{fileName} must be a JSON list of objects, not {Describe(document.RootElement.ValueKind)}");
            }

            var entries = ImmutableArray.CreateBuilder<ValDictEntry>();
            var index = 0;
            foreach (var element in document.RootElement.EnumerateArray())
            {
                entries.Add(ParseEntry(element, fileName, index));
                index++;
            }

            return entries.ToImmutable();
        }
    }

    private static ValDictEntry ParseEntry(JsonElement element, string fileName, int index)
    {
        var where = $"{fileName}, entry {index.ToString(CultureInfo.InvariantCulture)}";
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"{where}: expected an object, found {Describe(element.ValueKind)}");
        }

        var metrics = ImmutableDictionary.CreateBuilder<string, double>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.Number || !property.Value.TryGetDouble(out var value) || !double.IsFinite(value))
            {
                throw new FormatException($"{where}: '{property.Name}' is {DescribeValue(property.Value)}, not a finite number");
            }

            if (!metrics.TryAdd(property.Name, value))
            {
                throw new FormatException($"{where}: '{property.Name}' appears twice");
            }
        }

        var stepKey = metrics.ContainsKey("step") ? "step" : metrics.ContainsKey("steps") ? "steps" : null;
        int? step = null;
        if (stepKey is not null)
        {
            var raw = metrics[stepKey];
            if (raw < 1 || raw > int.MaxValue || raw != Math.Floor(raw))
            {
                throw new FormatException($"{where}: '{stepKey}' must be an integer ≥ 1, found {raw.ToString(CultureInfo.InvariantCulture)}");
            }

            step = (int)raw;
            metrics.Remove(stepKey);
        }

        if (metrics.Count == 0)
        {
            throw new FormatException($"{where}: no metric");
        }

        return new ValDictEntry(step, metrics.ToImmutable());
    }

    private static string DescribeValue(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"the string \"{value.GetString()}\"",
        JsonValueKind.Number => value.GetRawText(),
        _ => Describe(value.ValueKind),
    };

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };
}
