namespace HyperDrive.Actors.Artifacts;

/// <summary>How many bytes one put may write under <see cref="ArtifactLimits"/>; checked as the bytes stream in.</summary>
internal sealed class ArtifactBudget
{
    private readonly string _key;
    private readonly ArtifactLimits _limits;
    private readonly long _otherTrialBytes;
    private readonly bool _inTrial;

    private ArtifactBudget(string key, ArtifactLimits limits, long otherTrialBytes, bool inTrial)
    {
        _key = key;
        _limits = limits;
        _otherTrialBytes = otherTrialBytes;
        _inTrial = inTrial;
    }

    /// <param name="otherTrialBytes">What the key's trial already holds, not counting the key itself (it is replaced).</param>
    public static ArtifactBudget For(string key, ArtifactLimits limits, long otherTrialBytes) =>
        new(key, limits, otherTrialBytes, ArtifactKeys.TrialOf(key) is not null);

    /// <summary>Fails before anything is written when the stream says how long it is.</summary>
    public void CheckKnownLength(Stream content)
    {
        if (content.CanSeek)
        {
            Check(content.Length - content.Position, exact: true);
        }
    }

    /// <exception cref="ArtifactLimitExceededException">More than allowed has been written.</exception>
    public void Check(long written, bool exact = false)
    {
        if (written > _limits.MaxBytesPerFile)
        {
            throw new ArtifactLimitExceededException(_key, written, _limits.MaxBytesPerFile, ArtifactLimits.MaxBytesPerFileSetting, !exact);
        }

        if (_inTrial && written > _limits.MaxBytesPerTrial - _otherTrialBytes)
        {
            throw new ArtifactLimitExceededException(
                _key, _otherTrialBytes + written, _limits.MaxBytesPerTrial, ArtifactLimits.MaxBytesPerTrialSetting, !exact);
        }
    }

    /// <summary>Reads until <paramref name="buffer"/> is full or the stream ends; returns the bytes read.</summary>
    public static async Task<int> FillAsync(Stream content, byte[] buffer, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < buffer.Length)
        {
            var read = await content.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            filled += read;
        }

        return filled;
    }
}
