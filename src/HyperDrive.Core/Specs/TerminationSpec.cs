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

    /// <summary>Options of the asha/hyperband policies and any others, as written.</summary>
    public MapValue Options { get; init; } = new([]);
}
