using HyperDrive.Core.History;

namespace HyperDrive.Core.Policies;

/// <summary>
/// Azure's TruncationSelection policy (REFERENCE §3.4). At an evaluation interval N the trials that reached N are
/// ranked by their value at interval N (a trial that went further is truncated to N; one that skipped N counts
/// with its latest value before N); trials that have not reached N take no part. With
/// <c>exclude_finished_jobs</c>, completed, failed and canceled trials are left out of the ranking. The evaluated
/// trial is cancelled iff it lies in the lowest p%: its position from the bottom <c>k</c> (ties share the better
/// rank) satisfies <c>k ≤ p% × count</c>, so <c>floor(p% × count)</c> trials are cut and with one trial none is.
/// </summary>
public sealed class TruncationSelectionPolicy : IEarlyTerminationPolicy
{
    public TruncationSelectionPolicy(int truncationPercentage, bool excludeFinishedJobs = false, EvaluationSchedule? schedule = null)
    {
        if (truncationPercentage is < 1 or > 99)
        {
            throw new ArgumentOutOfRangeException(
                nameof(truncationPercentage), truncationPercentage, "truncation_percentage expects value to be between 1 and 99.");
        }

        TruncationPercentage = truncationPercentage;
        ExcludeFinishedJobs = excludeFinishedJobs;
        Schedule = schedule ?? EvaluationSchedule.EveryInterval;
    }

    public string Name => "truncation_selection";

    public int TruncationPercentage { get; }

    public bool ExcludeFinishedJobs { get; }

    public EvaluationSchedule Schedule { get; }

    public TerminationDecision Evaluate(SweepHistory history, int trialNumber, int interval)
    {
        if (PolicySeries.DueTrial(history, trialNumber, interval, Schedule) is not { } trial)
        {
            return TerminationDecision.Continue;
        }

        var objective = history.Objective;
        if (PolicySeries.ValueAt(trial, interval) is not { } y)
        {
            return TerminationDecision.Continue;
        }

        var others = PolicySeries.OthersThatReached(history, trialNumber, interval)
            .Where(t => !(ExcludeFinishedJobs && t.IsFinished))
            .Select(t => PolicySeries.ValueAt(t, interval))
            .OfType<double>()
            .ToList();
        var count = others.Count + 1;
        var rank = 1 + others.Count(v => objective.IsBetter(v, y));
        var fromBottom = count - rank + 1;
        if (others.Count == 0 || (long)fromBottom * 100 > (long)TruncationPercentage * count)
        {
            return TerminationDecision.Continue;
        }

        return TerminationDecision.StopBecause(
            $"{objective.PrimaryMetric} {PolicyFormat.Number(y)} at interval {interval} is in the lowest "
            + $"{TruncationPercentage}% (rank {rank} of {count}) (truncation_selection)");
    }
}
