namespace HyperDrive.Actors.Artifacts;

/// <summary>
/// The embedded mode's store: one file per key under a root folder (<c>.hyperdrive/artifacts/</c>), so users can
/// browse it. A put writes a temporary file under <c>{root}/.staging/</c> and renames it over the key's file, so
/// readers see the old content or the new one. No key leaves the root: the combined path is checked, and a key
/// whose path passes through a symbolic link under the root is refused rather than followed.
/// </summary>
public sealed class FileArtifactStore : IArtifactStore
{
    private const string Staging = ".staging";
    private const int BufferSize = 81920;
    private readonly string _rootWithSeparator;

    /// <summary>The store of an embedded node's data folder (<c>DATA/artifacts</c>), where the console commands find it too.</summary>
    public static FileArtifactStore InDataDirectory(string dataDirectory, ArtifactLimits? limits = null) =>
        new(Path.Combine(dataDirectory, "artifacts"), limits);

    public FileArtifactStore(string rootFolder, ArtifactLimits? limits = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(rootFolder);
        RootFolder = Path.TrimEndingDirectorySeparator(Path.GetFullPath(rootFolder));
        _rootWithSeparator = RootFolder + Path.DirectorySeparatorChar;
        Limits = limits ?? ArtifactLimits.Default;
        Directory.CreateDirectory(RootFolder);
    }

    public string RootFolder { get; }

    public ArtifactLimits Limits { get; }

    public async Task<ArtifactInfo> PutAsync(string key, Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var path = PathOf(key);
        var budget = ArtifactBudget.For(key, Limits, OtherTrialBytes(key));
        budget.CheckKnownLength(content);
        var staging = Path.Combine(RootFolder, Staging);
        Directory.CreateDirectory(staging);
        var temporary = Path.Combine(staging, Guid.NewGuid().ToString("N") + ".tmp");
        try
        {
            long written = 0;
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, useAsync: true))
            {
                var buffer = new byte[BufferSize];
                int read;
                while ((read = await content.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    written += read;
                    budget.Check(written);
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                }

                await file.FlushAsync(cancellationToken).ConfigureAwait(false);
            }

            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            RefuseLinks(key, path);
            File.Move(temporary, path, overwrite: true);
            return new ArtifactInfo(key, written);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    public Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken = default)
    {
        var path = PathOf(key);
        if (Directory.Exists(path))
        {
            return Task.FromResult<Stream?>(null); // a folder of other keys, not a file
        }

        try
        {
            // FileShare.Delete: a put may rename a new version over the file while it is being read.
            return Task.FromResult<Stream?>(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, BufferSize, useAsync: true));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromResult<Stream?>(null);
        }
    }

    public Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default) => Task.FromResult(File.Exists(PathOf(key)));

    public Task<IReadOnlyList<ArtifactInfo>> ListAsync(string prefix, CancellationToken cancellationToken = default)
    {
        var normalized = ArtifactKey.NormalizePrefix(prefix);
        var found = new List<ArtifactInfo>();
        var folder = normalized.Length == 0 ? RootFolder : PathOf(normalized[..^1]);
        if (Directory.Exists(folder))
        {
            Collect(new DirectoryInfo(folder), normalized, found, cancellationToken);
        }

        found.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        return Task.FromResult<IReadOnlyList<ArtifactInfo>>(found);
    }

    public Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        var path = PathOf(key);
        if (!File.Exists(path))
        {
            return Task.FromResult(false);
        }

        File.Delete(path);
        PruneEmptyFolders(Path.GetDirectoryName(path)!);
        return Task.FromResult(true);
    }

    public async Task<int> DeletePrefixAsync(string prefix, CancellationToken cancellationToken = default)
    {
        var normalized = ArtifactKey.NormalizePrefix(prefix);
        if (normalized.Length == 0)
        {
            throw new ArgumentException("refusing to delete every artifact: give a non-empty prefix", nameof(prefix));
        }

        var folder = PathOf(normalized[..^1]);
        var count = (await ListAsync(normalized, cancellationToken).ConfigureAwait(false)).Count;
        if (Directory.Exists(folder))
        {
            // Directory.Delete removes symbolic links without following them.
            Directory.Delete(folder, recursive: true);
            PruneEmptyFolders(Path.GetDirectoryName(folder)!);
        }

        return count;
    }

    private string PathOf(string key)
    {
        ArtifactKey.Validate(key);
        if (key == Staging || key.StartsWith(Staging + "/", StringComparison.Ordinal))
        {
            throw new ArgumentException($"invalid artifact key '{key}': '{Staging}' is reserved by the file store", nameof(key));
        }

        var full = Path.GetFullPath(Path.Combine(RootFolder, key.Replace('/', Path.DirectorySeparatorChar)));
        if (!full.StartsWith(_rootWithSeparator, StringComparison.Ordinal))
        {
            throw new ArgumentException($"artifact key '{key}' resolves to '{full}', outside the store's folder '{RootFolder}'", nameof(key));
        }

        RefuseLinks(key, full);
        return full;
    }

    private void RefuseLinks(string key, string full)
    {
        var current = RootFolder;
        foreach (var segment in full[_rootWithSeparator.Length..].Split(Path.DirectorySeparatorChar))
        {
            current = Path.Combine(current, segment);
            var entry = new FileInfo(current);
            if (entry.LinkTarget is { } target)
            {
                throw new IOException($"artifact key '{key}' passes through the symbolic link '{current}' (to '{target}'); the store never follows links");
            }

            if (!entry.Exists && !Directory.Exists(current))
            {
                return;
            }
        }
    }

    private long OtherTrialBytes(string key)
    {
        var trial = ArtifactKeys.TrialOf(key);
        if (trial is null)
        {
            return 0;
        }

        var folder = PathOf(trial[..^1]);
        var found = new List<ArtifactInfo>();
        if (Directory.Exists(folder))
        {
            Collect(new DirectoryInfo(folder), trial, found, CancellationToken.None);
        }

        return found.Where(f => f.Key != key).Sum(f => f.Size);
    }

    private void Collect(DirectoryInfo folder, string prefix, List<ArtifactInfo> found, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        foreach (var entry in folder.EnumerateFileSystemInfos())
        {
            if (entry.LinkTarget is not null || (prefix.Length == 0 && entry.Name == Staging))
            {
                continue;
            }

            if (entry is DirectoryInfo child)
            {
                Collect(child, prefix + child.Name + "/", found, cancellationToken);
            }
            else if (entry is FileInfo file)
            {
                found.Add(new ArtifactInfo(prefix + file.Name, file.Length));
            }
        }
    }

    private void PruneEmptyFolders(string folder)
    {
        while (folder.StartsWith(_rootWithSeparator, StringComparison.Ordinal) && Directory.Exists(folder) && !Directory.EnumerateFileSystemEntries(folder).Any())
        {
            try
            {
                Directory.Delete(folder);
            }
            catch (IOException)
            {
                return; // a concurrent put just created something in it
            }

            folder = Path.GetDirectoryName(folder)!;
        }
    }
}
