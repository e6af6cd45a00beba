using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;
using HyperDrive.Core.Parameters;

namespace HyperDrive.Actors.Serialization;

/// <summary>
/// Writes a parameter set with the type of every value, so a journal replays exactly what was proposed:
/// plain JSON would turn the real 3.0 into the integer 3. Shape: <c>[["lr", {"r": 0.01}], ["batch", {"i": 32}]]</c>.
/// </summary>
public sealed class ParameterSetJsonConverter : JsonConverter<ParameterSet>
{
    public override ParameterSet Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        return new ParameterSet(ReadEntries(document.RootElement));
    }

    public override void Write(Utf8JsonWriter writer, ParameterSet value, JsonSerializerOptions options) =>
        WriteEntries(writer, value.Entries);

    private static ImmutableArray<KeyValuePair<string, ParameterValue>> ReadEntries(JsonElement array) =>
        [.. array.EnumerateArray().Select(pair => KeyValuePair.Create(pair[0].GetString()!, ReadValue(pair[1])))];

    private static ParameterValue ReadValue(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Null)
        {
            return NullValue.Instance;
        }

        var property = element.EnumerateObject().Single();
        return property.Name switch
        {
            "i" => new IntegerValue(property.Value.GetInt64()),
            "r" => new RealValue(property.Value.ValueKind == JsonValueKind.String
                ? double.Parse(property.Value.GetString()!, System.Globalization.CultureInfo.InvariantCulture)
                : property.Value.GetDouble()),
            "s" => new TextValue(property.Value.GetString()!),
            "b" => new BooleanValue(property.Value.GetBoolean()),
            "m" => new MapValue(ReadEntries(property.Value)),
            "l" => new ListValue([.. property.Value.EnumerateArray().Select(ReadValue)]),
            var tag => throw new JsonException($"unknown parameter value tag '{tag}'"),
        };
    }

    private static void WriteEntries(Utf8JsonWriter writer, ImmutableArray<KeyValuePair<string, ParameterValue>> entries)
    {
        writer.WriteStartArray();
        foreach (var (name, value) in entries)
        {
            writer.WriteStartArray();
            writer.WriteStringValue(name);
            WriteValue(writer, value);
            writer.WriteEndArray();
        }

        writer.WriteEndArray();
    }

    private static void WriteValue(Utf8JsonWriter writer, ParameterValue value)
    {
        if (value is NullValue)
        {
            writer.WriteNullValue();
            return;
        }

        writer.WriteStartObject();
        switch (value)
        {
            case IntegerValue i:
                writer.WriteNumber("i", i.Value);
                break;
            case RealValue r when double.IsFinite(r.Value):
                writer.WriteNumber("r", r.Value);
                break;
            case RealValue r:
                writer.WriteString("r", r.ToInvariantString());
                break;
            case TextValue s:
                writer.WriteString("s", s.Value);
                break;
            case BooleanValue b:
                writer.WriteBoolean("b", b.Value);
                break;
            case MapValue m:
                writer.WritePropertyName("m");
                WriteEntries(writer, m.Entries);
                break;
            case ListValue l:
                writer.WriteStartArray("l");
                foreach (var item in l.Items)
                {
                    WriteValue(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                throw new JsonException($"cannot write parameter value {value.GetType().Name}");
        }

        writer.WriteEndObject();
    }
}
