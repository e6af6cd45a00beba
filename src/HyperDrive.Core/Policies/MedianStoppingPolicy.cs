using HyperDrive.Core.History;

namespace HyperDrive.Core.Policies;

/// <summary>
/// Azure's MedianStopping policy (REFERENCE §3.3, after Google Vizier). At an evaluation interval N the trial is
/// cancelled iff its best value at intervals 1..N is strictly worse than the median of the running averages
/// (mean of the values at intervals 1..N) of the <em>other</em> trials that reached N, whatever their status.
/// Trials that have not reached N take no part; with no other trial at N the trial continues. An even count takes
/// the mean of the two middle averages.
/// </summary>
public sealed class MedianStoppingPolicy : IEarlyTerminationPolicy
{
    public MedianStoppingPolicy(EvaluationSchedule? schedule = null)
    {
        Schedule = schedule ?? EvaluationSchedule.EveryInterval;
    }

    public string Name => "median_stopping";

    public EvaluationSchedule Schedule { get; }

    public TerminationDecision Evaluate(SweepHistory history, int trialNumber, int interval)
    {
        if (PolicySeries.DueTrial(history, trialNumber, interval, Schedule) is not { } trial)
        {
            return TerminationDecision.Continue;
        }

        var objective = history.Objective;
        if (PolicySeries.BestUpTo(trial, interval, objective) is not { } y)
        {
            return TerminationDecision.Continue;
        }

        var averages = PolicySeries.OthersThatReached(history, trialNumber, interval)
            .Select(t => PolicySeries.RunningAverage(t, interval))
            .OfType<double>()
            .Order()
            .ToList();
        if (averages.Count == 0)
        {
            return TerminationDecision.Continue;
        }

        var median = Median(averages);
        if (!objective.IsBetter(median, y))
        {
            return TerminationDecision.Continue;
        }

        var sign = objective.Goal == Goal.Maximize ? "<" : ">";
        var trials = averages.Count == 1 ? "1 trial" : $"{averages.Count} trials";
        return TerminationDecision.StopBecause(
            $"{objective.PrimaryMetric} best {PolicyFormat.Number(y)} at interval {interval} {sign} median of running "
            + $"averages {PolicyFormat.Number(median)} over {trials} (median_stopping)");
    }

    internal static double Median(IReadOnlyList<double> sorted)
    {
        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
