using HyperDrive.Core.History;

namespace HyperDrive.Core.Policies;

/// <summary>
/// The views of a trial's primary-metric series that the policies compare. A NaN report carries no value and is
/// skipped (it would make every comparison false); infinities are kept, they order correctly.
/// </summary>
internal static class PolicySeries
{
    public static TrialRecord Trial(SweepHistory history, int trialNumber)
    {
        if (trialNumber < 1 || trialNumber > history.Count)
        {
            throw new ArgumentOutOfRangeException(
                nameof(trialNumber), trialNumber, $"trial {trialNumber} is not in the history (1..{history.Count})");
        }

        return history.Trial(trialNumber);
    }

    /// <summary>
    /// The evaluated trial when the policy applies at <paramref name="interval"/>, else null. An unknown trial number
    /// is a caller bug and throws even when the interval is not due.
    /// </summary>
    public static TrialRecord? DueTrial(SweepHistory history, int trialNumber, int interval, EvaluationSchedule schedule)
    {
        var trial = Trial(history, trialNumber);
        return schedule.IsDue(interval) ? trial : null;
    }

    /// <summary>True when the trial reported a value at <paramref name="interval"/> or later.</summary>
    public static bool Reached(TrialRecord trial, int interval) => trial.Primary.Reached(interval);

    /// <summary>The other trials that reached <paramref name="interval"/>, whatever their status.</summary>
    public static IEnumerable<TrialRecord> OthersThatReached(SweepHistory history, int trialNumber, int interval) =>
        history.Trials.Where(t => t.Number != trialNumber && Reached(t, interval));

    public static double? BestUpTo(TrialRecord trial, int interval, Objective objective) => trial.Primary.BestUpTo(interval, objective.Goal);

    /// <summary>The value at <paramref name="interval"/>, or the latest before it when that interval was skipped.</summary>
    public static double? ValueAt(TrialRecord trial, int interval) => trial.Primary.ValueAt(interval);

    public static double? RunningAverage(TrialRecord trial, int interval) => trial.Primary.AverageUpTo(interval);
}
