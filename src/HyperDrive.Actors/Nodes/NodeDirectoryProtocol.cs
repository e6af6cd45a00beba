using System.Collections.Immutable;
using Akka.Actor;
using HyperDrive.Core.Placement;

namespace HyperDrive.Actors.Nodes;

/// <summary>Send <see cref="ClusterNodes"/> to <paramref name="Subscriber"/> now and after every change (local).</summary>
public sealed record SubscribeToNodes(IActorRef Subscriber);

/// <summary>
/// The worker nodes a coordinator may place trials on: <paramref name="Live"/> (Up, reachable, capacity announced),
/// the leases their trials hold (<paramref name="Leases"/>, as the nodes last announced them), and the nodes lost
/// since they were seen (<paramref name="Lost"/>: unreachable or removed), whose trials the coordinator re-places.
/// </summary>
public sealed record ClusterNodes(ImmutableArray<NodeCapacity> Live, ImmutableArray<Lease> Leases, ImmutableHashSet<string> Lost)
{
    public static readonly ClusterNodes None = new([], [], []);
}

/// <summary>Ask for the current <see cref="ClusterNodes"/> (local).</summary>
public sealed record GetClusterNodes
{
    public static readonly GetClusterNodes Instance = new();
}

/// <summary>
/// The node's trial region (or proxy): the directory sends each worker's shard a <see cref="Trials.WarmShard"/> when the
/// worker comes up, so this node knows where every worker's shard lives before it needs it (a restart after a crash
/// must not wait for the shard coordinator, which may have died with the crashed worker).
/// </summary>
public sealed record UseTrialRegion(IActorRef Region);
