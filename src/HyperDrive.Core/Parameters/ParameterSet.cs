using System.Collections.Immutable;
using System.Text;
using System.Text.Json;

namespace HyperDrive.Core.Parameters;

/// <summary>
/// The hyperparameters of one trial, in search-space order. A nested choice contributes one entry whose
/// value is a <see cref="MapValue"/> (the chosen branch); its members are addressed with dotted names
/// (<c>model.lr</c>), as in <c>${{search_space.model.lr}}</c>.
/// </summary>
public sealed class ParameterSet : IEquatable<ParameterSet>
{
    public static readonly ParameterSet Empty = new([]);

    public ParameterSet(ImmutableArray<KeyValuePair<string, ParameterValue>> entries)
    {
        Entries = entries;
    }

    public ImmutableArray<KeyValuePair<string, ParameterValue>> Entries { get; }

    public int Count => Entries.Length;

    public IEnumerable<string> Names => Entries.Select(e => e.Key);

    /// <summary>Looks a value up by name or dotted path (<c>model.lr</c>); null when absent.</summary>
    public ParameterValue? Find(string path)
    {
        foreach (var (name, value) in Entries)
        {
            if (name == path)
            {
                return value;
            }
        }

        var dot = path.IndexOf('.', StringComparison.Ordinal);
        while (dot > 0)
        {
            var head = path[..dot];
            var rest = path[(dot + 1)..];
            if (Find(head) is MapValue map && FindIn(map, rest) is { } found)
            {
                return found;
            }

            dot = path.IndexOf('.', dot + 1);
        }

        return null;
    }

    /// <summary>Every leaf with its dotted path: nested branches are flattened (<c>model.name</c>, <c>model.lr</c>).</summary>
    public IEnumerable<KeyValuePair<string, ParameterValue>> Flatten()
    {
        foreach (var (name, value) in Entries)
        {
            foreach (var leaf in FlattenValue(name, value))
            {
                yield return leaf;
            }
        }
    }

    public ParameterSet With(string name, ParameterValue value)
    {
        var entry = KeyValuePair.Create(name, value);
        for (var i = 0; i < Entries.Length; i++)
        {
            if (Entries[i].Key == name)
            {
                return new ParameterSet(Entries.SetItem(i, entry));
            }
        }

        return new ParameterSet(Entries.Add(entry));
    }

    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            WriteJson(writer);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    public void WriteJson(Utf8JsonWriter writer) => new MapValue(Entries).WriteJson(writer);

    public bool Equals(ParameterSet? other) => other is not null && new MapValue(Entries).Equals(new MapValue(other.Entries));

    public override bool Equals(object? obj) => Equals(obj as ParameterSet);

    public override int GetHashCode() => Entries.Length;

    public override string ToString() => ToJson();

    public static ParameterSet Of(params (string Name, ParameterValue Value)[] entries) =>
        new([.. entries.Select(e => KeyValuePair.Create(e.Name, e.Value))]);

    private static ParameterValue? FindIn(MapValue map, string path)
    {
        if (map[path] is { } direct)
        {
            return direct;
        }

        var dot = path.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 && map[path[..dot]] is MapValue inner ? FindIn(inner, path[(dot + 1)..]) : null;
    }

    private static IEnumerable<KeyValuePair<string, ParameterValue>> FlattenValue(string prefix, ParameterValue value)
    {
        if (value is MapValue map)
        {
            foreach (var (name, inner) in map.Entries)
            {
                foreach (var leaf in FlattenValue(prefix + "." + name, inner))
                {
                    yield return leaf;
                }
            }
        }
        else
        {
            yield return KeyValuePair.Create(prefix, value);
        }
    }
}
