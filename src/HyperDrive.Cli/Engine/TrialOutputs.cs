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
        if (Directory.Exists(local) && Directory.EnumerateFileSystemEntries(local).Any())
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

    /// <summary>The outputs as one zip (for the API).</summary>
    public static async Task<int> WriteZipAsync(IArtifactStore store, string dataDirectory, string sweepId, TrialView trial, Stream zip, CancellationToken cancellationToken)
    {
        var staging = Path.Combine(Path.GetTempPath(), "hyperdrive-outputs-" + Guid.NewGuid().ToString("N"));
        try
        {
            var count = await CopyAsync(store, dataDirectory, sweepId, trial, staging, cancellationToken);
            using var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true);
            if (Directory.Exists(staging))
            {
                foreach (var file in Directory.EnumerateFiles(staging, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                {
                    archive.CreateEntryFromFile(file, Path.GetRelativePath(staging, file).Replace(Path.DirectorySeparatorChar, '/'));
                }
            }

            return count;
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }

    private static string LocalFolder(string dataDirectory, string sweepId, TrialView trial) =>
        Path.Combine(TrialFolders.Attempt(dataDirectory, sweepId, trial.Number, trial.Attempt), "work", "outputs");
}
