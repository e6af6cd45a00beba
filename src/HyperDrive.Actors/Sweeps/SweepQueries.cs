using HyperDrive.Core.History;

namespace HyperDrive.Actors.Sweeps;

/// <summary>Questions users ask of a sweep: its trials by the primary metric, and the best one.</summary>
public static class SweepQueries
{
    /// <summary>The trial's final (last reported) value of the primary metric, or null.</summary>
    public static double? Primary(SweepState state, TrialView trial) =>
        trial.FinalMetrics.TryGetValue(state.History.Objective.PrimaryMetric, out var value) ? value : null;

    /// <summary>
    /// Trials that reported the primary metric, best first (ties by number); then the others in number order,
    /// as Azure's <c>get_children_sorted_by_primary_metric</c> does.
    /// </summary>
    public static IReadOnlyList<TrialView> SortedByPrimary(SweepState state)
    {
        // FinalMetrics folds a trial's history: compute each trial's value once, not once per comparison.
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
