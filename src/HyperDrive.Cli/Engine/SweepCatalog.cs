using System.Text.Json;
using System.Text.RegularExpressions;
using HyperDrive.Core.Sampling;

namespace HyperDrive.Cli.Engine;

/// <summary>
/// The sweeps of a data folder: <c>sweeps/ID/sweep.json</c> records each one's id, name, file and creation time
/// (the journal holds their state). Resolves what users type: an id, or a name when it is unambiguous.
/// </summary>
internal sealed partial class SweepCatalog
{
    private readonly string _dataDirectory;

    public SweepCatalog(string dataDirectory)
    {
        _dataDirectory = dataDirectory;
    }

    public string SweepFolder(string sweepId) => Path.Combine(_dataDirectory, "sweeps", sweepId);

    /// <summary>A new id: the sweep's name (made file-safe) and a short suffix, e.g. <c>digits-mlp-3f9c</c>.</summary>
    public string NewId(string name)
    {
        var safe = UnsafeCharacters().Replace(name.ToLowerInvariant(), "-").Trim('-');
        safe = string.IsNullOrEmpty(safe) ? "sweep" : safe[..Math.Min(safe.Length, 48)];
        for (var i = 0; ; i++)
        {
            var suffix = (StableHash.Mix((ulong)DateTime.UtcNow.Ticks, (ulong)Environment.ProcessId, (ulong)i) & 0xFFFF).ToString("x4", System.Globalization.CultureInfo.InvariantCulture);
            var id = safe + "-" + suffix;
            if (!Directory.Exists(SweepFolder(id)))
            {
                return id;
            }
        }
    }

    /// <summary>The seed of a sweep whose file gives none: derived from its id, and recorded with the sweep.</summary>
    public static long DefaultSeed(string sweepId) => (long)(StableHash.Of(sweepId) & 0x7FFFFFFF);

    public void Register(SweepEntry entry)
    {
        Directory.CreateDirectory(SweepFolder(entry.Id));
        File.WriteAllText(Path.Combine(SweepFolder(entry.Id), "sweep.json"), JsonSerializer.Serialize(entry, JsonOptions));
    }

    /// <summary>Every registered sweep, newest first.</summary>
    public IReadOnlyList<SweepEntry> List()
    {
        var folder = Path.Combine(_dataDirectory, "sweeps");
        if (!Directory.Exists(folder))
        {
            return [];
        }

        var entries = new List<SweepEntry>();
        foreach (var file in Directory.EnumerateFiles(folder, "sweep.json", new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = 1 }))
        {
            try
            {
                if (JsonSerializer.Deserialize<SweepEntry>(File.ReadAllText(file), JsonOptions) is { } entry)
                {
                    entries.Add(entry);
                }
            }
            catch (JsonException)
            {
                // A damaged index entry hides one sweep from listings; its journal is untouched.
            }
        }

        return [.. entries.OrderByDescending(e => e.Created)];
    }

    /// <summary>The id for what the user typed (an id or an unambiguous name), or an error message.</summary>
    public (string? Id, string? Error) Resolve(string idOrName) => Resolve(List(), idOrName, " in " + _dataDirectory);

    /// <summary>An id, or the one sweep of that name among <paramref name="all"/>; else why not (<paramref name="where"/> ends the "no sweep" message).</summary>
    public static (string? Id, string? Error) Resolve(IReadOnlyList<SweepEntry> all, string idOrName, string where)
    {
        if (all.Any(e => e.Id == idOrName))
        {
            return (idOrName, null);
        }

        var byName = all.Where(e => e.Name == idOrName).ToList();
        return byName.Count switch
        {
            1 => (byName[0].Id, null),
            0 => (null, $"no sweep '{idOrName}'{where}" + (all.Count > 0 ? $"; known: {string.Join(", ", all.Take(10).Select(e => e.Id))}" : "")),
            _ => (null, $"the name '{idOrName}' is ambiguous: {string.Join(", ", byName.Select(e => e.Id))}; give the id"),
        };
    }

    internal static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
    };

    [GeneratedRegex("[^a-z0-9._-]+")]
    private static partial Regex UnsafeCharacters();
}

internal sealed record SweepEntry(string Id, string Name, string? SourceFile, DateTimeOffset Created);
