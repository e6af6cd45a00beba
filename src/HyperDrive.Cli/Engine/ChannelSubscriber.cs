using System.Threading.Channels;
using Akka.Actor;
using HyperDrive.Actors.Sweeps;

namespace HyperDrive.Cli.Engine;

/// <summary>Receives a sweep's <see cref="SweepChanged"/> pushes and hands them to the console loop.</summary>
internal sealed class ChannelSubscriber : ReceiveActor
{
    public ChannelSubscriber(ChannelWriter<SweepChanged> writer)
    {
        Receive<SweepChanged>(changed => writer.TryWrite(changed));
    }

    public static Props Props(ChannelWriter<SweepChanged> writer) => Akka.Actor.Props.Create(() => new ChannelSubscriber(writer));
}
