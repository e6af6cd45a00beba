using HyperDrive.Actors.Artifacts;

namespace HyperDrive.Actors.Tests.Artifacts;

public sealed class FileArtifactStoreTests : ArtifactStoreContract
{
    protected override IArtifactStore CreateStore(ArtifactLimits? limits = null) => new FileArtifactStore(Path.Combine(Folder, "artifacts"), limits);

    [Fact]
    public async Task Store_should_keep_each_key_as_a_file_under_its_root()
    {
        var store = CreateStore();
        await store.PutAsync("sweeps/s/trials/1/attempt-1/trial.log", new MemoryStream("line\n"u8.ToArray()));

        Assert.Equal("line\n", File.ReadAllText(Path.Combine(Folder, "artifacts", "sweeps", "s", "trials", "1", "attempt-1", "trial.log")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(Folder, "artifacts", ".staging")));
    }

    [Fact]
    public async Task Store_should_refuse_a_key_through_a_symbolic_link_and_write_nothing_outside_its_root()
    {
        var store = CreateStore();
        var outside = Path.Combine(Folder, "outside");
        Directory.CreateDirectory(outside);
        Directory.CreateSymbolicLink(Path.Combine(Folder, "artifacts", "escape"), outside);
        File.WriteAllText(Path.Combine(outside, "secret"), "s");

        var put = await Assert.ThrowsAsync<IOException>(() => store.PutAsync("escape/planted", new MemoryStream([1])));
        await Assert.ThrowsAsync<IOException>(() => store.OpenReadAsync("escape/secret"));
        await Assert.ThrowsAsync<IOException>(() => store.DeletePrefixAsync("escape"));

        Assert.Contains("escape/planted", put.Message, StringComparison.Ordinal);
        Assert.Equal(["secret"], Directory.EnumerateFiles(outside).Select(Path.GetFileName));
        Assert.Empty(await store.ListAsync(""));
    }

    [Fact]
    public async Task Store_should_reserve_its_staging_folder()
    {
        var store = CreateStore();
        await Assert.ThrowsAsync<ArgumentException>(() => store.PutAsync(".staging/x", new MemoryStream([1])));
        await store.PutAsync("visible", new MemoryStream([1]));

        Assert.Equal([new ArtifactInfo("visible", 1)], await store.ListAsync(""));
    }
}
