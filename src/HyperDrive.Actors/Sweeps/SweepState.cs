using System.Collections.Immutable;
using HyperDrive.Core.History;
using HyperDrive.Core.Specs;

namespace HyperDrive.Actors.Sweeps;

/// <summary>
/// The state of one sweep, rebuilt from its events. <see cref="Apply"/> is the only way it changes and serves
/// both command handling and recovery (STYLE rule 3), so a replay gives the same state, the same history and
/// therefore the same next proposal.
/// </summary>
public sealed record SweepState
{
    public static readonly SweepState Empty = new();

    public string SweepId { get; init; } = "";

    public SweepStatus Status { get; init; } = SweepStatus.None;

    public SweepSpec? Spec { get; init; }

    public string SpecText { get; init; } = "";

    public string SpecDirectory { get; init; } = ".";

    public string? SourceFile { get; init; }

    public long Seed { get; init; }

    public SweepHistory History { get; init; } = SweepHistory.Empty(new Objective("", Goal.Maximize));

    public ImmutableList<TrialView> Trials { get; init; } = [];

    public DateTimeOffset? SubmittedAt { get; init; }

    /// <summary>Earlier sweeps' trials that warm-start the sampler (<c>resume_from</c>); empty without warm start.</summary>
    public ImmutableArray<PriorTrial> Priors { get; init; } = [];

    public DateTimeOffset? EndedAt { get; init; }

    public string? EndReason { get; init; }

    /// <summary>The sampler plug-in's latest state (JSON), null when it keeps none or the sampler is not a plug-in.</summary>
    public string? SamplerState { get; init; }

    public int ProposedCount => Trials.Count;

    public int ActiveCount => Trials.Count(t => !t.IsFinished);

    public int FinishedCount => Trials.Count(t => t.IsFinished);

    public int FailedCount => Trials.Count(t => t.Status == TrialStatus.Failed);

    public bool IsEnded => Status is SweepStatus.Completed or SweepStatus.Canceled or SweepStatus.Failed;

    public TrialView Trial(int number) => Trials[number - 1];

    public bool HasTrial(int number) => number >= 1 && number <= Trials.Count;

    /// <summary>True when the event is about the trial's current attempt (results of a superseded attempt are ignored).</summary>
    public bool IsCurrent(int trialNumber, int attempt) =>
        HasTrial(trialNumber) && Trial(trialNumber).Attempt == attempt && Trial(trialNumber).Status == TrialStatus.Running;

    /// <summary>Trials waiting for a slot, in the order they start.</summary>
    public IEnumerable<TrialView> Queued => Trials.Where(t => t.Status == TrialStatus.Queued);

    public SweepState Apply(ISweepEvent e) => e switch
    {
        SweepSubmitted s => ApplySubmitted(s),
        TrialProposed p => this with
        {
            History = History.Propose(p.Parameters),
            Trials = Trials.Add(new TrialView { Number = p.TrialNumber, Parameters = p.Parameters }),
        },
        TrialStarted s => UpdateTrial(s.TrialNumber, t => t with
        {
            Status = TrialStatus.Running,
            Attempt = s.Attempt,
            Node = s.Node,
            Started = t.Started ?? s.At,
            Ended = null,
            Reason = null,
            PendingStop = null,
            History = [],
        }) with
        {
            History = History.Replace(s.TrialNumber, History.Trial(s.TrialNumber) with { Status = TrialStatus.Running, Primary = [] }),
        },
        MetricsReported m when IsCurrent(m.TrialNumber, m.Attempt) => ApplyIntervals(m.TrialNumber, [new IntervalMetrics(m.Interval, m.Metrics)]),
        MetricsReported => this,
        IntervalsReported r when IsCurrent(r.TrialNumber, r.Attempt) => ApplyIntervals(r.TrialNumber, r.Intervals),
        IntervalsReported => this,
        TrialStopRequested r when IsCurrent(r.TrialNumber, r.Attempt) => UpdateTrial(r.TrialNumber, t => t with { PendingStop = r.Reason }),
        TrialStopRequested => this,
        TrialCompleted c when IsCurrent(c.TrialNumber, c.Attempt) => Finish(c.TrialNumber, TrialStatus.Completed, null, c.At),
        TrialCompleted => this,
        TrialFailed f when IsCurrent(f.TrialNumber, f.Attempt) => Finish(f.TrialNumber, TrialStatus.Failed, f.Error, f.At)
            .UpdateTrial(f.TrialNumber, t => f.Infrastructure
                ? t with { InfrastructureFailures = t.InfrastructureFailures + 1 }
                : t with { OwnFailures = t.OwnFailures + 1 }),
        TrialFailed => this,
        TrialCanceled c when IsCurrent(c.TrialNumber, c.Attempt) || (HasTrial(c.TrialNumber) && Trial(c.TrialNumber).Status == TrialStatus.Queued) =>
            Finish(c.TrialNumber, TrialStatus.Canceled, Trial(c.TrialNumber).PendingStop ?? c.Reason, c.At),
        TrialCanceled => this,
        TrialRequeued q when HasTrial(q.TrialNumber) && Trial(q.TrialNumber).Attempt == q.Attempt
            && Trial(q.TrialNumber).Status is TrialStatus.Running or TrialStatus.Failed or TrialStatus.Queued =>
            UpdateTrial(q.TrialNumber, t => t with { Status = TrialStatus.Queued, Reason = q.Reason, Ended = null, PendingStop = null, History = [] }) with
            {
                History = History.Replace(q.TrialNumber, History.Trial(q.TrialNumber) with { Status = TrialStatus.Queued, Primary = [] }),
            },
        TrialRequeued => this,
        WarmStartLoaded w => this with { Priors = w.Trials.IsDefault ? [] : w.Trials },
        SamplerStateSaved s => this with { SamplerState = s.StateJson },
        SweepCompleted c => this with { Status = SweepStatus.Completed, EndReason = c.Reason, EndedAt = c.At },
        SweepCanceled c => this with { Status = SweepStatus.Canceled, EndReason = c.Reason, EndedAt = c.At },
        SweepFailed f => this with { Status = SweepStatus.Failed, EndReason = f.Reason, EndedAt = f.At },
        _ => throw new ArgumentException($"unknown sweep event {e.GetType().Name}", nameof(e)),
    };

    private SweepState ApplySubmitted(SweepSubmitted s)
    {
        var read = SweepSpecReader.ReadText(s.SpecText, s.SpecDirectory, s.SourceFile);
        var spec = read.Spec ?? throw new InvalidOperationException(
            $"sweep {s.SweepId}: its recorded sweep file no longer reads: {string.Join("; ", read.Errors)}");
        return this with
        {
            SweepId = s.SweepId,
            Status = SweepStatus.Running,
            Spec = spec,
            SpecText = s.SpecText,
            SpecDirectory = s.SpecDirectory,
            SourceFile = s.SourceFile,
            Seed = s.Seed,
            History = SweepHistory.Empty(spec.Objective),
            SubmittedAt = s.At,
        };
    }

    private SweepState ApplyIntervals(int number, ImmutableArray<IntervalMetrics> intervals)
    {
        var next = UpdateTrial(number, t => t with { History = t.History.AddRange(intervals) });
        var primary = History.Objective.PrimaryMetric;
        var points = intervals.Where(i => i.Metrics.ContainsKey(primary)).Select(i => new MetricPoint(i.Interval, i.Metrics[primary])).ToList();
        return points.Count == 0 ? next : next with { History = History.ReportAll(number, points) };
    }

    private SweepState Finish(int number, TrialStatus status, string? reason, DateTimeOffset at) =>
        UpdateTrial(number, t => t with { Status = status, Reason = reason, Ended = at, PendingStop = null }) with
        {
            History = History.Finish(number, status),
        };

    private SweepState UpdateTrial(int number, Func<TrialView, TrialView> update) =>
        this with { Trials = Trials.SetItem(number - 1, update(Trials[number - 1])) };
}
