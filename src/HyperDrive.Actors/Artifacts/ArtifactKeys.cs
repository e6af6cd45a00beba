using System.Globalization;

namespace HyperDrive.Actors.Artifacts;

/// <summary>
/// The layout of a sweep's artifacts:
/// <code>
/// sweeps/{sweep}/code.zip                                  the code snapshot (one archive)
/// sweeps/{sweep}/trials/{n}/checkpoints/...                kept across attempts of trial n
/// sweeps/{sweep}/trials/{n}/attempt-{k}/outputs/...        what attempt k left under outputs/
/// sweeps/{sweep}/trials/{n}/attempt-{k}/trial.log          its log
/// </code>
/// Folder-valued members end with <c>/</c> and are prefixes for <see cref="IArtifactStore.ListAsync"/> and
/// <see cref="ArtifactFolders"/>.
/// </summary>
public static class ArtifactKeys
{
    private const string Sweeps = "sweeps/";

    public static string Sweep(string sweepId) => Sweeps + Segment(sweepId, nameof(sweepId)) + "/";

    public static string CodeArchive(string sweepId) => Sweep(sweepId) + "code.zip";

    public static string Trial(string sweepId, int trialNumber) =>
        Sweep(sweepId) + "trials/" + Positive(trialNumber, nameof(trialNumber)) + "/";

    public static string Checkpoints(string sweepId, int trialNumber) => Trial(sweepId, trialNumber) + "checkpoints/";

    public static string Attempt(string sweepId, int trialNumber, int attempt) =>
        Trial(sweepId, trialNumber) + "attempt-" + Positive(attempt, nameof(attempt)) + "/";

    public static string Outputs(string sweepId, int trialNumber, int attempt) => Attempt(sweepId, trialNumber, attempt) + "outputs/";

    public static string TrialLog(string sweepId, int trialNumber, int attempt) => Attempt(sweepId, trialNumber, attempt) + "trial.log";

    /// <summary>The trial folder (<c>sweeps/{sweep}/trials/{n}/</c>) a key lies in, or <c>null</c> for keys outside any trial.</summary>
    public static string? TrialOf(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var parts = key.Split('/');
        return parts.Length >= 5 && parts[0] == "sweeps" && parts[2] == "trials" && parts[1].Length > 0 && parts[3].Length > 0
            ? string.Join('/', parts[..4]) + "/"
            : null;
    }

    private static string Segment(string value, string name)
    {
        ArgumentNullException.ThrowIfNull(value, name);
        if (value.Contains('/', StringComparison.Ordinal) || !ArtifactKey.IsValid(value))
        {
            throw new ArgumentException($"'{value}' cannot be one segment of an artifact key", name);
        }

        return value;
    }

    private static string Positive(int value, string name) =>
        value >= 1 ? value.ToString(CultureInfo.InvariantCulture) : throw new ArgumentOutOfRangeException(name, value, "numbers start at 1");
}
