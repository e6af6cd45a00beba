using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster.Sharding;

namespace HyperDrive.Actors.Hosting;

/// <summary>
/// Allocates shard <c>NODE-ID</c> of region <c>trial</c> to the region on that node (DESIGN §5): the sweep
/// coordinator's placement has already chosen the node, so sharding only has to follow it. Shards never
/// rebalance (a trial cannot move while its process runs). A shard whose node has no region registered (yet, or
/// any more) is not allocated: the allocation fails and sharding asks again later, so a shard is never pinned to
/// the wrong node (a message for a node that is gone waits in its region's buffer, and its sender times out).
/// </summary>
public sealed class NodeShardAllocationStrategy(Address selfAddress) : IShardAllocationStrategy
{
    public Task<IActorRef> AllocateShard(IActorRef requester, string shardId, IImmutableDictionary<IActorRef, IImmutableList<string>> currentShardAllocations)
    {
        ArgumentNullException.ThrowIfNull(currentShardAllocations);
        foreach (var region in currentShardAllocations.Keys)
        {
            if (NodeIds.Of(AddressOf(region)) == shardId)
            {
                return Task.FromResult(region);
            }
        }

        return Task.FromException<IActorRef>(new InvalidOperationException(
            $"no region of the trial shard's node {shardId} is registered; the allocation is tried again"));
    }

    public Task<IImmutableSet<string>> Rebalance(IImmutableDictionary<IActorRef, IImmutableList<string>> currentShardAllocations, IImmutableSet<string> rebalanceInProgress) =>
        Task.FromResult<IImmutableSet<string>>(ImmutableHashSet<string>.Empty);

    private Address AddressOf(IActorRef region) => region.Path.Address.HasLocalScope ? selfAddress : region.Path.Address;
}
