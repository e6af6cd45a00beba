using System.Collections.Immutable;
using HyperDrive.Core.History;
using HyperDrive.Core.Parameters;

namespace HyperDrive.Actors.Sweeps;

/// <summary>An event persisted by a sweep's coordinator. Each has a stable, versioned serializer manifest.</summary>
public interface ISweepEvent : IHyperDriveMessage
{
    DateTimeOffset At { get; }
}

/// <summary>A sweep was submitted: the file's text (so a resume never depends on the file still being there), its folder, and the seed used.</summary>
public sealed record SweepSubmitted(string SweepId, string SpecText, string SpecDirectory, string? SourceFile, long Seed, DateTimeOffset At) : ISweepEvent;

/// <summary>The sampler proposed trial <paramref name="TrialNumber"/>; recovery re-primes the sampler from these, never by sampling again.</summary>
public sealed record TrialProposed(int TrialNumber, ParameterSet Parameters, DateTimeOffset At) : ISweepEvent;

/// <summary>An attempt of a trial was started on a node.</summary>
public sealed record TrialStarted(int TrialNumber, int Attempt, string Node, DateTimeOffset At) : ISweepEvent;

/// <summary>One interval's metrics of an attempt (written by earlier versions, one event per interval; still replayed).</summary>
public sealed record MetricsReported(int TrialNumber, int Attempt, int Interval, ImmutableSortedDictionary<string, double> Metrics, DateTimeOffset At) : ISweepEvent;

/// <summary>Consecutive intervals' metrics of an attempt, in the order reported: one event per batch the worker sent.</summary>
public sealed record IntervalsReported(int TrialNumber, int Attempt, ImmutableArray<IntervalMetrics> Intervals, DateTimeOffset At) : ISweepEvent;

/// <summary>The policy (or a user) asked an attempt to stop, with the reason shown to users.</summary>
public sealed record TrialStopRequested(int TrialNumber, int Attempt, string Policy, string Reason, DateTimeOffset At) : ISweepEvent;

/// <summary>An attempt exited 0.</summary>
public sealed record TrialCompleted(int TrialNumber, int Attempt, DateTimeOffset At) : ISweepEvent;

/// <summary>An attempt failed: on its own (<paramref name="Infrastructure"/> false) or because its process or node was lost.</summary>
public sealed record TrialFailed(int TrialNumber, int Attempt, string Error, bool Infrastructure, DateTimeOffset At) : ISweepEvent;

/// <summary>An attempt was canceled (early stop, timeout, sweep cancel).</summary>
public sealed record TrialCanceled(int TrialNumber, int Attempt, string Reason, DateTimeOffset At) : ISweepEvent;

/// <summary>The sweep ended: all trials done, max_total_trials or the timeout reached, the space exhausted, or too many failures.</summary>
public sealed record SweepCompleted(string Reason, DateTimeOffset At) : ISweepEvent;

/// <summary>A user canceled the sweep.</summary>
public sealed record SweepCanceled(string Reason, DateTimeOffset At) : ISweepEvent;

/// <summary>The sweep could not go on: its sampler plug-in crashed, lied or hung. Trials already completed stay.</summary>
public sealed record SweepFailed(string Reason, DateTimeOffset At) : ISweepEvent;

/// <summary>
/// The sampler plug-in's state (the JSON it answered to <c>get_state</c>) after its latest search, written with the
/// proposals of that search; recovery hands the latest one back to the restarted plug-in with <c>set_state</c>.
/// </summary>
public sealed record SamplerStateSaved(string StateJson, DateTimeOffset At) : ISweepEvent;

/// <summary>
/// A trial waits for a slot again (state Queued) after its attempt <paramref name="Attempt"/> ended without a
/// result: its node was lost, its worker refused the placement, or the coordinator recovered. The next start is
/// attempt + 1; <paramref name="Reason"/> is shown while it waits.
/// </summary>
public sealed record TrialRequeued(int TrialNumber, int Attempt, string Reason, DateTimeOffset At) : ISweepEvent;

/// <summary>
/// Warm start: the finished trials of the sweeps named in <c>resume_from</c>, read when the sweep was submitted and
/// recorded with it (written right after <see cref="SweepSubmitted"/>), so a recovery feeds the sampler the same priors.
/// </summary>
public sealed record WarmStartLoaded(ImmutableArray<string> From, ImmutableArray<PriorTrial> Trials, DateTimeOffset At) : ISweepEvent;

/// <summary>An earlier sweep's finished trial fed to the sampler: its parameters and final primary value.</summary>
public sealed record PriorTrial(string SweepId, int TrialNumber, ParameterSet Parameters, TrialStatus Status, double Value);
