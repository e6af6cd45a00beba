using HyperDrive.Actors.Artifacts;
using HyperDrive.Cli.Engine;
using HyperDrive.Cli.Tests.EndToEnd;

namespace HyperDrive.Cli.Tests.Engine;

public sealed class SweepIndexTests : IDisposable
{
    private readonly TempFolder _temp = new("hyperdrive-sweep-index-");

    [Fact]
    public async Task List_should_read_each_entry_from_the_store_once_and_still_see_new_sweeps_from_other_nodes()
    {
        var store = new CountingStore(new FileArtifactStore(_temp.Combine("artifacts")));
        var thisNode = new SweepIndex(store, new SweepCatalog(_temp.Combine("node-a")));
        var otherNode = new SweepIndex(store, new SweepCatalog(_temp.Combine("node-b")));
        var created = new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
        await thisNode.RegisterAsync(new SweepEntry("a-1f2e", "a", null, created), CancellationToken.None);
        await otherNode.RegisterAsync(new SweepEntry("b-3c4d", "b", null, created.AddMinutes(1)), CancellationToken.None);

        Assert.Equal(["b-3c4d", "a-1f2e"], (await thisNode.ListAsync(CancellationToken.None)).Select(e => e.Id));
        Assert.Equal(2, store.Reads);
        Assert.Equal(["b-3c4d", "a-1f2e"], (await thisNode.ListAsync(CancellationToken.None)).Select(e => e.Id));
        Assert.Equal(2, store.Reads);

        await otherNode.RegisterAsync(new SweepEntry("c-5e6f", "c", null, created.AddMinutes(2)), CancellationToken.None);
        Assert.Equal(["c-5e6f", "b-3c4d", "a-1f2e"], (await thisNode.ListAsync(CancellationToken.None)).Select(e => e.Id));
        Assert.Equal(3, store.Reads);
        Assert.Equal(("b-3c4d", (string?)null), await thisNode.ResolveAsync("b", CancellationToken.None));
        Assert.Equal(3, store.Reads);
    }

    public void Dispose() => _temp.Dispose();

    private sealed class CountingStore(IArtifactStore inner) : IArtifactStore
    {
        public int Reads { get; private set; }

        public Task<ArtifactInfo> PutAsync(string key, Stream content, CancellationToken cancellationToken = default) => inner.PutAsync(key, content, cancellationToken);

        public Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken = default)
        {
            Reads++;
            return inner.OpenReadAsync(key, cancellationToken);
        }

        public Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default) => inner.ExistsAsync(key, cancellationToken);

        public Task<IReadOnlyList<ArtifactInfo>> ListAsync(string prefix, CancellationToken cancellationToken = default) => inner.ListAsync(prefix, cancellationToken);

        public Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default) => inner.DeleteAsync(key, cancellationToken);

        public Task<int> DeletePrefixAsync(string prefix, CancellationToken cancellationToken = default) => inner.DeletePrefixAsync(prefix, cancellationToken);
    }
}
