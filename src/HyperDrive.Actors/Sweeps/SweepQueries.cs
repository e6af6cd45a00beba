using HyperDrive.Core.History;

namespace HyperDrive.Actors.Sweeps;

/// <summary>Questions users ask of a sweep: its trials by the primary metric, and the best one.</summary>
public static class SweepQueries
{
    /// <summary>
    /// The trial's final (last reported) value of the primary metric, or null. Read from the primary series, which
    /// keeps it (O(1)): the API's summary asks this of every trial on every poll, while the trials report.
    /// </summary>
    public static double? Primary(SweepState state, TrialView trial) =>
        state.History.HasTrial(trial.Number) ? state.History.Trial(trial.Number).FinalValue : null;

    /// <summary>
    /// Trials that reported the primary metric, best first (ties by number); then the others in number order,
    /// as Azure's <c>get_children_sorted_by_primary_metric</c> does.
    /// </summary>
    public static IReadOnlyList<TrialView> SortedByPrimary(SweepState state)
    {
        var valued = state.Trials.Select(t => (Trial: t, Value: Primary(state, t))).ToList();
        var withMetric = valued.Where(v => v.Value is not null);
        var ordered = state.History.Objective.Goal == Goal.Maximize
            ? withMetric.OrderByDescending(v => v.Value).ThenBy(v => v.Trial.Number)
            : withMetric.OrderBy(v => v.Value).ThenBy(v => v.Trial.Number);
        return [.. ordered.Select(v => v.Trial), .. valued.Where(v => v.Value is null).Select(v => v.Trial)];
    }

    /// <summary>
    /// The best trial: the best final primary metric among completed trials; when no completed trial reported
    /// it, among all trials that did (a canceled one included). Null when no trial reported the primary metric.
    /// </summary>
    public static TrialView? Best(SweepState state)
    {
        var sorted = SortedByPrimary(state).Where(t => Primary(state, t) is not null).ToList();
        return sorted.FirstOrDefault(t => t.Status == TrialStatus.Completed) ?? sorted.FirstOrDefault();
    }
}
