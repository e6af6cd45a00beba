using HyperDrive.Core.History;

namespace HyperDrive.Core.Policies;

/// <summary>
/// Decides whether a running trial should stop, from the sweep's history alone (no clock, no I/O).
/// Called when trial <c>trialNumber</c> reports its primary metric for <c>interval</c>; the history already
/// contains that report.
/// </summary>
public interface IEarlyTerminationPolicy
{
    /// <summary>The policy's name as written in sweep files (<c>bandit</c>, <c>median_stopping</c>, …).</summary>
    string Name { get; }

    TerminationDecision Evaluate(SweepHistory history, int trialNumber, int interval);
}
