using System.Collections.Immutable;
using HyperDrive.Core.Parameters;

namespace HyperDrive.Core.History;

/// <summary>
/// What samplers and policies know of one trial: its number (1-based, in proposal order), its parameters,
/// its status and its primary-metric series. Immutable; <see cref="SweepHistory"/> replaces it on change.
/// </summary>
public sealed record TrialRecord(int Number, ParameterSet Parameters, TrialStatus Status, ImmutableArray<MetricPoint> Primary)
{
    public static TrialRecord Proposed(int number, ParameterSet parameters) =>
        new(number, parameters, TrialStatus.Queued, []);

    public bool IsFinished => Status is TrialStatus.Completed or TrialStatus.Failed or TrialStatus.Canceled;

    /// <summary>The last reported value of the primary metric (the trial's final metric), or null.</summary>
    public double? Final => Primary.IsEmpty ? null : Primary[^1].Value;

    /// <summary>The best value reported at intervals 1..<paramref name="interval"/>, or null when none.</summary>
    public double? BestUpTo(int interval, Objective objective)
    {
        double? best = null;
        foreach (var point in Primary)
        {
            if (point.Interval <= interval && (best is null || objective.IsBetter(point.Value, best.Value)))
            {
                best = point.Value;
            }
        }

        return best;
    }

    /// <summary>The value reported at exactly <paramref name="interval"/>, or the latest one before it; null when none.</summary>
    public double? ValueAt(int interval)
    {
        double? value = null;
        foreach (var point in Primary)
        {
            if (point.Interval <= interval)
            {
                value = point.Value;
            }
        }

        return value;
    }

    /// <summary>The mean of the values reported at intervals 1..<paramref name="interval"/>, or null when none.</summary>
    public double? RunningAverage(int interval)
    {
        var values = Primary.Where(p => p.Interval <= interval).Select(p => p.Value).ToList();
        return values.Count == 0 ? null : values.Average();
    }

    public int LastInterval => Primary.IsEmpty ? 0 : Primary[^1].Interval;

    public TrialRecord WithPoint(MetricPoint point) => this with { Primary = Primary.Add(point) };

    public TrialRecord WithStatus(TrialStatus status) => this with { Status = status };
}
