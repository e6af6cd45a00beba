using Akka.Actor;
using Akka.Persistence;

namespace HyperDrive.Actors.Sweeps;

/// <summary>
/// Reads a sweep's journal without acting on it: it recovers the same <see cref="SweepState"/> as the
/// coordinator and answers <see cref="GetSweepState"/>, but never persists, proposes or starts a trial.
/// Used by the read-only commands (status, runs, best) so they never wake a sweep.
/// </summary>
public sealed class SweepView : ReceivePersistentActor
{
    private readonly string _sweepId;
    private SweepState _state = SweepState.Empty;

    public SweepView(string sweepId)
    {
        _sweepId = sweepId;
        Recover<ISweepEvent>(e => _state = _state.Apply(e));
        Recover<SnapshotOffer>(offer =>
        {
            if (offer.Snapshot is SweepSnapshot snapshot)
            {
                _state = snapshot.ToState();
            }
        });
        Command<GetSweepState>(_ => Sender.Tell(new SweepStateReply(_state, 0)));
    }

    public override string PersistenceId => "sweep-" + _sweepId;

    public static Props Props(string sweepId) => Akka.Actor.Props.Create(() => new SweepView(sweepId));
}
