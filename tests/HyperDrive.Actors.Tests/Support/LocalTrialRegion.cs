using Akka.Actor;
using HyperDrive.Actors.Hosting;
using HyperDrive.Actors.Trials;

namespace HyperDrive.Actors.Tests.Support;

/// <summary>Stands in for the <c>trial</c> sharding region in local specs: one child <see cref="TrialActor"/> per entity id.</summary>
internal sealed class LocalTrialRegion : ReceiveActor
{
    public LocalTrialRegion(ITrialRunnerFactory runners, IActorRef sweeps)
    {
        Receive<IWithTrialId>(message =>
        {
            var id = TrialMessageExtractor.EntityIdOf(message.SweepId, message.TrialNumber).Replace('/', '_');
            var child = Context.Child(id);
            if (child.IsNobody())
            {
                child = Context.ActorOf(TrialActor.Props(runners, sweeps, "local"), id);
            }

            child.Forward(message);
        });
    }

    public static Props Props(ITrialRunnerFactory runners, IActorRef sweeps) =>
        Akka.Actor.Props.Create(() => new LocalTrialRegion(runners, sweeps));
}
