namespace HyperDrive.Core.Specs;

/// <summary><c>limits</c>. Azure's caps (1000 trials, 100 concurrent) are not copied: absent means no limit.</summary>
public sealed record LimitsSpec
{
    public int? MaxTotalTrials { get; init; }

    /// <summary>Trials running at once; defaults to max_total_trials as in Azure.</summary>
    public int? MaxConcurrentTrials { get; init; }

    /// <summary>Seconds for the whole sweep.</summary>
    public double? TimeoutSeconds { get; init; }

    /// <summary>Seconds per trial.</summary>
    public double? TrialTimeoutSeconds { get; init; }

    /// <summary>Stop a sweep after this many failed trials (our extension).</summary>
    public int? MaxFailedTrials { get; init; }
}
