using System.IO.Compression;
using System.Runtime.Versioning;
using System.Text;
using HyperDrive.Actors.Artifacts;

namespace HyperDrive.Actors.Tests.Artifacts;

/// <summary>
/// What every <see cref="IArtifactStore"/> must do, run against each store by a derived class. Every test works under
/// its own random root (<see cref="Root"/>, <see cref="Sweep"/>) so that the PostgreSQL tables can be shared by runs.
/// </summary>
public abstract class ArtifactStoreContract : IDisposable
{
    protected ArtifactStoreContract()
    {
        Folder = Path.Combine(Path.GetTempPath(), "hyperdrive-artifacts-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Folder);
        Root = "t" + Guid.NewGuid().ToString("N")[..12] + "/";
        Sweep = "sweep-" + Guid.NewGuid().ToString("N")[..8];
    }

    /// <summary>A fresh temporary folder for this test (the file store's root, the SQLite file, local folders).</summary>
    protected string Folder { get; }

    protected string Root { get; }

    protected string Sweep { get; }

    protected abstract IArtifactStore CreateStore(ArtifactLimits? limits = null);

    [StoreFact]
    public Task Round_trip_should_keep_an_empty_file() => RoundTrip(0);

    [StoreFact]
    public Task Round_trip_should_keep_a_one_byte_file() => RoundTrip(1);

    [StoreFact]
    public Task Round_trip_should_keep_every_byte_of_a_file_of_three_and_a_half_MiB() => RoundTrip(7 << 19);

    [StoreFact]
    public async Task Put_should_replace_the_content_so_that_a_read_returns_the_last_one()
    {
        var store = CreateStore();
        var key = Root + "model.pt";
        await store.PutAsync(key, new MemoryStream(Bytes(5000, seed: 1)));
        await store.PutAsync(key, new MemoryStream(Bytes(10, seed: 2)));
        var last = Bytes(3000, seed: 3);
        var info = await store.PutAsync(key, new MemoryStream(last));

        Assert.Equal(new ArtifactInfo(key, 3000), info);
        Assert.Equal(last, await ReadAll(store, key));
        Assert.Equal([new ArtifactInfo(key, 3000)], await store.ListAsync(Root));
    }

    [StoreFact]
    public async Task Open_and_exists_should_report_a_missing_key_as_absent()
    {
        var store = CreateStore();
        await store.PutAsync(Root + "present", new MemoryStream([1]));

        Assert.Null(await store.OpenReadAsync(Root + "absent"));
        Assert.False(await store.ExistsAsync(Root + "absent"));
        Assert.False(await store.ExistsAsync(Root + "present/below"));
        await store.PutAsync(Root + "folder/file", new MemoryStream([2]));
        Assert.Null(await store.OpenReadAsync(Root + "folder"));
        Assert.False(await store.ExistsAsync(Root + "folder"));
        Assert.True(await store.ExistsAsync(Root + "present"));
    }

    [StoreFact]
    public async Task List_should_return_the_keys_under_the_folder_with_their_sizes_in_ordinal_order()
    {
        var store = CreateStore();
        await Put(store, Root + "a/2.bin", 2);
        await Put(store, Root + "a/1.bin", 1);
        await Put(store, Root + "a/deep/er/3.bin", 3);
        await Put(store, Root + "ab/not-under-a.bin", 4);
        await Put(store, Root + "b.bin", 5);

        ArtifactInfo[] underA = [new(Root + "a/1.bin", 1), new(Root + "a/2.bin", 2), new(Root + "a/deep/er/3.bin", 3)];
        Assert.Equal(underA, await store.ListAsync(Root + "a"));
        Assert.Equal(underA, await store.ListAsync(Root + "a/"));
        Assert.Equal(5, (await store.ListAsync(Root)).Count);
        Assert.Empty(await store.ListAsync(Root + "a/1.bin"));
        Assert.Empty(await store.ListAsync(Root + "missing"));
    }

    [StoreFact]
    public async Task Delete_should_remove_one_key_and_say_whether_it_was_there()
    {
        var store = CreateStore();
        await Put(store, Root + "x/keep", 1);
        await Put(store, Root + "x/drop", 2);

        Assert.True(await store.DeleteAsync(Root + "x/drop"));
        Assert.False(await store.DeleteAsync(Root + "x/drop"));
        Assert.Null(await store.OpenReadAsync(Root + "x/drop"));
        Assert.Equal([new ArtifactInfo(Root + "x/keep", 1)], await store.ListAsync(Root));
    }

    [StoreFact]
    public async Task Delete_prefix_should_remove_the_keys_under_the_folder_only()
    {
        var store = CreateStore();
        await Put(store, Root + "trial/1/a", 1);
        await Put(store, Root + "trial/1/sub/b", 2);
        await Put(store, Root + "trial/10/c", 3);
        await Put(store, Root + "trial/1.txt", 4);

        Assert.Equal(2, await store.DeletePrefixAsync(Root + "trial/1"));

        Assert.Equal([new ArtifactInfo(Root + "trial/1.txt", 4), new ArtifactInfo(Root + "trial/10/c", 3)], await store.ListAsync(Root));
        Assert.Equal(0, await store.DeletePrefixAsync(Root + "trial/1"));
        await Assert.ThrowsAsync<ArgumentException>(() => store.DeletePrefixAsync(""));
    }

    [StoreFact]
    public async Task Every_operation_should_refuse_an_invalid_key_naming_it()
    {
        var store = CreateStore();
        foreach (var key in new[] { "", "/etc/passwd", "a/../../b", "a\\b", "a//b", "./a", "a\0b" })
        {
            var put = await Assert.ThrowsAsync<ArgumentException>(() => store.PutAsync(key, new MemoryStream([1])));
            Assert.Contains($"'{key.Replace("\0", "\\u0000", StringComparison.Ordinal)}'", put.Message, StringComparison.Ordinal);
            await Assert.ThrowsAsync<ArgumentException>(() => store.OpenReadAsync(key));
            await Assert.ThrowsAsync<ArgumentException>(() => store.ExistsAsync(key));
            await Assert.ThrowsAsync<ArgumentException>(() => store.DeleteAsync(key));
        }

        await Assert.ThrowsAsync<ArgumentException>(() => store.ListAsync("../"));
        await Assert.ThrowsAsync<ArgumentException>(() => store.DeletePrefixAsync("a/../.."));
    }

    [StoreFact]
    public async Task Put_should_refuse_a_file_over_the_per_file_limit_and_store_nothing_of_it()
    {
        var store = CreateStore(new ArtifactLimits(MaxBytesPerTrial: 1 << 20, MaxBytesPerFile: 1000));
        var key = ArtifactKeys.Outputs(Sweep, 1, 1) + "big.bin";
        await store.PutAsync(key, new MemoryStream(Bytes(1000, seed: 4)));

        var known = await Assert.ThrowsAsync<ArtifactLimitExceededException>(() => store.PutAsync(key, new MemoryStream(Bytes(1001, seed: 5))));
        var streamed = await Assert.ThrowsAsync<ArtifactLimitExceededException>(() => store.PutAsync(key, new UnseekableStream(Bytes(5000, seed: 6))));

        Assert.Equal((1001, 1000, ArtifactLimits.MaxBytesPerFileSetting), (known.Size, known.Limit, known.Setting));
        Assert.Contains(key, known.Message, StringComparison.Ordinal);
        Assert.Contains("1,001 bytes", known.Message, StringComparison.Ordinal);
        Assert.Contains("hyperdrive.artifacts.max-bytes-per-file", known.Message, StringComparison.Ordinal);
        Assert.InRange(streamed.Size, 1001, 5000);
        Assert.Contains("at least", streamed.Message, StringComparison.Ordinal);
        Assert.Equal(Bytes(1000, seed: 4), await ReadAll(store, key));
    }

    [StoreFact]
    public async Task Put_should_refuse_what_would_bring_a_trial_over_its_limit_counting_a_replaced_file_once()
    {
        var store = CreateStore(new ArtifactLimits(MaxBytesPerTrial: 1000, MaxBytesPerFile: 1 << 20));
        var checkpoint = ArtifactKeys.Checkpoints(Sweep, 3) + "model.pt";
        var output = ArtifactKeys.Outputs(Sweep, 3, 2) + "model.onnx";
        await store.PutAsync(checkpoint, new MemoryStream(Bytes(600, seed: 7)));
        await store.PutAsync(checkpoint, new MemoryStream(Bytes(700, seed: 8)));

        var refused = await Assert.ThrowsAsync<ArtifactLimitExceededException>(() => store.PutAsync(output, new UnseekableStream(Bytes(301, seed: 9))));
        await store.PutAsync(output, new MemoryStream(Bytes(300, seed: 10)));
        await store.PutAsync(ArtifactKeys.Checkpoints(Sweep, 4) + "model.pt", new MemoryStream(Bytes(1000, seed: 11)));

        Assert.Equal((1001L, 1000L, ArtifactLimits.MaxBytesPerTrialSetting), (refused.Size, refused.Limit, refused.Setting));
        Assert.Contains(output, refused.Message, StringComparison.Ordinal);
        Assert.Contains(ArtifactKeys.Trial(Sweep, 3), refused.Message, StringComparison.Ordinal);
        Assert.Contains("hyperdrive.artifacts.max-bytes-per-trial", refused.Message, StringComparison.Ordinal);
        Assert.Equal(1000, (await store.ListAsync(ArtifactKeys.Trial(Sweep, 3))).Sum(a => a.Size));
    }

    [StoreFact]
    public async Task Folders_should_make_the_round_trip_with_nested_folders_leaving_out_exclusions_and_links()
    {
        var store = CreateStore();
        var source = Path.Combine(Folder, "outputs");
        var files = new Dictionary<string, byte[]>
        {
            ["model.pt"] = Bytes(3000, seed: 12),
            ["metrics/final.json"] = Encoding.UTF8.GetBytes("{\"accuracy\": 0.9}"),
            ["metrics/curves/loss.csv"] = Bytes(0, seed: 13),
            ["a/b/c/d/e.txt"] = Bytes(17, seed: 14),
        };
        WriteFiles(source, files);
        WriteFiles(source, new Dictionary<string, byte[]> { ["__pycache__/x.pyc"] = [1], ["metrics/tmp/scratch"] = [2], ["keep/__pycache__/y.pyc"] = [3] });
        File.WriteAllText(Path.Combine(Folder, "secret"), "outside");
        File.CreateSymbolicLink(Path.Combine(source, "link-to-secret"), Path.Combine(Folder, "secret"));
        Directory.CreateSymbolicLink(Path.Combine(source, "link-to-folder"), Folder);

        var uploaded = await ArtifactFolders.UploadFolderAsync(store, source, Root + "outputs", ["__pycache__", "metrics/tmp"]);
        var target = Path.Combine(Folder, "downloaded");
        var downloaded = await ArtifactFolders.DownloadFolderAsync(store, Root + "outputs/", target);

        var expectedKeys = files.Keys.Select(k => Root + "outputs/" + k).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expectedKeys, uploaded.Select(u => u.Key));
        Assert.Equal(expectedKeys, downloaded.Select(d => d.Key));
        Assert.Equal(files.Keys.Order(StringComparer.Ordinal), FilesUnder(target));
        foreach (var (relative, bytes) in files)
        {
            Assert.Equal(bytes, File.ReadAllBytes(Path.Combine(target, relative)));
        }
    }

    [StoreFact]
    [UnsupportedOSPlatform("windows")]
    public async Task Archive_should_make_the_round_trip_keeping_the_executable_bit()
    {
        var store = CreateStore();
        var code = Path.Combine(Folder, "code");
        var files = new Dictionary<string, byte[]>
        {
            ["train.py"] = Encoding.UTF8.GetBytes("print('hyperdrive: loss=0.1')\n"),
            ["run.sh"] = Encoding.UTF8.GetBytes("#!/bin/sh\npython3 train.py\n"),
            ["lib/util/data.bin"] = Bytes(200_000, seed: 15),
            ["empty.txt"] = [],
        };
        WriteFiles(code, files);
        WriteFiles(code, new Dictionary<string, byte[]> { [".git/HEAD"] = [1], ["sub/.hyperdrive/journal.db"] = [2] });
        File.SetUnixFileMode(Path.Combine(code, "run.sh"), (UnixFileMode)0b111_101_101);
        File.SetUnixFileMode(Path.Combine(code, "train.py"), (UnixFileMode)0b110_100_100);

        var key = ArtifactKeys.CodeArchive(Sweep);
        await ArtifactFolders.UploadArchiveAsync(store, code, key);
        var target = Path.Combine(Folder, "trial-1");
        var count = await ArtifactFolders.ExtractArchiveAsync(store, key, target);

        Assert.Equal(4, count);
        Assert.Equal(files.Keys.Order(StringComparer.Ordinal), FilesUnder(target));
        foreach (var (relative, bytes) in files)
        {
            Assert.Equal(bytes, File.ReadAllBytes(Path.Combine(target, relative)));
        }

        Assert.True((File.GetUnixFileMode(Path.Combine(target, "run.sh")) & UnixFileMode.UserExecute) != 0);
        Assert.True((File.GetUnixFileMode(Path.Combine(target, "train.py")) & UnixFileMode.UserExecute) == 0);
    }

    [StoreFact]
    public async Task Extract_should_refuse_a_zip_whose_entry_escapes_the_folder_and_write_nothing()
    {
        var store = CreateStore();
        var target = Path.Combine(Folder, "a", "b", "trial");
        foreach (var evil in new[] { "../../escaped.txt", "ok/../../../escaped.txt", "/tmp/escaped-" + Root.TrimEnd('/'), "..\\..\\escaped.txt" })
        {
            var zip = new MemoryStream();
            using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
            {
                await using (var first = archive.CreateEntry("innocent.txt").Open())
                {
                    first.Write([1, 2, 3]);
                }

                await using var second = archive.CreateEntry(evil).Open();
                second.Write("pwned"u8);
            }

            zip.Position = 0;
            await store.PutAsync(Root + "evil.zip", zip);

            var refused = await Assert.ThrowsAsync<IOException>(() => ArtifactFolders.ExtractArchiveAsync(store, Root + "evil.zip", target));
            Assert.Contains(evil, refused.Message, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(target, "innocent.txt")));
            Assert.False(File.Exists(Path.Combine(Folder, "escaped.txt")));
            Assert.False(File.Exists(Path.Combine(Folder, "a", "escaped.txt")));
            Assert.False(File.Exists("/tmp/escaped-" + Root.TrimEnd('/')));
        }
    }

    [StoreFact]
    public async Task Extract_should_name_the_key_when_there_is_no_archive()
    {
        var store = CreateStore();
        var missing = await Assert.ThrowsAsync<FileNotFoundException>(() => ArtifactFolders.ExtractArchiveAsync(store, Root + "code.zip", Folder));
        Assert.Contains(Root + "code.zip", missing.Message, StringComparison.Ordinal);
    }

    public virtual void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A pooled SQLite connection may still hold the file; the OS cleans temp.
        }

        GC.SuppressFinalize(this);
    }

    protected async Task RoundTrip(int size)
    {
        var store = CreateStore();
        var key = Root + "trials/1/outputs/model-" + size + ".bin";
        var bytes = Bytes(size, seed: size);

        var info = await store.PutAsync(key, new UnseekableStream(bytes));

        Assert.Equal(new ArtifactInfo(key, size), info);
        Assert.True(await store.ExistsAsync(key));
        Assert.Equal(bytes, await ReadAll(store, key));
        Assert.Equal([new ArtifactInfo(key, size)], await store.ListAsync(Root));
    }

    protected static byte[] Bytes(int size, int seed)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    protected static async Task Put(IArtifactStore store, string key, int size) =>
        await store.PutAsync(key, new MemoryStream(Bytes(size, seed: size)));

    protected static async Task<byte[]> ReadAll(IArtifactStore store, string key)
    {
        await using var stream = await store.OpenReadAsync(key) ?? throw new Xunit.Sdk.XunitException($"no artifact {key}");
        var copy = new MemoryStream();
        // Small reads, so that chunk boundaries are crossed inside a read.
        var buffer = new byte[7919];
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            copy.Write(buffer, 0, read);
        }

        return copy.ToArray();
    }

    private static void WriteFiles(string root, IReadOnlyDictionary<string, byte[]> files)
    {
        foreach (var (relative, bytes) in files)
        {
            var path = Path.Combine(root, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, bytes);
        }
    }

    private static List<string> FilesUnder(string root) =>
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal)
            .ToList();
}
