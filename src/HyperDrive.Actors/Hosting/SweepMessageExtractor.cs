using Akka.Cluster.Sharding;

namespace HyperDrive.Actors.Hosting;

/// <summary>Routes <see cref="IWithSweepId"/> messages to the sweep's coordinator (entity id = sweep id).</summary>
public sealed class SweepMessageExtractor() : HashCodeMessageExtractor(ShardCounts.Sweeps)
{
    public override string? EntityId(object message) => message switch
    {
        IWithSweepId m => m.SweepId,
        _ => null,
    };
}
