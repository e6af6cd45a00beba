using System.Collections.Immutable;
using Akka.Actor;

namespace HyperDrive.Actors.Sweeps;

/// <summary>Submit a new sweep. Answered with <see cref="SweepAccepted"/> or <see cref="SweepRejected"/>; a repeat for a submitted sweep is accepted again.</summary>
public sealed record SubmitSweep(string SweepId, string SpecText, string SpecDirectory, string? SourceFile, long Seed) : IWithSweepId;

public sealed record SweepAccepted(string SweepId) : IHyperDriveMessage;

public sealed record SweepRejected(string SweepId, ImmutableArray<string> Errors) : IHyperDriveMessage;

/// <summary>Wake a sweep after a restart (recovery restarts its running trials). Answered with the current <see cref="SweepStateReply"/>.</summary>
public sealed record ResumeSweep(string SweepId) : IWithSweepId;

/// <summary>Cancel a sweep: its running trials are stopped, no new trial starts. Answered with the current <see cref="SweepStateReply"/>.</summary>
public sealed record CancelSweep(string SweepId, string Reason) : IWithSweepId;

/// <summary>Ask for the sweep's state.</summary>
public sealed record GetSweepState(string SweepId) : IWithSweepId;

/// <summary>The sweep's state (on the wire as a <see cref="SweepSnapshot"/>).</summary>
public sealed record SweepStateReply(SweepState State, int MalformedMetricLines) : IHyperDriveMessage;

/// <summary>Send <see cref="SweepChanged"/> to <paramref name="Subscriber"/> on every change until the sweep ends.</summary>
public sealed record SubscribeToSweep(string SweepId, IActorRef Subscriber) : IWithSweepId;

/// <summary>
/// Pushed to subscribers after each change; <see cref="SweepState.IsEnded"/> tells the last one.
/// <paramref name="Waiting"/> says why no more trials start now (all GPUs busy), when that is so.
/// </summary>
public sealed record SweepChanged(SweepState State, int MalformedMetricLines, string? Waiting = null) : IHyperDriveMessage;

/// <summary>A trial actor started an attempt on a node.</summary>
public sealed record TrialAttemptStarted(string SweepId, int TrialNumber, int Attempt, string Node) : IWithSweepId;

/// <summary>
/// A trial actor forwards the intervals its attempt reported since its last message, in order: one message per
/// burst of metric lines (the worker batches what arrives while it sends), so a trial that reports thousands of
/// intervals a second costs the coordinator a handful of messages, applies and journal events.
/// </summary>
public sealed record TrialIntervalsReported(string SweepId, int TrialNumber, int Attempt, ImmutableArray<IntervalMetrics> Intervals) : IWithSweepId
{
    public static TrialIntervalsReported One(string sweepId, int trialNumber, int attempt, int interval, ImmutableSortedDictionary<string, double> metrics) =>
        new(sweepId, trialNumber, attempt, [new IntervalMetrics(interval, metrics)]);
}

/// <summary>A trial actor saw a metric line it could not use.</summary>
public sealed record TrialMetricRejected(string SweepId, int TrialNumber, int Attempt, string Reason) : IWithSweepId;

/// <summary>How an attempt ended, as the trial actor saw it.</summary>
public enum AttemptEnd
{
    Completed,
    Failed,
    Canceled,
    InfrastructureFailure,

    /// <summary>The worker refused the attempt before starting it: its node has no room for the lease (placed on a stale view).</summary>
    Refused,
}

/// <summary>A trial actor reports the end of an attempt.</summary>
public sealed record TrialAttemptEnded(string SweepId, int TrialNumber, int Attempt, AttemptEnd End, string? Error, bool TimedOut) : IWithSweepId;

/// <summary>The answer to a probe: the attempt still runs, or its node does not know it (it is restarted).</summary>
public sealed record TrialAttemptProbed(string SweepId, int TrialNumber, int Attempt, bool Running) : IWithSweepId;

/// <summary>
/// Published on the node's own event stream (never sent to another node) when a sweep has ended and nothing of it runs
/// any more, with its durable final state.
/// </summary>
public sealed record SweepEnded(SweepState State);
