using System.Collections.Immutable;
using HyperDrive.Core.Parameters;

namespace HyperDrive.Core.History;

/// <summary>
/// What samplers and policies know of one trial: its number (1-based, in proposal order), its parameters,
/// its status and its primary-metric series. Immutable; <see cref="SweepHistory"/> replaces it on change.
/// The series is an array: the policies scan every trial's series at every evaluation, which an array does several
/// times faster than an immutable list, although adding a point copies it (measured both ways with
/// <c>scripts/bench cluster</c>: see benchmarks/README.md).
/// </summary>
public sealed record TrialRecord(int Number, ParameterSet Parameters, TrialStatus Status, ImmutableArray<MetricPoint> Primary)
{
    public static TrialRecord Proposed(int number, ParameterSet parameters) =>
        new(number, parameters, TrialStatus.Queued, []);

    public bool IsFinished => Status is TrialStatus.Completed or TrialStatus.Failed or TrialStatus.Canceled;

    public int LastInterval => Primary.IsEmpty ? 0 : Primary[^1].Interval;

    public TrialRecord WithPoint(MetricPoint point) => this with { Primary = Primary.Add(point) };

    public TrialRecord WithStatus(TrialStatus status) => this with { Status = status };
}
