using Akka.Configuration;

namespace HyperDrive.Actors.Artifacts;

/// <summary>
/// Size limits the stores enforce on every put. A trial is everything under <c>sweeps/{sweep}/trials/{n}/</c>
/// (<see cref="ArtifactKeys.TrialOf"/>): checkpoints, and the outputs and logs of all its attempts.
/// </summary>
public sealed record ArtifactLimits(long MaxBytesPerTrial, long MaxBytesPerFile)
{
    public const string MaxBytesPerTrialSetting = "hyperdrive.artifacts.max-bytes-per-trial";
    public const string MaxBytesPerFileSetting = "hyperdrive.artifacts.max-bytes-per-file";
    public const long DefaultMaxBytesPerTrial = 1L << 30;

    /// <summary>1 GiB per trial; a single file may use all of it.</summary>
    public static ArtifactLimits Default { get; } = new(DefaultMaxBytesPerTrial, DefaultMaxBytesPerTrial);

    /// <summary>No limit (tests, tools that copy a store).</summary>
    public static ArtifactLimits None { get; } = new(long.MaxValue, long.MaxValue);

    /// <summary>
    /// Reads <see cref="MaxBytesPerTrialSetting"/> and <see cref="MaxBytesPerFileSetting"/> (HOCON sizes such as
    /// <c>4 GiB</c>); a missing setting keeps its default, and the per-file limit defaults to the per-trial one.
    /// </summary>
    public static ArtifactLimits FromConfig(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var perTrial = config.HasPath(MaxBytesPerTrialSetting) ? Positive(config.GetByteSize(MaxBytesPerTrialSetting), MaxBytesPerTrialSetting) : DefaultMaxBytesPerTrial;
        var perFile = config.HasPath(MaxBytesPerFileSetting) ? Positive(config.GetByteSize(MaxBytesPerFileSetting), MaxBytesPerFileSetting) : perTrial;
        return new ArtifactLimits(perTrial, perFile);
    }

    private static long Positive(long? value, string setting) =>
        value is > 0 ? value.Value : throw new ArgumentException($"{setting} must be a positive size such as '1 GiB', not {value}");
}
