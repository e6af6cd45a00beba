using HyperDrive.Core.Parameters;

namespace HyperDrive.Core.Specs;

/// <summary><c>early_termination</c> (REFERENCE §3). <see cref="EvaluationInterval"/> 0 is read as 1.</summary>
public sealed record TerminationSpec
{
    /// <summary>bandit, median_stopping, truncation_selection, asha, hyperband.</summary>
    public required string Type { get; init; }

    public int EvaluationInterval { get; init; } = 1;

    public int DelayEvaluation { get; init; }

    public double? SlackFactor { get; init; }

    public double? SlackAmount { get; init; }

    public int? TruncationPercentage { get; init; }

    public bool ExcludeFinishedJobs { get; init; }

    /// <summary>asha/hyperband: the grace period, the first rung (aliases grace_period). Null: the policy's default.</summary>
    public double? MinResource { get; init; }

    /// <summary>asha/hyperband: a full trial's intervals (aliases max_t, max_iter, WMLA's ResourceValue); required by hyperband.</summary>
    public double? MaxResource { get; init; }

    /// <summary>asha/hyperband: eta (alias eta). Null: the policy's default.</summary>
    public double? ReductionFactor { get; init; }

    /// <summary>hyperband: how many brackets, the most aggressive first. Null: all, s_max + 1.</summary>
    public int? Brackets { get; init; }

    /// <summary>WMLA's ResourceName: only the interval (epoch) resource is supported.</summary>
    public string? ResourceName { get; init; }

    /// <summary>Options of the asha/hyperband policies and any others, as written (aliases included).</summary>
    public MapValue Options { get; init; } = new([]);
}
