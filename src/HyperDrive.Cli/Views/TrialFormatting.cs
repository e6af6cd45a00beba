using System.Globalization;
using HyperDrive.Actors.Sweeps;
using HyperDrive.Core.History;
using HyperDrive.Core.Parameters;

namespace HyperDrive.Cli.Views;

/// <summary>Short, invariant-culture text for trials in tables and progress lines.</summary>
internal static class TrialFormatting
{
    public static string Number(double value) => value.ToString("G5", CultureInfo.InvariantCulture);

    public static string Parameters(ParameterSet parameters) =>
        string.Join(" ", parameters.Flatten().Select(p => p.Key + "=" + (p.Value is RealValue r ? Number(r.Value) : p.Value.ToInvariantString())));

    /// <summary>The latest metrics, the primary one first.</summary>
    public static string Metrics(SweepState state, TrialView trial)
    {
        var primary = state.History.Objective.PrimaryMetric;
        var metrics = trial.FinalMetrics;
        var ordered = metrics.Where(m => m.Key == primary).Concat(metrics.Where(m => m.Key != primary && m.Key is not ("epoch" or "step")));
        var text = string.Join(" ", ordered.Select(m => m.Key + "=" + Number(m.Value)));
        return trial.History.Count > 0 ? $"@{trial.History[^1].Interval} {text}" : text;
    }

    public static string Counts(SweepState state)
    {
        int Count(TrialStatus status) => state.Trials.Count(t => t.Status == status);
        return $"{Count(TrialStatus.Completed)} completed, {Count(TrialStatus.Failed)} failed, {Count(TrialStatus.Canceled)} canceled, {Count(TrialStatus.Running) + Count(TrialStatus.Queued)} running";
    }

    public static string Best(SweepState state)
    {
        var best = SweepQueries.Best(state);
        return best is null
            ? $"no trial has reported {state.History.Objective.PrimaryMetric} yet"
            : $"best {state.History.Objective.PrimaryMetric} {Number(SweepQueries.Primary(state, best)!.Value)} (trial {best.Number})";
    }

    public static string Clip(string text, int width) =>
        width <= 1 || text.Length <= width ? text : text[..(width - 1)] + "…";
}
