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
        Recover<RecoveryCompleted>(_ => OnRecovered());
    }

    /// <summary>
    /// Re-primes the sampler and policy from the recorded spec and seed (the history came from the events;
    /// nothing is sampled again) and restarts, as a new attempt, every trial that was running.
    /// </summary>
    private void OnRecovered()
    {
        if (_state.Status != SweepStatus.Running)
        {
            return;
        }

        CreateAlgorithms(_state.Spec!, _state.Seed);
        ScheduleDeadline();
        var now = _settings.Clock();
        var unfinished = _state.Trials.Where(t => !t.IsFinished).ToList();
        var restarts = unfinished.Where(t => t.PendingStop is null)
            .Select(t => new TrialStarted(t.Number, t.Attempt + 1, _settings.Node, now)).ToList();
        var events = new List<ISweepEvent>(restarts);
        events.AddRange(unfinished.Where(t => t.PendingStop is not null)
            .Select(t => new TrialCanceled(t.Number, t.Attempt, t.PendingStop!, now)));
        _log.Info("Sweep {0} recovered: {1} trials, {2} restarted as new attempts", _sweepId, _state.ProposedCount, restarts.Count);
        if (events.Count == 0)
        {
            FillSlots();
            return;
        }

        PersistAndApply(events, () =>
        {
            foreach (var restart in restarts)
            {
                Dispatch(restart.TrialNumber);
            }

            FillSlots();
        });
    }

    private void MaybeSnapshot()
    {
        if (_eventsSinceSnapshot >= _settings.SnapshotEvery)
        {
            _eventsSinceSnapshot = 0;
            SaveSnapshot(SweepSnapshot.From(_state));
        }
    }
}
