using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using HyperDrive.Actors.Trials;
using HyperDrive.Core.History;

namespace HyperDrive.Actors.Sweeps;

public sealed partial class SweepCoordinator
{
    private void DefineRecovery()
    {
        Recover<ISweepEvent>(e => _state = _state.Apply(e));
        Recover<SnapshotOffer>(offer =>
        {
            if (offer.Snapshot is SweepSnapshot snapshot)
            {
                _state = snapshot.ToState();
            }
        });
        // Restarting is a command, not part of recovery: commands that arrived during recovery (a cancel) run first.
        Recover<RecoveryCompleted>(_ =>
        {
            _durable = _state;
            Self.Tell(RestartInterrupted.Instance, Self);
        });
        Command<RestartInterrupted>(_ => OnRecovered());
        Command<TrialAttemptProbed>(OnProbed);
        Command<ProbeTimeout>(_ => OnProbeTimeout());
    }

    /// <summary>
    /// Re-primes the sampler and policy from the recorded spec and seed (the history came from the events;
    /// nothing is sampled again) and restarts, as a new attempt, every trial that was running.
    /// </summary>
    private void OnRecovered()
    {
        if (_state.Status != SweepStatus.Running || _sampler is not null)
        {
            return;
        }

        CreateAlgorithms(_state.Spec!, _state.Seed);
        WarmStart(_state.Spec!, _state.Priors);
        ScheduleDeadline();
        var now = _settings.Clock();
        var running = _state.Trials.Where(t => t.Status == TrialStatus.Running).ToList();
        var events = new List<ISweepEvent>();
        if (_settings.ReattachOnRecovery)
        {
            // Attempts that may still run on their workers are asked about first (a coordinator that moved to another
            // node loses no progress); those that do not answer in time, or are not running, start again.
            foreach (var trial in running.Where(t => t.PendingStop is null && t.Node is not null))
            {
                _probing.Add(trial.Number);
                _dispatched.Add(trial.Number);
                _trials.Tell(new ProbeAttempt(_sweepId, trial.Number, trial.Attempt, trial.Node!, trial.History.LastOrDefault()?.Interval ?? 0));
            }

            if (_probing.Count > 0)
            {
                Timers.StartSingleTimer(nameof(ProbeTimeout), ProbeTimeout.Instance, _settings.ProbeTimeout);
            }

            running = [.. running.Where(t => !_probing.Contains(t.Number))];
        }

        foreach (var trial in running)
        {
            events.Add(trial.PendingStop is null
                ? new TrialRequeued(trial.Number, trial.Attempt, "restarting: the sweep's coordinator recovered", now)
                : new TrialCanceled(trial.Number, trial.Attempt, trial.PendingStop, now));
        }

        _log.Info("Sweep {0} recovered: {1} trials, {2} asked whether they still run, {3} restarted as new attempts", _sweepId, _state.ProposedCount,
            _probing.Count, running.Count(t => t.PendingStop is null));
        if (events.Count == 0)
        {
            FillSlots();
            return;
        }

        PersistAndApply(events, FillSlots);
    }

    /// <summary>A probed attempt's node answered: it runs (nothing to do), or it does not (start it again).</summary>
    private void OnProbed(TrialAttemptProbed probed)
    {
        if (!_probing.Remove(probed.TrialNumber) || !_state.IsCurrent(probed.TrialNumber, probed.Attempt) || probed.Running)
        {
            return;
        }

        Requeue([probed.TrialNumber], "restarting: the attempt was no longer running after the coordinator recovered");
    }

    private void OnProbeTimeout()
    {
        var silent = _probing.Where(n => _state.Trial(n).Status == TrialStatus.Running).ToList();
        _probing.Clear();
        if (silent.Count > 0)
        {
            Requeue(silent, "restarting: its node did not answer after the coordinator recovered");
        }
    }

    private void Requeue(IReadOnlyList<int> numbers, string reason)
    {
        var now = _settings.Clock();
        var events = numbers.Select(n => (ISweepEvent)new TrialRequeued(n, _state.Trial(n).Attempt, reason, now)).ToList();
        PersistAndApply(events, FillSlots);
    }

    private sealed class ProbeTimeout
    {
        public static readonly ProbeTimeout Instance = new();

        private ProbeTimeout()
        {
        }
    }

    private sealed class RestartInterrupted
    {
        public static readonly RestartInterrupted Instance = new();

        private RestartInterrupted()
        {
        }
    }

    private void MaybeSnapshot()
    {
        var now = _settings.Clock();
        if (_eventsSinceSnapshot >= _settings.SnapshotEvery && now - _lastSnapshot >= _settings.SnapshotMinInterval)
        {
            _eventsSinceSnapshot = 0;
            _lastSnapshot = now;
            SaveSnapshot(SweepSnapshot.From(_durable));
        }
    }
}
