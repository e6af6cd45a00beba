using System.IO.Compression;
using HyperDrive.Actors.Artifacts;
using HyperDrive.Actors.Sweeps;
using HyperDrive.Actors.Trials;

namespace HyperDrive.Cli.Engine;

/// <summary>
/// A trial's outputs (what it saved under <c>outputs/</c> or <c>HYPERDRIVE_OUTPUT_DIR</c>) wherever they are: in the
/// trial's folder when it ran on this node, else in the artifact store its worker uploaded them to.
/// </summary>
internal static class TrialOutputs
{
    /// <summary>Copies the outputs of <paramref name="trial"/> into <paramref name="destination"/>; the number of files, 0 when it saved none.</summary>
    public static async Task<int> CopyAsync(IArtifactStore store, string dataDirectory, string sweepId, TrialView trial, string destination, CancellationToken cancellationToken)
    {
        var local = LocalFolder(dataDirectory, sweepId, trial);
        if (HasFiles(local))
        {
            var count = 0;
            foreach (var file in Directory.EnumerateFiles(local, "*", SearchOption.AllDirectories))
            {
                var target = Path.Combine(destination, Path.GetRelativePath(local, file));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target, overwrite: true);
                count++;
            }

            return count;
        }

        return (await ArtifactFolders.DownloadFolderAsync(store, ArtifactKeys.Outputs(sweepId, trial.Number, trial.Attempt), destination, cancellationToken)).Count;
    }

    /// <summary>The outputs as one zip (for the API), written straight from the trial's folder or the store.</summary>
    public static async Task<int> WriteZipAsync(IArtifactStore store, string dataDirectory, string sweepId, TrialView trial, Stream zip, CancellationToken cancellationToken)
    {
        using var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true);
        var local = LocalFolder(dataDirectory, sweepId, trial);
        if (HasFiles(local))
        {
            var files = Directory.EnumerateFiles(local, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
            foreach (var file in files)
            {
                archive.CreateEntryFromFile(file, Path.GetRelativePath(local, file).Replace(Path.DirectorySeparatorChar, '/'));
            }

            return files.Count;
        }

        var prefix = ArtifactKeys.Outputs(sweepId, trial.Number, trial.Attempt);
        var count = 0;
        foreach (var item in await store.ListAsync(prefix, cancellationToken))
        {
            await using var content = await store.OpenReadAsync(item.Key, cancellationToken);
            if (content is null)
            {
                continue;
            }

            await using var entry = await archive.CreateEntry(item.Key[prefix.Length..]).OpenAsync(cancellationToken);
            await content.CopyToAsync(entry, cancellationToken);
            count++;
        }

        return count;
    }

    private static bool HasFiles(string folder) => Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any();

    private static string LocalFolder(string dataDirectory, string sweepId, TrialView trial) =>
        Path.Combine(TrialFolders.Attempt(dataDirectory, sweepId, trial.Number, trial.Attempt), "work", "outputs");
}
