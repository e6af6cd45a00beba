using System.Collections.Concurrent;
using HyperDrive.Training.Runners;

namespace HyperDrive.Actors.Artifacts;

/// <summary>
/// Moves one attempt's files through the artifact store, so nothing needs a shared file system (DESIGN §6): before
/// the attempt, the sweep's submitted code is unpacked on this node (once) and the trial's last checkpoint is
/// fetched when this node has none (the trial restarted here after its node was lost); while it runs, changed
/// checkpoint files and the log are uploaded every <see cref="SyncInterval"/>; at the end, its outputs and log.
/// </summary>
public sealed class TrialFiles(IArtifactStore store)
{
    /// <summary>The spec folder of a sweep submitted with its code: the code lives in the store (<see cref="ArtifactKeys.CodeArchive"/>).</summary>
    public const string SubmittedSpecDirectory = "@artifacts";

    private static readonly ConcurrentDictionary<string, Lazy<Task>> Unpacked = new(StringComparer.Ordinal);

    public IArtifactStore Store { get; } = store;

    public TimeSpan SyncInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Where a submitted sweep's code is unpacked on this node.</summary>
    public static string SubmittedCodeFolder(string dataDirectory, string sweepId) => Path.Combine(dataDirectory, "sweeps", sweepId, "submitted");

    /// <summary>Unpacks submitted code (once per node and sweep) and restores the trial's checkpoints when this node has none.</summary>
    public async Task PrepareAsync(TrialRunRequest request, string? submittedCodeFolder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (submittedCodeFolder is not null)
        {
            var unpack = Unpacked.GetOrAdd(submittedCodeFolder, folder => new Lazy<Task>(() => UnpackAsync(request.SweepId, folder)));
            try
            {
                await unpack.Value.WaitAsync(cancellationToken);
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                Unpacked.TryRemove(submittedCodeFolder, out _);
                throw;
            }
        }

        // A first attempt has no checkpoint anywhere: no round trip to the store before it starts.
        var checkpoints = request.CheckpointDirectory;
        if (request.Attempt > 1 && (!Directory.Exists(checkpoints) || !Directory.EnumerateFileSystemEntries(checkpoints).Any()))
        {
            await ArtifactFolders.DownloadFolderAsync(Store, ArtifactKeys.Checkpoints(request.SweepId, request.TrialNumber), checkpoints, cancellationToken);
        }
    }

    /// <summary>Uploads changed checkpoint files and the log until disposed; disposing uploads the last changes and the outputs.</summary>
    public Sync StartSync(TrialRunRequest request) => new(this, request);

    private async Task UnpackAsync(string sweepId, string folder)
    {
        var marker = Path.Combine(folder, ".unpacked");
        if (File.Exists(marker))
        {
            return;
        }

        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        Directory.CreateDirectory(folder);
        await ArtifactFolders.ExtractArchiveAsync(Store, ArtifactKeys.CodeArchive(sweepId), folder);
        await File.WriteAllTextAsync(marker, DateTimeOffset.UtcNow.ToString("O"));
    }

    /// <summary>The running upload of one attempt's changed files.</summary>
    public sealed class Sync : IAsyncDisposable
    {
        private readonly TrialFiles _files;
        private readonly TrialRunRequest _request;
        private readonly Dictionary<string, (long Length, DateTime Written)> _uploaded = new(StringComparer.Ordinal);
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;

        internal Sync(TrialFiles files, TrialRunRequest request)
        {
            _files = files;
            _request = request;
            _loop = Task.Run(LoopAsync);
        }

        /// <summary>The last failure to upload (the attempt goes on; the final upload tries again).</summary>
        public Exception? LastError { get; private set; }

        /// <summary>Stops the periodic upload and uploads what changed since, then the attempt's outputs.</summary>
        public async Task FinishAsync(CancellationToken cancellationToken)
        {
            await _stop.CancelAsync();
            await _loop;
            await UploadChangedAsync(cancellationToken);
            var outputs = _request.OutputDirectory;
            if (Directory.Exists(outputs))
            {
                await ArtifactFolders.UploadFolderAsync(_files.Store, outputs,
                    ArtifactKeys.Outputs(_request.SweepId, _request.TrialNumber, _request.Attempt), cancellationToken: cancellationToken);
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _loop;
            _stop.Dispose();
        }

        private async Task LoopAsync()
        {
            using var timer = new PeriodicTimer(_files.SyncInterval);
            try
            {
                while (await timer.WaitForNextTickAsync(_stop.Token))
                {
                    try
                    {
                        await UploadChangedAsync(_stop.Token);
                        LastError = null;
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or System.Data.Common.DbException)
                    {
                        LastError = e;
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // Finished.
            }
        }

        private async Task UploadChangedAsync(CancellationToken cancellationToken)
        {
            var checkpoints = _request.CheckpointDirectory;
            if (Directory.Exists(checkpoints))
            {
                foreach (var file in new DirectoryInfo(checkpoints).EnumerateFiles("*", SearchOption.AllDirectories))
                {
                    if (file.LinkTarget is not null)
                    {
                        continue;
                    }

                    var relative = Path.GetRelativePath(checkpoints, file.FullName).Replace(Path.DirectorySeparatorChar, '/');
                    await UploadIfChangedAsync(file, ArtifactKeys.Checkpoints(_request.SweepId, _request.TrialNumber) + relative, cancellationToken);
                }
            }

            if (File.Exists(_request.LogFile))
            {
                await UploadIfChangedAsync(new FileInfo(_request.LogFile), ArtifactKeys.TrialLog(_request.SweepId, _request.TrialNumber, _request.Attempt), cancellationToken);
            }
        }

        private async Task UploadIfChangedAsync(FileInfo file, string key, CancellationToken cancellationToken)
        {
            file.Refresh();
            var seen = (file.Length, file.LastWriteTimeUtc);
            if (_uploaded.TryGetValue(file.FullName, out var before) && before == seen)
            {
                return;
            }

            await using (var content = new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
            {
                await _files.Store.PutAsync(key, content, cancellationToken);
            }

            _uploaded[file.FullName] = seen;
        }
    }
}
