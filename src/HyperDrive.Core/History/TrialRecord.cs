using HyperDrive.Core.Parameters;

namespace HyperDrive.Core.History;

/// <summary>
/// What samplers and policies know of one trial: its number (1-based, in proposal order), its parameters,
/// its status and its primary-metric series. Immutable; <see cref="SweepHistory"/> replaces it on change.
/// The series is a <see cref="MetricSeries"/>: the policies ask about every trial's series at every evaluation, and
/// its running aggregates answer in O(log n) where a scan of an array was O(n), with amortised O(1) appends
/// (an array copied on every point made the coordinator quadratic per trial; see benchmarks/README.md).
/// </summary>
public sealed record TrialRecord(int Number, ParameterSet Parameters, TrialStatus Status, MetricSeries Primary)
{
    public static TrialRecord Proposed(int number, ParameterSet parameters) =>
        new(number, parameters, TrialStatus.Queued, []);

    public bool IsFinished => Status is TrialStatus.Completed or TrialStatus.Failed or TrialStatus.Canceled;

    public int LastInterval => Primary.LastInterval;

    /// <summary>The trial's result as samplers see it: its last (non-NaN) primary value; null when it reported none.</summary>
    public double? FinalValue => Primary.LastValue;

    public TrialRecord WithPoint(MetricPoint point) => this with { Primary = Primary.Add(point) };

    public TrialRecord WithStatus(TrialStatus status) => this with { Status = status };
}
