using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace HyperDrive.Actors.Serialization;

/// <summary>
/// Metric dictionaries (<c>{"accuracy": 0.9, "loss": 0.3}</c>) read with an ordinal key comparer: a culture-aware
/// comparison of metric names was a measurable share of the coordinator's cost per interval. The JSON is the
/// default shape (non-finite values as the named literals "NaN", "Infinity", "-Infinity"), so journals read unchanged.
/// </summary>
internal sealed class MetricsJsonConverter : JsonConverter<ImmutableSortedDictionary<string, double>>
{
    public static ImmutableSortedDictionary<string, double> Empty { get; } = ImmutableSortedDictionary.Create<string, double>(StringComparer.Ordinal);

    public override ImmutableSortedDictionary<string, double> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException($"metrics: expected an object, got {reader.TokenType}");
        }

        var builder = Empty.ToBuilder();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.GetString()!;
            reader.Read();
            builder[name] = reader.TokenType switch
            {
                JsonTokenType.Number => reader.GetDouble(),
                JsonTokenType.String => reader.GetString() switch
                {
                    "NaN" => double.NaN,
                    "Infinity" => double.PositiveInfinity,
                    "-Infinity" => double.NegativeInfinity,
                    var text => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed)
                        ? parsed
                        : throw new JsonException($"metrics: '{name}' is not a number: {text}"),
                },
                _ => throw new JsonException($"metrics: '{name}' is not a number ({reader.TokenType})"),
            };
        }

        return builder.ToImmutable();
    }

    public override void Write(Utf8JsonWriter writer, ImmutableSortedDictionary<string, double> value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        foreach (var (name, metric) in value)
        {
            writer.WritePropertyName(options.DictionaryKeyPolicy?.ConvertName(name) ?? name);
            if (double.IsFinite(metric))
            {
                writer.WriteNumberValue(metric);
            }
            else
            {
                writer.WriteStringValue(double.IsNaN(metric) ? "NaN" : metric > 0 ? "Infinity" : "-Infinity");
            }
        }

        writer.WriteEndObject();
    }
}
