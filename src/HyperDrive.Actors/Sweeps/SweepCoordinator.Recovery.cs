using Akka.Event;
using Akka.Persistence;
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
        ScheduleDeadline();
        var now = _settings.Clock();
        var running = _state.Trials.Where(t => t.Status == TrialStatus.Running).ToList();
        var events = new List<ISweepEvent>();
        foreach (var trial in running)
        {
            events.Add(trial.PendingStop is null
                ? new TrialRequeued(trial.Number, trial.Attempt, "restarting: the sweep's coordinator recovered", now)
                : new TrialCanceled(trial.Number, trial.Attempt, trial.PendingStop, now));
        }

        _log.Info("Sweep {0} recovered: {1} trials, {2} restarted as new attempts", _sweepId, _state.ProposedCount,
            running.Count(t => t.PendingStop is null));
        if (events.Count == 0)
        {
            FillSlots();
            return;
        }

        PersistAndApply(events, FillSlots);
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
        if (_eventsSinceSnapshot >= _settings.SnapshotEvery)
        {
            _eventsSinceSnapshot = 0;
            SaveSnapshot(SweepSnapshot.From(_durable));
        }
    }
}
