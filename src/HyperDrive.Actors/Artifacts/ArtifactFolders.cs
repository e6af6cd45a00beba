using System.IO.Compression;

namespace HyperDrive.Actors.Artifacts;

/// <summary>
/// Moves folders between a node's disk and an <see cref="IArtifactStore"/>: a trial's outputs and checkpoints as one
/// key per file, the sweep's code as one zip. Symbolic links are skipped when uploading (never followed, so nothing
/// outside the folder leaves the machine) and refused when downloading (nothing is written through one). A download
/// never writes outside its folder, whatever the keys or zip entries say, and writes each file under a temporary
/// name first, so a file that fails its checksum never appears.
/// </summary>
public static class ArtifactFolders
{
    /// <summary>Folders a code snapshot leaves out by default (as <c>CodeSnapshot</c> does).</summary>
    public static IReadOnlyList<string> DefaultCodeExclusions { get; } = [".git", ".hyperdrive"];

    private const UnixFileMode Executable = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    /// <summary>Stores every file under <paramref name="localFolder"/> as <c>{keyPrefix}{relative path}</c>.</summary>
    /// <param name="exclusions">
    /// Files or folders to leave out. An entry without <c>/</c> matches that name at any depth (<c>.git</c>,
    /// <c>__pycache__</c>); an entry with <c>/</c> matches that path relative to the folder (<c>data/raw</c>).
    /// </param>
    /// <returns>The stored keys and sizes, in ordinal order.</returns>
    public static async Task<IReadOnlyList<ArtifactInfo>> UploadFolderAsync(
        IArtifactStore store, string localFolder, string keyPrefix, IEnumerable<string>? exclusions = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var prefix = ArtifactKey.NormalizePrefix(keyPrefix);
        var uploaded = new List<ArtifactInfo>();
        foreach (var (relative, file) in FilesOf(localFolder, exclusions))
        {
            var key = prefix + relative;
            ArtifactKey.Validate(key);
            await using var content = new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 81920, useAsync: true);
            uploaded.Add(await store.PutAsync(key, content, cancellationToken).ConfigureAwait(false));
        }

        return uploaded;
    }

    /// <summary>Writes every key under <paramref name="keyPrefix"/> to <paramref name="localFolder"/>, replacing files of the same name.</summary>
    /// <returns>The keys written, in ordinal order.</returns>
    /// <exception cref="IOException">A key would land outside the folder or pass through a symbolic link; nothing of it is written.</exception>
    public static async Task<IReadOnlyList<ArtifactInfo>> DownloadFolderAsync(
        IArtifactStore store, string keyPrefix, string localFolder, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var prefix = ArtifactKey.NormalizePrefix(keyPrefix);
        var root = FullFolder(localFolder);
        var entries = await store.ListAsync(prefix, cancellationToken).ConfigureAwait(false);
        // Every target is checked before the first file is written.
        var targets = entries.Select(e => (Entry: e, Path: e.Key.StartsWith(prefix, StringComparison.Ordinal)
            ? Target(root, e.Key[prefix.Length..], e.Key)
            : throw new IOException($"refusing '{e.Key}': the store listed it under '{prefix}'"))).ToList();
        foreach (var (entry, path) in targets)
        {
            var content = await store.OpenReadAsync(entry.Key, cancellationToken).ConfigureAwait(false);
            if (content is null)
            {
                continue; // deleted since it was listed
            }

            await using (content.ConfigureAwait(false))
            {
                await WriteFileAsync(root, path, entry.Key, content, cancellationToken).ConfigureAwait(false);
            }
        }

        return targets.Select(t => t.Entry).ToList();
    }

    /// <summary>
    /// Stores <paramref name="localFolder"/> as one zip under <paramref name="key"/> (a code snapshot: one key, one
    /// transfer). Entries are in ordinal order and keep the unix permission bits, so scripts stay executable.
    /// </summary>
    /// <param name="exclusions">As for <see cref="UploadFolderAsync"/>; <see cref="DefaultCodeExclusions"/> when null.</param>
    public static async Task<ArtifactInfo> UploadArchiveAsync(
        IArtifactStore store, string localFolder, string key, IEnumerable<string>? exclusions = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArtifactKey.Validate(key);
        var temporary = Path.Combine(Path.GetTempPath(), "hyperdrive-archive-" + Guid.NewGuid().ToString("N") + ".zip");
        await using var zipFile = new FileStream(temporary, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        await WriteArchiveAsync(localFolder, "", zipFile, exclusions, cancellationToken).ConfigureAwait(false);
        zipFile.Position = 0;
        return await store.PutAsync(key, zipFile, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes <paramref name="localPath"/> (a folder, or one file) as a zip to <paramref name="destination"/>, each entry
    /// under <paramref name="entryPrefix"/> (empty, or a relative folder ending in <c>/</c>). Entries are in ordinal
    /// order and keep the unix permission bits, so scripts stay executable.
    /// </summary>
    public static async Task WriteArchiveAsync(
        string localPath, string entryPrefix, Stream destination, IEnumerable<string>? exclusions = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var files = File.Exists(localPath)
            ? [(Path.GetFileName(localPath), new FileInfo(localPath))]
            : FilesOf(localPath, exclusions ?? DefaultCodeExclusions).ToList();
        using var archive = new ZipArchive(destination, ZipArchiveMode.Create, leaveOpen: true);
        foreach (var (relative, file) in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var entry = archive.CreateEntry(entryPrefix + relative, CompressionLevel.Optimal);
            entry.LastWriteTime = file.LastWriteTime;
            if (!OperatingSystem.IsWindows())
            {
                // The high 16 bits of the external attributes hold st_mode for zips "made by" unix; .NET sets that host.
                entry.ExternalAttributes = (int)(((uint)file.UnixFileMode | 0x8000u) << 16);
            }

            await using var target = await entry.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var source = new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 81920, useAsync: true);
            await source.CopyToAsync(target, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Extracts the zip stored under <paramref name="key"/> into <paramref name="localFolder"/>. Every entry is checked
    /// before anything is written: an entry that would land outside the folder (zip slip: <c>../x</c>, <c>/etc/x</c>,
    /// <c>..\x</c>) fails the whole extraction.
    /// </summary>
    /// <returns>The number of files written.</returns>
    /// <exception cref="FileNotFoundException">No artifact under <paramref name="key"/>.</exception>
    /// <exception cref="IOException">An entry escapes the folder or passes through a symbolic link.</exception>
    public static async Task<int> ExtractArchiveAsync(IArtifactStore store, string key, string localFolder, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArtifactKey.Validate(key);
        var root = FullFolder(localFolder);
        var temporary = Path.Combine(Path.GetTempPath(), "hyperdrive-archive-" + Guid.NewGuid().ToString("N") + ".zip");
        await using var zipFile = new FileStream(temporary, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        // The whole archive is fetched (and its checksum verified) before it is opened: a zip needs to seek.
        var content = await store.OpenReadAsync(key, cancellationToken).ConfigureAwait(false)
            ?? throw new FileNotFoundException($"no artifact '{key}' to extract", key);
        await using (content.ConfigureAwait(false))
        {
            await content.CopyToAsync(zipFile, cancellationToken).ConfigureAwait(false);
        }

        zipFile.Position = 0;
        using var archive = new ZipArchive(zipFile, ZipArchiveMode.Read, leaveOpen: true);
        var entries = archive.Entries
            .Select(e => (Entry: e, Name: e.FullName.Replace('\\', '/')))
            .Where(e => !e.Name.EndsWith('/'))
            .Select(e => (e.Entry, Path: Target(root, e.Name, $"{key}!{e.Entry.FullName}")))
            .ToList();
        foreach (var (entry, path) in entries)
        {
            await using (var source = await entry.OpenAsync(cancellationToken).ConfigureAwait(false))
            {
                await WriteFileAsync(root, path, $"{key}!{entry.FullName}", source, cancellationToken).ConfigureAwait(false);
            }

            var mode = (UnixFileMode)((entry.ExternalAttributes >> 16) & 0x1FF);
            if (!OperatingSystem.IsWindows() && (mode & Executable) != 0)
            {
                File.SetUnixFileMode(path, File.GetUnixFileMode(path) | (mode & Executable));
            }
        }

        return entries.Count;
    }

    private static IEnumerable<(string Relative, FileInfo File)> FilesOf(string localFolder, IEnumerable<string>? exclusions)
    {
        var root = new DirectoryInfo(FullFolder(localFolder));
        if (!root.Exists)
        {
            throw new DirectoryNotFoundException($"folder '{localFolder}' not found");
        }

        var excluded = (exclusions ?? []).Select(e => e.Trim('/')).Where(e => e.Length > 0).ToList();
        var names = excluded.Where(e => !e.Contains('/', StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal);
        var paths = excluded.Where(e => e.Contains('/', StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal);
        var found = new List<(string, FileInfo)>();
        Walk(root, "", names, paths, found);
        found.Sort((a, b) => string.CompareOrdinal(a.Item1, b.Item1));
        return found;
    }

    private static void Walk(DirectoryInfo folder, string relative, HashSet<string> names, HashSet<string> paths, List<(string, FileInfo)> found)
    {
        foreach (var entry in folder.EnumerateFileSystemInfos())
        {
            var path = relative + entry.Name;
            if (entry.LinkTarget is not null || names.Contains(entry.Name) || paths.Contains(path))
            {
                continue;
            }

            if (entry is DirectoryInfo child)
            {
                Walk(child, path + "/", names, paths, found);
            }
            else if (entry is FileInfo file)
            {
                found.Add((path, file));
            }
        }
    }

    private static string FullFolder(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        return Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
    }

    /// <summary>The full path of <paramref name="relative"/> under <paramref name="root"/>, refused when it would leave it.</summary>
    private static string Target(string root, string relative, string source)
    {
        var segments = relative.Split('/');
        if (relative.Length == 0 || Path.IsPathRooted(relative) || segments.Any(s => s is "" or "." or ".."))
        {
            throw new IOException($"refusing '{source}': '{relative}' would not land inside '{root}'");
        }

        var full = Path.GetFullPath(Path.Combine(root, Path.Combine(segments)));
        if (!full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new IOException($"refusing '{source}': '{relative}' resolves to '{full}', outside '{root}'");
        }

        return full;
    }

    private static async Task WriteFileAsync(string root, string path, string source, Stream content, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(root);
        var current = root;
        foreach (var segment in path[(root.Length + 1)..].Split(Path.DirectorySeparatorChar))
        {
            current = Path.Combine(current, segment);
            if (new FileInfo(current).LinkTarget is { } link)
            {
                throw new IOException($"refusing '{source}': '{current}' is a symbolic link (to '{link}'), never written through");
            }
        }

        var folder = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(folder);
        var temporary = Path.Combine(folder, "." + Path.GetFileName(path) + "." + Guid.NewGuid().ToString("N")[..8] + ".partial");
        try
        {
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                await content.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }
}
