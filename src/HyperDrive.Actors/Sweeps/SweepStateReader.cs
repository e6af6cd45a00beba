using Akka.Actor;
using Akka.Persistence;

namespace HyperDrive.Actors.Sweeps;

/// <summary>
/// Reads another sweep's state from the journal without waking its coordinator (which would restart its interrupted
/// trials): replays the sweep's snapshot and events with the same <see cref="SweepState.Apply"/>, sends the state to
/// <c>replyTo</c> and stops. It never writes. A sweep that was never submitted reads as <see cref="SweepStatus.None"/>.
/// </summary>
public sealed class SweepStateReader : ReceivePersistentActor
{
    private readonly string _sweepId;
    private readonly IActorRef _replyTo;
    private SweepState _state = SweepState.Empty;

    public SweepStateReader(string sweepId, IActorRef replyTo)
    {
        _sweepId = sweepId;
        _replyTo = replyTo;
        Recover<ISweepEvent>(e => _state = _state.Apply(e));
        Recover<SnapshotOffer>(offer =>
        {
            if (offer.Snapshot is SweepSnapshot snapshot)
            {
                _state = snapshot.ToState();
            }
        });
        Recover<RecoveryCompleted>(_ =>
        {
            replyTo.Tell(new SweepStateRead(_sweepId, _state, null));
            Context.Stop(Self);
        });
        CommandAny(_ => { });
    }

    public override string PersistenceId => "sweep-" + _sweepId;

    public static Props Props(string sweepId, IActorRef replyTo) => Akka.Actor.Props.Create(() => new SweepStateReader(sweepId, replyTo));

    protected override void OnRecoveryFailure(Exception reason, object? message = null)
    {
        _replyTo.Tell(new SweepStateRead(_sweepId, SweepState.Empty, reason.GetBaseException().Message));
        base.OnRecoveryFailure(reason, message);
    }
}

/// <summary>A sweep's state as <see cref="SweepStateReader"/> read it; <paramref name="Error"/> when its journal could not be read.</summary>
public sealed record SweepStateRead(string SweepId, SweepState State, string? Error);
