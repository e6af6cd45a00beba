using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace HyperDrive.Core.Parameters;

/// <summary>
/// A hyperparameter value as a trial sees it: an integer, a real number, a string, a boolean,
/// a mapping (the chosen branch of a nested choice) or a list (sampler options only).
/// Values print in invariant culture so that a command line never depends on the machine's locale.
/// </summary>
public abstract record ParameterValue
{
    /// <summary>The text substituted into a command line argument.</summary>
    public abstract string ToInvariantString();

    /// <summary>Writes the value as JSON (config.json, plug-ins, --json output).</summary>
    public abstract void WriteJson(Utf8JsonWriter writer);

    /// <summary>The numeric value, for samplers and policies; null when the value is not a number.</summary>
    public virtual double? AsDouble() => null;

    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            WriteJson(writer);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    public static ParameterValue Of(long value) => new IntegerValue(value);

    public static ParameterValue Of(double value) => new RealValue(value);

    public static ParameterValue Of(string value) => new TextValue(value);

    public static ParameterValue Of(bool value) => new BooleanValue(value);

    public sealed override string ToString() => ToInvariantString();
}

public sealed record IntegerValue(long Value) : ParameterValue
{
    public override string ToInvariantString() => Value.ToString(CultureInfo.InvariantCulture);

    public override void WriteJson(Utf8JsonWriter writer) => writer.WriteNumberValue(Value);

    public override double? AsDouble() => Value;
}

public sealed record RealValue(double Value) : ParameterValue
{
    /// <summary>Round-trip ("R") formatting: the text parses back to the same double.</summary>
    public override string ToInvariantString() => Value.ToString("R", CultureInfo.InvariantCulture);

    public override void WriteJson(Utf8JsonWriter writer)
    {
        if (double.IsFinite(Value))
        {
            writer.WriteNumberValue(Value);
        }
        else
        {
            // JSON has no infinities; write them as strings rather than fail.
            writer.WriteStringValue(ToInvariantString());
        }
    }

    public override double? AsDouble() => Value;
}

public sealed record TextValue(string Value) : ParameterValue
{
    public override string ToInvariantString() => Value;

    public override void WriteJson(Utf8JsonWriter writer) => writer.WriteStringValue(Value);
}

public sealed record BooleanValue(bool Value) : ParameterValue
{
    public override string ToInvariantString() => Value ? "true" : "false";

    public override void WriteJson(Utf8JsonWriter writer) => writer.WriteBooleanValue(Value);
}

public sealed record NullValue : ParameterValue
{
    public static readonly NullValue Instance = new();

    private NullValue()
    {
    }

    public override string ToInvariantString() => "null";

    public override void WriteJson(Utf8JsonWriter writer) => writer.WriteNullValue();
}

/// <summary>An ordered mapping of names to values; equality compares entries in order.</summary>
public sealed record MapValue(ImmutableArray<KeyValuePair<string, ParameterValue>> Entries) : ParameterValue
{
    public ParameterValue? this[string key]
    {
        get
        {
            foreach (var (name, value) in Entries)
            {
                if (name == key)
                {
                    return value;
                }
            }

            return null;
        }
    }

    public override string ToInvariantString() => ToJson();

    public override void WriteJson(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        foreach (var (name, value) in Entries)
        {
            writer.WritePropertyName(name);
            value.WriteJson(writer);
        }

        writer.WriteEndObject();
    }

    public bool Equals(MapValue? other) =>
        other is not null && Entries.Length == other.Entries.Length
        && Entries.Zip(other.Entries).All(p => p.First.Key == p.Second.Key && p.First.Value.Equals(p.Second.Value));

    public override int GetHashCode() => Entries.Length;
}

/// <summary>A list of values (sampler and trainer options; never a sampled hyperparameter).</summary>
public sealed record ListValue(ImmutableArray<ParameterValue> Items) : ParameterValue
{
    public override string ToInvariantString() => ToJson();

    public override void WriteJson(Utf8JsonWriter writer)
    {
        writer.WriteStartArray();
        foreach (var item in Items)
        {
            item.WriteJson(writer);
        }

        writer.WriteEndArray();
    }

    public bool Equals(ListValue? other) =>
        other is not null && Items.SequenceEqual(other.Items);

    public override int GetHashCode() => Items.Length;
}
