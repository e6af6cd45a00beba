using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Event;
using Akka.Persistence;
using HyperDrive.Actors.Trials;
using HyperDrive.Core.History;
using HyperDrive.Core.Placement;
using HyperDrive.Core.Policies;
using HyperDrive.Core.Sampling;
using HyperDrive.Core.Specs;

namespace HyperDrive.Actors.Sweeps;

/// <summary>
/// One sweep, a persistent sharded entity of region <c>sweep</c>. A thin shell over <see cref="SweepState"/>:
/// Core decides (sampler, policy), the actor persists the resulting events, applies them with the same
/// <see cref="SweepState.Apply"/> that recovery uses, then acts (tells the trial region). Recovery never samples.
/// Writes are asynchronous so the journal can batch the writes of many trials into one commit: decisions are
/// taken on the state with every event already decided applied (<c>_state</c>), while every side effect waits
/// for its events to be durable and is taken in the persist callback, where <c>_durable</c> catches up.
/// </summary>
public sealed partial class SweepCoordinator : ReceivePersistentActor, IWithTimers
{
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly string _sweepId;
    private readonly IActorRef _trials;
    private readonly CoordinatorSettings _settings;
    private readonly HashSet<IActorRef> _subscribers = [];

    // Trials this incarnation has started: after a restart, trials recorded as running but not restarted yet
    // have no live attempt, so a cancel ends them at once instead of waiting for a report that never comes.
    private readonly HashSet<int> _dispatched = [];
    private readonly List<(IReadOnlyList<ISweepEvent> Events, Action AfterAll)> _unwritten = [];

    // Placement: the slots this sweep's attempts hold, the GPUs each trial's current attempt was given, why no more
    // trials start now (all GPUs busy), and why none ever can (a request no node can satisfy).
    private readonly Dictionary<int, ImmutableArray<int>> _devices = [];
    private SlotLedger _ledger = SlotLedger.Empty;
    private string? _waiting;
    private string? _unplaceable;
    private bool _cpuFallbackLogged;
    private SweepState _state = SweepState.Empty;
    private SweepState _durable = SweepState.Empty;
    private ISampler? _sampler;
    private IEarlyTerminationPolicy? _policy;
    private bool _exhausted;
    private int _malformed;
    private int _eventsSinceSnapshot;

    public SweepCoordinator(string sweepId, IActorRef trials, CoordinatorSettings settings)
    {
        _sweepId = sweepId;
        _trials = trials;
        _settings = settings;
        DefineRecovery();

        Command<SubmitSweep>(OnSubmit);
        Command<ResumeSweep>(_ => ReplyWhenDurable(Sender));
        Command<GetSweepState>(_ => ReplyWhenDurable(Sender));
        Command<SubscribeToSweep>(OnSubscribe);
        Command<CancelSweep>(OnCancel);
        Command<TrialAttemptStarted>(_ => { });
        Command<TrialIntervalReported>(OnInterval);
        Command<TrialMetricRejected>(OnMetricRejected);
        Command<TrialAttemptEnded>(OnAttemptEnded);
        Command<SweepDeadline>(_ => OnDeadline());
        Command<FlushWrites>(_ => Flush());
        Command<Terminated>(t => _subscribers.Remove(t.ActorRef));
        Command<SaveSnapshotSuccess>(s => DeleteSnapshots(new SnapshotSelectionCriteria(s.Metadata.SequenceNr - 1)));
        Command<SaveSnapshotFailure>(f => _log.Warning("Sweep {0}: snapshot failed, recovery will replay more events: {1}", _sweepId, f.Cause.Message));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(f => _log.Warning("Sweep {0}: old snapshots not deleted: {1}", _sweepId, f.Cause.Message));
    }

    public override string PersistenceId => "sweep-" + _sweepId;

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(string sweepId, IActorRef trials, CoordinatorSettings settings) =>
        Akka.Actor.Props.Create(() => new SweepCoordinator(sweepId, trials, settings));

    private int MaxTotal => _state.Spec?.Limits.MaxTotalTrials ?? _settings.DefaultMaxTotalTrials;

    private int MaxConcurrent => _state.Spec?.Limits.MaxConcurrentTrials ?? Math.Min(MaxTotal, _settings.DefaultConcurrency);

    private void OnSubmit(SubmitSweep submit)
    {
        if (_state.Status != SweepStatus.None)
        {
            Sender.Tell(new SweepAccepted(_sweepId));
            return;
        }

        var read = SweepSpecReader.ReadText(submit.SpecText, submit.SpecDirectory, submit.SourceFile);
        if (read.Spec is null || read.Errors.Any())
        {
            Sender.Tell(new SweepRejected(_sweepId, [.. read.Errors.Select(e => e.ToString())]));
            return;
        }

        try
        {
            CreateAlgorithms(read.Spec, submit.Seed);
        }
        catch (SpecException refused)
        {
            Sender.Tell(new SweepRejected(_sweepId, [.. refused.Diagnostics.Select(d => d.ToString())]));
            return;
        }

        var sender = Sender;
        PersistAndApply([new SweepSubmitted(_sweepId, submit.SpecText, submit.SpecDirectory, submit.SourceFile, submit.Seed, _settings.Clock())], () =>
        {
            sender.Tell(new SweepAccepted(_sweepId));
            ScheduleDeadline();
            FillSlots();
        });
    }

    /// <summary>Answers once every write decided so far is durable, so a reader sees its own writes.</summary>
    private void ReplyWhenDurable(IActorRef sender)
    {
        Flush();
        DeferAsync(sender, s => s.Tell(new SweepStateReply(_durable, _malformed)));
    }

    private void OnSubscribe(SubscribeToSweep subscribe)
    {
        _subscribers.Add(subscribe.Subscriber);
        Context.Watch(subscribe.Subscriber);
        subscribe.Subscriber.Tell(new SweepChanged(_durable, _malformed));
    }

    private void OnCancel(CancelSweep cancel)
    {
        if (_state.Status != SweepStatus.Running)
        {
            Sender.Tell(new SweepStateReply(_durable, _malformed));
            return;
        }

        var sender = Sender;
        var now = _settings.Clock();
        var events = new List<ISweepEvent> { new SweepCanceled(cancel.Reason, now) };
        events.AddRange(_state.Trials.Where(t => t.Status == TrialStatus.Queued).Select(t => new TrialCanceled(t.Number, t.Attempt, cancel.Reason, now)));
        var running = _state.Trials.Where(t => t.Status == TrialStatus.Running && _dispatched.Contains(t.Number)).ToList();
        events.AddRange(running.Select(t => new TrialStopRequested(t.Number, t.Attempt, "cancel", cancel.Reason, now)));
        events.AddRange(_state.Trials.Where(t => t.Status == TrialStatus.Running && !_dispatched.Contains(t.Number))
            .Select(t => new TrialCanceled(t.Number, t.Attempt, cancel.Reason, now)));
        PersistAndApply(events, () =>
        {
            foreach (var trial in running)
            {
                _trials.Tell(new StopTrial(_sweepId, trial.Number, trial.Attempt, cancel.Reason));
            }

            sender.Tell(new SweepStateReply(_durable, _malformed));
            if (_durable.ActiveCount == 0)
            {
                Context.Parent.Tell(new Passivate(PoisonPill.Instance));
            }
        });
    }

    private void OnInterval(TrialIntervalReported report)
    {
        if (!_state.IsCurrent(report.TrialNumber, report.Attempt))
        {
            return;
        }

        var finite = report.Metrics.Where(m => double.IsFinite(m.Value)).ToImmutableSortedDictionary();
        if (finite.Count < report.Metrics.Count || report.Interval < 1)
        {
            _malformed++;
            _log.Warning("Sweep {0} trial {1}: ignoring non-finite metrics or a bad interval ({2}) at interval {3}",
                _sweepId, report.TrialNumber, string.Join(", ", report.Metrics.Keys), report.Interval);
            if (finite.Count == 0 || report.Interval < 1)
            {
                Notify();
                return;
            }
        }

        var reported = new MetricsReported(report.TrialNumber, report.Attempt, report.Interval, finite, _settings.Clock());
        var stop = PolicyStop(report with { Metrics = finite }, _state.Apply(reported));
        PersistAndApply(stop is null ? [reported] : [reported, stop], () =>
        {
            if (stop is not null)
            {
                _log.Info("Sweep {0}: stopping trial {1}: {2}", _sweepId, stop.TrialNumber, stop.Reason);
                _trials.Tell(new StopTrial(_sweepId, stop.TrialNumber, stop.Attempt, stop.Reason));
            }
        });
    }

    /// <summary>The policy's decision on the state that includes the new report; null to continue.</summary>
    private TrialStopRequested? PolicyStop(TrialIntervalReported report, SweepState state)
    {
        var trial = state.Trial(report.TrialNumber);
        if (_policy is null || state.Status != SweepStatus.Running || trial.PendingStop is not null || trial.IsFinished
            || !report.Metrics.ContainsKey(state.History.Objective.PrimaryMetric))
        {
            return null;
        }

        var decision = _policy.Evaluate(state.History, report.TrialNumber, report.Interval);
        return decision.Stop
            ? new TrialStopRequested(report.TrialNumber, report.Attempt, _policy.Name, decision.Reason ?? _policy.Name, _settings.Clock())
            : null;
    }

    private void OnMetricRejected(TrialMetricRejected rejected)
    {
        _malformed++;
        _log.Warning("Sweep {0} trial {1}: metric line ignored: {2}", _sweepId, rejected.TrialNumber, rejected.Reason);
        Notify();
    }

    private void OnAttemptEnded(TrialAttemptEnded ended)
    {
        if (!_state.IsCurrent(ended.TrialNumber, ended.Attempt))
        {
            _log.Debug("Sweep {0}: ignoring the end of superseded attempt {1} of trial {2}", _sweepId, ended.Attempt, ended.TrialNumber);
            return;
        }

        var trial = _state.Trial(ended.TrialNumber);
        var now = _settings.Clock();
        var events = new List<ISweepEvent>();
        var restart = false;
        switch (ended.End)
        {
            case AttemptEnd.Completed:
                events.Add(new TrialCompleted(ended.TrialNumber, ended.Attempt, now));
                break;
            case AttemptEnd.Canceled:
                events.Add(new TrialCanceled(ended.TrialNumber, ended.Attempt, trial.PendingStop ?? ended.Error ?? "canceled", now));
                break;
            case AttemptEnd.Failed:
                events.Add(new TrialFailed(ended.TrialNumber, ended.Attempt, ended.Error ?? "failed", false, now));
                restart = _state.Status == SweepStatus.Running && trial.OwnFailures < (_state.Spec?.Trial.Retries ?? 0);
                break;
            default:
                events.Add(new TrialFailed(ended.TrialNumber, ended.Attempt, ended.Error ?? "infrastructure failure", true, now));
                restart = _state.Status == SweepStatus.Running && trial.InfrastructureFailures < _settings.InfrastructureRetryLimit;
                break;
        }

        _ledger = _ledger.Release(new TrialKey(_sweepId, ended.TrialNumber, ended.Attempt));
        if (restart)
        {
            Lease(ended.TrialNumber, ended.Attempt + 1, Decide());
            events.Add(new TrialStarted(ended.TrialNumber, ended.Attempt + 1, _settings.Node, now));
        }

        PersistAndApply(events, () =>
        {
            if (restart)
            {
                Dispatch(ended.TrialNumber);
            }

            if (_durable.IsEnded && _durable.ActiveCount == 0)
            {
                Context.Parent.Tell(new Passivate(PoisonPill.Instance));
            }

            FillSlots();
        });
    }

    private void OnDeadline()
    {
        if (_state.Status != SweepStatus.Running)
        {
            return;
        }

        var reason = FormattableString.Invariant($"the sweep timeout of {_state.Spec!.Limits.TimeoutSeconds} s was reached");
        var now = _settings.Clock();
        var running = _state.Trials.Where(t => t.Status == TrialStatus.Running && _dispatched.Contains(t.Number)).ToList();
        var events = new List<ISweepEvent> { new SweepCompleted(reason, now) };
        events.AddRange(_state.Trials.Where(t => t.Status == TrialStatus.Queued || (t.Status == TrialStatus.Running && !_dispatched.Contains(t.Number)))
            .Select(t => new TrialCanceled(t.Number, t.Attempt, reason, now)));
        events.AddRange(running.Select(t => new TrialStopRequested(t.Number, t.Attempt, "timeout", reason, now)));
        PersistAndApply(events, () =>
        {
            foreach (var trial in running)
            {
                _trials.Tell(new StopTrial(_sweepId, trial.Number, trial.Attempt, reason));
            }
        });
    }

    /// <summary>Proposes trials until max_concurrent_trials are active, then ends the sweep when nothing is left to do.</summary>
    private void FillSlots()
    {
        if (_state.Status != SweepStatus.Running || _sampler is null)
        {
            return;
        }

        var projected = _state;
        var events = new List<ISweepEvent>();
        var now = _settings.Clock();
        _waiting = null;
        while (!_exhausted && _unplaceable is null && !TooManyFailures(projected, out _) && projected.ActiveCount < MaxConcurrent && projected.ProposedCount < MaxTotal)
        {
            var placement = Decide();
            if (placement is Wait wait)
            {
                _waiting = wait.Reason;
                break;
            }

            if (placement is Impossible impossible)
            {
                _unplaceable = impossible.Error;
                break;
            }

            var proposal = _sampler.Propose(projected.History);
            if (proposal is null)
            {
                _exhausted = true;
                break;
            }

            var number = projected.ProposedCount + 1;
            Lease(number, 1, placement);
            ISweepEvent[] pair = [new TrialProposed(number, proposal, now), new TrialStarted(number, 1, _settings.Node, now)];
            foreach (var e in pair)
            {
                projected = projected.Apply(e);
                events.Add(e);
            }
        }

        if (events.Count > 0)
        {
            var numbers = events.OfType<TrialProposed>().Select(p => p.TrialNumber).ToList();
            PersistAndApply(events, () =>
            {
                foreach (var number in numbers)
                {
                    Dispatch(number);
                }
            });
            return;
        }

        if (_state.ActiveCount == 0 && EndReason() is { } reason)
        {
            PersistAndApply([new SweepCompleted(reason, now)], () =>
            {
                _log.Info("Sweep {0} completed: {1}", _sweepId, reason);
                Context.Parent.Tell(new Passivate(PoisonPill.Instance));
            });
        }
    }

    private string? EndReason()
    {
        if (_unplaceable is not null)
        {
            return "no trial can be placed: " + _unplaceable;
        }

        if (TooManyFailures(_state, out var failures))
        {
            return failures;
        }

        if (_state.ProposedCount >= MaxTotal)
        {
            return FormattableString.Invariant($"all {MaxTotal} trials ended (max_total_trials)");
        }

        return _exhausted ? FormattableString.Invariant($"the search space is exhausted after {_state.ProposedCount} trials") : null;
    }

    /// <summary><c>limits.max_failed_trials</c>: stop a sweep that only fails, and say why (the most common error).</summary>
    private bool TooManyFailures(SweepState state, out string? reason)
    {
        reason = null;
        if (state.Spec?.Limits.MaxFailedTrials is not { } limit || state.FailedCount < limit)
        {
            return false;
        }

        var common = state.Trials.Where(t => t.Status == TrialStatus.Failed && t.Reason is not null)
            .GroupBy(t => FirstLine(t.Reason!)).OrderByDescending(g => g.Count()).First();
        reason = $"stopped after {state.FailedCount} failed trials (max_failed_trials {limit}); the most common error ({common.Count()} trials): {common.Key}";
        return true;
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();

    private void Dispatch(int number)
    {
        var trial = _durable.Trial(number);
        _dispatched.Add(number);
        _trials.Tell(new StartTrial(_sweepId, number, trial.Attempt, trial.Parameters, _state.SpecText, _state.SpecDirectory, _settings.DataDirectory,
            _devices.GetValueOrDefault(number, [])));
    }

    /// <summary>Where the next attempt would run (null when placement is off): Core's pure placement rule on this sweep's ledger.</summary>
    private PlacementDecision? Decide() =>
        _settings.Nodes.IsDefaultOrEmpty || _state.Spec is null
            ? null
            : PlacementRule.Decide(PlacementRequest.From(_state.Spec.Trial.Resources), _settings.Nodes, _ledger, _settings.Placement);

    /// <summary>Takes the decided slots for an attempt and remembers its GPUs for <see cref="Dispatch"/>.</summary>
    private void Lease(int number, int attempt, PlacementDecision? decision)
    {
        var key = new TrialKey(_sweepId, number, attempt);
        switch (decision)
        {
            case Placed placed when !_ledger.Contains(key):
                _ledger = _ledger.Allocate(placed.LeaseFor(key));
                _devices[number] = placed.GpuIndices;
                break;
            case OnCpu onCpu when !_ledger.Contains(key):
                _ledger = _ledger.Allocate(onCpu.LeaseFor(key));
                _devices[number] = [];
                if (!_cpuFallbackLogged)
                {
                    _cpuFallbackLogged = true;
                    _log.Warning("Sweep {0}: {1}", _sweepId, onCpu.Warning);
                }

                break;
            default:
                _devices[number] = [];
                break;
        }
    }

    private void ScheduleDeadline()
    {
        if (_state.Spec?.Limits.TimeoutSeconds is { } seconds && _state.SubmittedAt is { } submitted)
        {
            var left = submitted.AddSeconds(seconds) - _settings.Clock();
            Timers.StartSingleTimer(nameof(SweepDeadline), SweepDeadline.Instance, left > TimeSpan.Zero ? left : TimeSpan.Zero);
        }
    }

    private void CreateAlgorithms(SweepSpec spec, long seed)
    {
        var seeded = spec with { Sampling = spec.Sampling with { Seed = seed } };
        _sampler = SamplerRegistry.Create(seeded);
        _policy = PolicyRegistry.Create(seeded);
    }

    /// <summary>
    /// Applies decided events to the working state at once, and queues them for the journal. The queue is
    /// written by <see cref="FlushWrites"/>, which this actor sends itself, so every decision taken on the
    /// messages already in the mailbox goes to the journal in one write. <paramref name="afterAll"/> (the side
    /// effects) runs once the events are durable, in the order the decisions were taken.
    /// </summary>
    private void PersistAndApply(IReadOnlyList<ISweepEvent> events, Action afterAll)
    {
        foreach (var e in events)
        {
            _state = _state.Apply(e);
        }

        if (_unwritten.Count == 0)
        {
            Self.Tell(FlushWrites.Instance);
        }

        _unwritten.Add((events, afterAll));
    }

    private void Flush()
    {
        if (_unwritten.Count == 0)
        {
            return;
        }

        var groups = _unwritten.Where(g => g.Events.Count > 0).ToList();
        var empty = _unwritten.Where(g => g.Events.Count == 0).Select(g => g.AfterAll).ToList();
        _unwritten.Clear();
        empty.ForEach(a => a());
        if (groups.Count == 0)
        {
            return;
        }

        var group = 0;
        var remaining = groups[0].Events.Count;
        PersistAllAsync(groups.SelectMany(g => g.Events), e =>
        {
            _durable = _durable.Apply(e);
            _eventsSinceSnapshot++;
            if (--remaining > 0)
            {
                return;
            }

            groups[group].AfterAll();
            if (++group < groups.Count)
            {
                remaining = groups[group].Events.Count;
                return;
            }

            Notify();
            MaybeSnapshot();
        });
    }

    private void Notify()
    {
        foreach (var subscriber in _subscribers)
        {
            subscriber.Tell(new SweepChanged(_durable, _malformed, _waiting));
        }
    }

    private sealed class FlushWrites
    {
        public static readonly FlushWrites Instance = new();

        private FlushWrites()
        {
        }
    }

    private sealed class SweepDeadline
    {
        public static readonly SweepDeadline Instance = new();

        private SweepDeadline()
        {
        }
    }
}
