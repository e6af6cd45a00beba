namespace HyperDrive.Actors.Artifacts;

/// <summary>
/// Where a sweep's files live when nodes share no file system (DESIGN §6): the code snapshot, trials' checkpoints,
/// outputs and logs. Keys are slash-separated relative paths (<see cref="ArtifactKey"/>); a prefix names a folder:
/// <c>""</c> is everything, and <c>"a/b"</c> and <c>"a/b/"</c> both mean the keys under <c>a/b/</c>.
/// A put replaces the previous content atomically: a reader sees the old file or the new one, never a mix.
/// </summary>
public interface IArtifactStore
{
    /// <summary>Stores <paramref name="content"/> (read to its end, never whole in memory) under <paramref name="key"/>.</summary>
    /// <exception cref="ArgumentException">The key is not valid (<see cref="ArtifactKey.Validate"/>).</exception>
    /// <exception cref="ArtifactLimitExceededException">The file or its trial would exceed <see cref="ArtifactLimits"/>; nothing is stored.</exception>
    Task<ArtifactInfo> PutAsync(string key, Stream content, CancellationToken cancellationToken = default);

    /// <summary>The content of <paramref name="key"/>, or <c>null</c> when there is none. The caller disposes the stream.</summary>
    Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Whether <paramref name="key"/> holds a file.</summary>
    Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>The keys under <paramref name="prefix"/> with their sizes, in ordinal order of the key.</summary>
    Task<IReadOnlyList<ArtifactInfo>> ListAsync(string prefix, CancellationToken cancellationToken = default);

    /// <summary>Removes <paramref name="key"/>; <c>false</c> when it held nothing.</summary>
    Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Removes every key under <paramref name="prefix"/> (which must not be empty); returns how many.</summary>
    Task<int> DeletePrefixAsync(string prefix, CancellationToken cancellationToken = default);
}
