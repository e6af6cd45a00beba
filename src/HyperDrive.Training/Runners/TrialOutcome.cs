using System.Collections.Immutable;

namespace HyperDrive.Training.Runners;

public enum TrialOutcomeKind
{
    /// <summary>Exit code 0 (every step).</summary>
    Completed,

    /// <summary>The trial's own failure: a non-zero exit, a malformed val_dict_list.json, a failing step.</summary>
    Failed,

    /// <summary>Stopped on request (policy, cancel, shutdown) or by its timeout.</summary>
    Canceled,

    /// <summary>Not the trial's fault: the command could not be started, the folder could not be prepared, …</summary>
    InfrastructureFailure,
}

/// <summary>How an attempt ended, with its last reported metrics and, for failures, the tail of its log.</summary>
public sealed record TrialOutcome(
    TrialOutcomeKind Kind,
    ImmutableDictionary<string, double> FinalMetrics,
    string? Error = null,
    int? ExitCode = null,
    string? LogTail = null,
    bool TimedOut = false);
