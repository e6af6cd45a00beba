using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Event;
using Akka.Persistence;
using HyperDrive.Actors.Nodes;
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

    // Trials whose attempt a recovered coordinator asked about (ProbeAttempt) and has no answer for yet.
    private readonly HashSet<int> _probing = [];
    private readonly List<(IReadOnlyList<ISweepEvent> Events, Action AfterAll)> _unwritten = [];

    // Placement: the slots this sweep's attempts hold, the GPUs each trial's current attempt was given, why no more
    // trials start now (all GPUs busy), and why none ever can (a request no node can satisfy).
    private SlotLedger _ledger = SlotLedger.Empty;
    private ClusterNodes _nodes = ClusterNodes.None;
    private readonly HashSet<string> _refused = [];
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
    private DateTimeOffset _lastSnapshot = DateTimeOffset.MinValue;

    public SweepCoordinator(string sweepId, IActorRef trials, CoordinatorSettings settings)
    {
        _sweepId = sweepId;
        _trials = trials;
        _settings = settings;
        DefineRecovery();
        DefinePlugin();

        Command<SubmitSweep>(OnSubmit);
        Command<ResumeSweep>(_ => ReplyWhenDurable(Sender));
        Command<GetSweepState>(_ => ReplyWhenDurable(Sender));
        Command<SubscribeToSweep>(OnSubscribe);
        Command<CancelSweep>(OnCancel);
        Command<TrialAttemptStarted>(_ => { });
        Command<TrialIntervalsReported>(OnIntervals);
        Command<TrialMetricRejected>(OnMetricRejected);
        Command<TrialAttemptEnded>(OnAttemptEnded);
        Command<SweepDeadline>(_ => OnDeadline());
        Command<FlushWrites>(_ => Flush());
        Command<ClusterNodes>(OnNodes);
        Command<RetryRefused>(_ =>
        {
            _refused.Clear();
            FillSlots();
        });
        Command<Terminated>(t => _subscribers.Remove(t.ActorRef));
        Command<SaveSnapshotSuccess>(s => DeleteSnapshots(new SnapshotSelectionCriteria(s.Metadata.SequenceNr - 1)));
        Command<SaveSnapshotFailure>(f => _log.Warning("Sweep {0}: snapshot failed, recovery will replay more events: {1}", _sweepId, f.Cause.Message));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(f => _log.Warning("Sweep {0}: old snapshots not deleted: {1}", _sweepId, f.Cause.Message));
    }

    public override string PersistenceId => "sweep-" + _sweepId;

    protected override void PreStart()
    {
        base.PreStart();
        _settings.NodeDirectory?.Tell(new SubscribeToNodes(Self));
    }

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
        if (!read.Spec.ResumeFrom.IsDefaultOrEmpty)
        {
            LoadParents(submit, read.Spec, sender);
            return;
        }

        PersistAndApply([new SweepSubmitted(_sweepId, submit.SpecText, submit.SpecDirectory, submit.SourceFile, submit.Seed, _settings.Clock())], () =>
        {
            sender.Tell(new SweepAccepted(_sweepId));
            _log.Info("Sweep {0} submitted: its coordinator runs on node {1}", _sweepId, _settings.Node);
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
        subscribe.Subscriber.Tell(new SweepChanged(_durable, _malformed, _waiting));
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
                Stop(trial.Number, trial.Attempt, cancel.Reason);
            }

            sender.Tell(new SweepStateReply(_durable, _malformed));
            if (_durable.ActiveCount == 0)
            {
                Ended();
            }
        });
    }

    /// <summary>
    /// A batch of intervals: the malformed ones are counted and left out, the rest applied and journaled as one
    /// event, and the policy asked at each of them in order (the first stop wins). The policies answer about interval
    /// N from the points up to N, so asking on the state that holds the whole batch decides as asking after each.
    /// </summary>
    private void OnIntervals(TrialIntervalsReported report)
    {
        if (!_state.IsCurrent(report.TrialNumber, report.Attempt) || report.Intervals.IsDefaultOrEmpty)
        {
            return;
        }

        var accepted = ImmutableArray.CreateBuilder<IntervalMetrics>(report.Intervals.Length);
        foreach (var interval in report.Intervals)
        {
            var finite = interval.Metrics.All(m => double.IsFinite(m.Value))
                ? interval.Metrics
                : ImmutableSortedDictionary.CreateRange(interval.Metrics.KeyComparer, interval.Metrics.Where(m => double.IsFinite(m.Value)));
            if (finite.Count < interval.Metrics.Count || interval.Interval < 1)
            {
                _malformed++;
                _log.Warning("Sweep {0} trial {1}: ignoring non-finite metrics or a bad interval ({2}) at interval {3}",
                    _sweepId, report.TrialNumber, string.Join(", ", interval.Metrics.Keys), interval.Interval);
                if (finite.Count == 0 || interval.Interval < 1)
                {
                    continue;
                }
            }

            accepted.Add(finite.Count == interval.Metrics.Count ? interval : interval with { Metrics = finite });
        }

        if (accepted.Count == 0)
        {
            Notify();
            return;
        }

        var reported = new IntervalsReported(report.TrialNumber, report.Attempt, accepted.ToImmutable(), _settings.Clock());
        var applied = _state.Apply(reported);
        var stop = PolicyStop(report.TrialNumber, report.Attempt, reported.Intervals, applied);
        PersistApplied(stop is null ? [reported] : [reported, stop], stop is null ? applied : applied.Apply(stop), () =>
        {
            if (stop is not null)
            {
                _log.Info("Sweep {0}: stopping trial {1}: {2}", _sweepId, stop.TrialNumber, stop.Reason);
                Stop(stop.TrialNumber, stop.Attempt, stop.Reason);
            }
        });
    }

    /// <summary>The policy's decision at the first interval of the batch where it stops the trial; null to continue.</summary>
    private TrialStopRequested? PolicyStop(int trialNumber, int attempt, ImmutableArray<IntervalMetrics> intervals, SweepState state)
    {
        var trial = state.Trial(trialNumber);
        if (_policy is null || state.Status != SweepStatus.Running || trial.PendingStop is not null || trial.IsFinished)
        {
            return null;
        }

        var primary = state.History.Objective.PrimaryMetric;
        foreach (var interval in intervals)
        {
            if (!interval.Metrics.ContainsKey(primary))
            {
                continue;
            }

            var decision = _policy.Evaluate(state.History, trialNumber, interval.Interval);
            if (decision.Stop)
            {
                return new TrialStopRequested(trialNumber, attempt, _policy.Name, decision.Reason ?? _policy.Name, _settings.Clock());
            }
        }

        return null;
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

        _probing.Remove(ended.TrialNumber);
        var trial = _state.Trial(ended.TrialNumber);
        var now = _settings.Clock();
        var events = new List<ISweepEvent>();
        var restart = false;
        var requeueReason = "restarting after an infrastructure failure";
        switch (ended.End)
        {
            case AttemptEnd.Completed:
                events.Add(new TrialCompleted(ended.TrialNumber, ended.Attempt, now));
                break;
            case AttemptEnd.Canceled:
                events.Add(new TrialCanceled(ended.TrialNumber, ended.Attempt, trial.PendingStop ?? ended.Error ?? "canceled", now));
                break;
            case AttemptEnd.Refused when trial.PendingStop is not null:
                events.Add(new TrialCanceled(ended.TrialNumber, ended.Attempt, trial.PendingStop, now));
                break;
            case AttemptEnd.Refused:
                if (trial.Node is { } refusing)
                {
                    // Left out until it announces again, or a second from now if nothing changes there.
                    _refused.Add(refusing);
                    Timers.StartSingleTimer(nameof(RetryRefused), RetryRefused.Instance, TimeSpan.FromSeconds(1));
                }

                _log.Info("Sweep {0}: node {1} refused trial {2}: {3}; placing it again", _sweepId, trial.Node, ended.TrialNumber, ended.Error);
                restart = _state.Status == SweepStatus.Running;
                requeueReason = "placement refused (" + (ended.Error ?? "no room") + "); placing again";
                if (!restart)
                {
                    events.Add(new TrialCanceled(ended.TrialNumber, ended.Attempt, _state.EndReason ?? "the sweep ended", now));
                }

                break;
            case AttemptEnd.Failed:
                events.Add(new TrialFailed(ended.TrialNumber, ended.Attempt, ended.Error ?? "failed", false, now));
                restart = _state.Status == SweepStatus.Running && trial.OwnFailures < (_state.Spec?.Trial.Retries ?? 0);
                requeueReason = "retrying after a failure (trial.retries)";
                break;
            default:
                events.Add(new TrialFailed(ended.TrialNumber, ended.Attempt, ended.Error ?? "infrastructure failure", true, now));
                restart = _state.Status == SweepStatus.Running && trial.InfrastructureFailures < _settings.InfrastructureRetryLimit;
                break;
        }

        _ledger = _ledger.Release(new TrialKey(_sweepId, ended.TrialNumber, ended.Attempt));
        if (restart)
        {
            events.Add(new TrialRequeued(ended.TrialNumber, ended.Attempt, requeueReason, now));
        }

        PersistEnds(events);
    }

    /// <summary>
    /// Trials ended (or wait again): their events are decided, then the freed slots are filled at once, so the next
    /// starts go to the journal in the same write as the ends (a freed slot waits for one round trip, not two); once
    /// durable, the actor passivates if the sweep has ended with nothing left to run.
    /// </summary>
    private void PersistEnds(IReadOnlyList<ISweepEvent> events)
    {
        PersistAndApply(events, () =>
        {
            if (_durable.IsEnded && _durable.ActiveCount == 0)
            {
                Ended();
            }
        });
        FillSlots();
    }

    /// <summary>
    /// The live workers changed. Trials running on a lost node (unreachable or gone) are placed again as new
    /// attempts at once, from their checkpoint when they keep one; their old attempt's results are ignored.
    /// </summary>
    private void OnNodes(ClusterNodes nodes)
    {
        _nodes = nodes;
        _refused.Clear();
        var lost = _state.Trials
            .Where(t => t.Status == TrialStatus.Running && _dispatched.Contains(t.Number) && t.Node is { } node && nodes.Lost.Contains(node))
            .ToList();
        if (lost.Count == 0)
        {
            FillSlots();
            return;
        }

        var now = _settings.Clock();
        var events = new List<ISweepEvent>();
        foreach (var trial in lost)
        {
            _probing.Remove(trial.Number);
            _ledger = _ledger.Release(new TrialKey(_sweepId, trial.Number, trial.Attempt));
            if (trial.PendingStop is not null)
            {
                events.Add(new TrialCanceled(trial.Number, trial.Attempt, trial.PendingStop, now));
                continue;
            }

            var error = $"node {trial.Node} was lost while attempt {trial.Attempt} ran";
            events.Add(new TrialFailed(trial.Number, trial.Attempt, error, true, now));
            if (_state.Status == SweepStatus.Running && trial.InfrastructureFailures < _settings.InfrastructureRetryLimit)
            {
                events.Add(new TrialRequeued(trial.Number, trial.Attempt, error + "; placing it again", now));
            }
        }

        _log.Warning("Sweep {0}: {1} trials lost with their node; placing them again", _sweepId, lost.Count);
        PersistEnds(events);
    }

    private void OnDeadline()
    {
        if (_state.Status != SweepStatus.Running)
        {
            return;
        }

        EndSweep(FormattableString.Invariant($"the sweep timeout of {_state.Spec!.Limits.TimeoutSeconds} s was reached"), "timeout");
    }

    /// <summary>
    /// The sweep has ended and nothing runs any more (its end is durable): tells this node (a cluster node's
    /// <see cref="Models.ModelRegistrar"/> registers the best trial from it) and passivates.
    /// </summary>
    private void Ended()
    {
        Context.System.EventStream.Publish(new SweepEnded(_durable));
        Context.Parent.Tell(new Passivate(PoisonPill.Instance));
    }

    /// <summary>
    /// Ends a running sweep early (its timeout: Completed; a failed sampler plug-in: Failed): queued trials and those not
    /// restarted yet are canceled, running ones asked to stop; the actor passivates once nothing is left active.
    /// </summary>
    private void EndSweep(string reason, string stoppedBy, bool failed = false)
    {
        var now = _settings.Clock();
        var running = _state.Trials.Where(t => t.Status == TrialStatus.Running && _dispatched.Contains(t.Number)).ToList();
        var events = new List<ISweepEvent> { failed ? new SweepFailed(reason, now) : new SweepCompleted(reason, now) };
        events.AddRange(_state.Trials.Where(t => t.Status == TrialStatus.Queued || (t.Status == TrialStatus.Running && !_dispatched.Contains(t.Number)))
            .Select(t => new TrialCanceled(t.Number, t.Attempt, reason, now)));
        events.AddRange(running.Select(t => new TrialStopRequested(t.Number, t.Attempt, stoppedBy, reason, now)));
        PersistAndApply(events, () =>
        {
            foreach (var trial in running)
            {
                Stop(trial.Number, trial.Attempt, reason);
            }

            if (_durable.ActiveCount == 0)
            {
                Ended();
            }
        });
    }

    /// <summary>
    /// Starts queued trials where placement finds room, then proposes trials until max_concurrent_trials are
    /// active (those with no room yet wait as Queued), then ends the sweep when nothing is left to do.
    /// </summary>
    private void FillSlots()
    {
        if (_state.Status != SweepStatus.Running || _sampler is null)
        {
            return;
        }

        var projected = _state;
        var events = new List<ISweepEvent>();
        var starts = new List<int>();
        var now = _settings.Clock();
        _waiting = null;
        foreach (var queued in projected.Queued.ToList())
        {
            if (!TryStart(queued.Number, queued.Attempt + 1, now, ref projected, events))
            {
                break;
            }

            starts.Add(queued.Number);
        }

        if (_unplaceable is null && Decide() is Impossible never)
        {
            _unplaceable = never.Error;
        }

        while (!_exhausted && _unplaceable is null && !TooManyFailures(projected, out _) && projected.ActiveCount < MaxConcurrent && projected.ProposedCount < MaxTotal)
        {
            if (AskPlugin(projected))
            {
                break;
            }

            var proposal = _sampler.Propose(projected.History);
            if (proposal is null)
            {
                _exhausted = true;
                break;
            }

            var number = projected.ProposedCount + 1;
            var proposed = new TrialProposed(number, proposal, now);
            projected = projected.Apply(proposed);
            events.Add(proposed);
            if (_waiting is null && _unplaceable is null && TryStart(number, 1, now, ref projected, events))
            {
                starts.Add(number);
            }
        }

        if (events.Count > 0)
        {
            PersistAndApply(events, () =>
            {
                foreach (var number in starts)
                {
                    Dispatch(number);
                }

                if (_unplaceable is not null)
                {
                    FillSlots();
                }
            });
            return;
        }

        if (_state.ActiveCount == 0 && EndReason() is { } reason)
        {
            var ending = new List<ISweepEvent> { new SweepCompleted(reason, now) };
            PersistAndApply(ending, () =>
            {
                _log.Info("Sweep {0} completed: {1}", _sweepId, reason);
                Ended();
            });
        }
        else if (_unplaceable is not null && _state.ActiveCount > 0 && _state.Queued.Any())
        {
            var canceled = _state.Queued.Select(t => (ISweepEvent)new TrialCanceled(t.Number, t.Attempt, "no node can run it: " + _unplaceable, now)).ToList();
            PersistEnds(canceled);
        }
    }

    /// <summary>Places attempt <paramref name="attempt"/> of a queued trial: true when it starts, false when it waits or can never run.</summary>
    private bool TryStart(int number, int attempt, DateTimeOffset now, ref SweepState projected, List<ISweepEvent> events)
    {
        var placement = Decide();
        switch (placement)
        {
            case Wait wait:
                _waiting = wait.Reason;
                return false;
            case Impossible impossible:
                _unplaceable = impossible.Error;
                return false;
        }

        Lease(number, attempt, placement);
        var started = new TrialStarted(number, attempt, NodeOf(placement), now);
        projected = projected.Apply(started);
        events.Add(started);
        return true;
    }

    private string NodeOf(PlacementDecision? placement) => placement switch
    {
        Placed placed => placed.NodeId,
        OnCpu onCpu => onCpu.NodeId,
        _ => _settings.Node,
    };

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
        if (trial.Status != TrialStatus.Running)
        {
            return;
        }

        _dispatched.Add(number);
        var lease = _ledger.Find(new TrialKey(_sweepId, number, trial.Attempt));
        _trials.Tell(new StartTrial(_sweepId, number, trial.Attempt, trial.Parameters, _state.SpecText, _state.SpecDirectory, _settings.DataDirectory,
            lease is null ? [] : [.. lease.Gpus.Select(g => g.Index)], trial.Node ?? "", lease));
    }

    private void Stop(int number, int attempt, string reason) =>
        _trials.Tell(new StopTrial(_sweepId, number, attempt, reason, _state.Trial(number).Node ?? ""));

    /// <summary>
    /// Where the next attempt would run (null when placement is off): Core's pure placement rule on the live nodes
    /// and the leases held on them — this sweep's own ledger (current the moment a trial ends) and the other sweeps'
    /// leases as the nodes announced them. A node that just refused a lease is left out until it announces again.
    /// </summary>
    private PlacementDecision? Decide()
    {
        if (_state.Spec is null)
        {
            return null;
        }

        var request = PlacementRequest.From(_state.Spec.Trial.Resources);
        if (!_settings.Nodes.IsDefaultOrEmpty)
        {
            return PlacementRule.Decide(request, _settings.Nodes, _ledger, _settings.Placement);
        }

        if (_settings.NodeDirectory is null)
        {
            return null;
        }

        var ledger = ClusterLedger();
        var usable = _nodes.Live.Where(n => !_refused.Contains(n.NodeId)).ToList();
        var decision = PlacementRule.Decide(request, usable, ledger, _settings.Placement);
        if (decision is Impossible && _refused.Count > 0 && PlacementRule.Decide(request, _nodes.Live, ledger, _settings.Placement) is not Impossible)
        {
            return new Wait("waiting for nodes " + string.Join(", ", _refused.Order(StringComparer.Ordinal)) + " to announce their free slots");
        }

        return decision;
    }

    private SlotLedger ClusterLedger()
    {
        var ledger = _ledger;
        foreach (var lease in _nodes.Leases)
        {
            var key = lease.Key;
            var other = key.SweepId != _sweepId;
            var trial = other || !_state.HasTrial(key.TrialNumber) ? null : _state.Trial(key.TrialNumber);

            // This sweep's leases are this ledger's, except an older attempt still running and an attempt a recovered
            // coordinator re-attached to (its lease was taken by the coordinator that died).
            var stillHeld = trial is not null && (key.Attempt < trial.Attempt || (key.Attempt == trial.Attempt && trial.Status == TrialStatus.Running));
            if ((other || stillHeld) && ledger.TryAllocate(lease, out var next))
            {
                ledger = next;
            }
        }

        return ledger;
    }

    /// <summary>Takes the decided slots for an attempt (its GPUs travel with its lease in <see cref="Dispatch"/>).</summary>
    private void Lease(int number, int attempt, PlacementDecision? decision)
    {
        var key = new TrialKey(_sweepId, number, attempt);
        switch (decision)
        {
            case Placed placed when !_ledger.Contains(key):
                _ledger = _ledger.Allocate(placed.LeaseFor(key));
                break;
            case OnCpu onCpu when !_ledger.Contains(key):
                _ledger = _ledger.Allocate(onCpu.LeaseFor(key));
                if (!_cpuFallbackLogged)
                {
                    _cpuFallbackLogged = true;
                    _log.Warning("Sweep {0}: {1}", _sweepId, onCpu.Warning);
                }

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
        var state = _state;
        foreach (var e in events)
        {
            state = state.Apply(e);
        }

        PersistApplied(events, state, afterAll);
    }

    /// <summary>As <see cref="PersistAndApply"/>, when the caller already applied the events to the working state (<paramref name="applied"/>).</summary>
    private void PersistApplied(IReadOnlyList<ISweepEvent> events, SweepState applied, Action afterAll)
    {
        _state = applied;
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

    private sealed class RetryRefused
    {
        public static readonly RetryRefused Instance = new();

        private RetryRefused()
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
