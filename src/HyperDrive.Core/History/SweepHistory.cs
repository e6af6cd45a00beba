using System.Collections.Immutable;
using HyperDrive.Core.Parameters;

namespace HyperDrive.Core.History;

/// <summary>
/// Everything samplers and policies decide from: every proposed trial in proposal order, with its status
/// and primary-metric series, and the objective. Immutable: each change returns a new history, so a
/// replay of the same events rebuilds the same history and the same decisions.
/// </summary>
public sealed class SweepHistory
{
    public SweepHistory(Objective objective, ImmutableArray<TrialRecord> trials)
    {
        Objective = objective;
        Trials = trials;
    }

    public Objective Objective { get; }

    public ImmutableArray<TrialRecord> Trials { get; }

    public int Count => Trials.Length;

    /// <summary>The number the next proposal will get (1-based).</summary>
    public int NextTrialNumber => Trials.Length + 1;

    public static SweepHistory Empty(Objective objective) => new(objective, []);

    public TrialRecord Trial(int number) => Trials[number - 1];

    public bool HasTrial(int number) => number >= 1 && number <= Trials.Length;

    public SweepHistory Propose(ParameterSet parameters) =>
        new(Objective, Trials.Add(TrialRecord.Proposed(NextTrialNumber, parameters)));

    public SweepHistory Report(int number, MetricPoint point) => Replace(number, Trial(number).WithPoint(point) with
    {
        Status = Trial(number).IsFinished ? Trial(number).Status : TrialStatus.Running,
    });

    /// <summary>Several points of one trial in the order reported: one replacement of the trial, however many points.</summary>
    public SweepHistory ReportAll(int number, IEnumerable<MetricPoint> points) => Replace(number, Trial(number) with
    {
        Primary = Trial(number).Primary.AddRange(points),
        Status = Trial(number).IsFinished ? Trial(number).Status : TrialStatus.Running,
    });

    public SweepHistory Finish(int number, TrialStatus status) => Replace(number, Trial(number).WithStatus(status));

    public SweepHistory Replace(int number, TrialRecord record) => new(Objective, Trials.SetItem(number - 1, record));
}
