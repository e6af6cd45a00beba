namespace HyperDrive.Training.Runners;

/// <summary>Limits of <see cref="ExternalCommandRunner"/>.</summary>
public sealed record ExternalCommandRunnerOptions
{
    /// <summary>The most one attempt adds to its log file (first half live, last half at the end).</summary>
    public long MaxLogBytes { get; init; } = 10 * 1024 * 1024;

    /// <summary>Longer lines are cut (and, when they are metric lines, reported malformed).</summary>
    public int MaxLineBytes { get; init; } = 64 * 1024;

    /// <summary>After the trial's main process ends, how long its output pipes may stay open before they are abandoned.</summary>
    public TimeSpan OutputDrainTimeout { get; init; } = TimeSpan.FromSeconds(5);
}
