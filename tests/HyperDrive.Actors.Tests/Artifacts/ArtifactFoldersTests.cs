using HyperDrive.Actors.Artifacts;

namespace HyperDrive.Actors.Tests.Artifacts;

/// <summary>What the folder helpers refuse whatever a store says (the contract tests cover the round trips).</summary>
public sealed class ArtifactFoldersTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "hyperdrive-folders-" + Guid.NewGuid().ToString("N")[..12]);

    [Theory]
    [InlineData("out/../../escaped.txt")]
    [InlineData("out//abs")]
    [InlineData("elsewhere/x.txt")]
    public async Task Download_should_refuse_a_listed_key_that_would_land_outside_the_folder_before_writing_anything(string evil)
    {
        var store = new ListingStore(["out/fine.txt", evil]);
        var target = Path.Combine(_folder, "a", "target");

        var refused = await Assert.ThrowsAsync<IOException>(() => ArtifactFolders.DownloadFolderAsync(store, "out", target));

        Assert.Contains(evil, refused.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(target));
        Assert.False(File.Exists(Path.Combine(_folder, "a", "escaped.txt")));
    }

    [Fact]
    public async Task Download_should_refuse_to_write_through_a_symbolic_link_in_the_folder()
    {
        var store = new FileArtifactStore(Path.Combine(_folder, "store"));
        await store.PutAsync("ckpt/model.pt", new MemoryStream([1, 2]));
        var target = Path.Combine(_folder, "trial");
        var outside = Path.Combine(_folder, "outside");
        Directory.CreateDirectory(target);
        Directory.CreateDirectory(outside);
        File.CreateSymbolicLink(Path.Combine(target, "model.pt"), Path.Combine(outside, "victim"));

        await Assert.ThrowsAsync<IOException>(() => ArtifactFolders.DownloadFolderAsync(store, "ckpt", target));

        Assert.False(File.Exists(Path.Combine(outside, "victim")));
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    /// <summary>A store that lists whatever it is told to (a buggy or hostile store) and serves one byte for every key.</summary>
    private sealed class ListingStore(IReadOnlyList<string> keys) : IArtifactStore
    {
        public Task<IReadOnlyList<ArtifactInfo>> ListAsync(string prefix, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<ArtifactInfo>>(keys.Select(k => new ArtifactInfo(k, 1)).ToList());

        public Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken = default) => Task.FromResult<Stream?>(new MemoryStream([1]));

        public Task<ArtifactInfo> PutAsync(string key, Stream content, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<int> DeletePrefixAsync(string prefix, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}
