using System.Collections.Concurrent;
using System.Text.Json;
using HyperDrive.Actors.Artifacts;

namespace HyperDrive.Cli.Engine;

/// <summary>
/// The API's list of sweeps, kept in the artifact store (<c>catalog/ID.json</c>): on a cluster that is the journal's
/// database, so every coordinator node's API knows every sweep, whichever node it was submitted to. Each entry is
/// also written to the node's data folder, where the local console commands look for it.
/// </summary>
internal sealed class SweepIndex(IArtifactStore store, SweepCatalog files)
{
    private const string Prefix = "catalog/";

    private readonly ConcurrentDictionary<string, SweepEntry> _read = new(StringComparer.Ordinal);

    public SweepCatalog Files { get; } = files;

    public async Task<string> NewIdAsync(string name, CancellationToken cancellationToken)
    {
        for (var i = 0; ; i++)
        {
            var id = Files.NewId(name + (i == 0 ? "" : "-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            if (!await store.ExistsAsync(Prefix + id + ".json", cancellationToken))
            {
                return id;
            }
        }
    }

    public async Task RegisterAsync(SweepEntry entry, CancellationToken cancellationToken)
    {
        using var content = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(entry, SweepCatalog.JsonOptions));
        await store.PutAsync(Prefix + entry.Id + ".json", content, cancellationToken);
        Files.Register(entry);
    }

    public async Task<IReadOnlyList<SweepEntry>> ListAsync(CancellationToken cancellationToken)
    {
        // Entries are written once (at submit) and never changed, so each is read from the store once per node:
        // a request lists the keys (one query) and reads only those this node has not seen.
        var entries = new List<SweepEntry>();
        foreach (var item in await store.ListAsync(Prefix, cancellationToken))
        {
            if (_read.TryGetValue(item.Key, out var known))
            {
                entries.Add(known);
                continue;
            }

            await using var content = await store.OpenReadAsync(item.Key, cancellationToken);
            if (content is null)
            {
                continue;
            }

            try
            {
                if (await JsonSerializer.DeserializeAsync<SweepEntry>(content, SweepCatalog.JsonOptions, cancellationToken) is { } entry)
                {
                    _read[item.Key] = entry;
                    entries.Add(entry);
                }
            }
            catch (JsonException)
            {
                // A damaged entry hides one sweep from listings; its journal is untouched.
            }
        }

        return [.. entries.OrderByDescending(e => e.Created)];
    }

    public async Task<(string? Id, string? Error)> ResolveAsync(string idOrName, CancellationToken cancellationToken) =>
        SweepCatalog.Resolve(await ListAsync(cancellationToken), idOrName, "");
}
