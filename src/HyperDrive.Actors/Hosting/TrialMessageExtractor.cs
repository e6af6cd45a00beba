using Akka.Cluster.Sharding;

namespace HyperDrive.Actors.Hosting;

/// <summary>
/// Routes <see cref="IWithTrialId"/> messages to the trial's actor (entity id = <c>SWEEP/N</c>) in the shard of the
/// node its attempt was placed on (shard id = node id), which <see cref="NodeShardAllocationStrategy"/> puts on
/// that node: the coordinator's placement decides where a trial runs, not the shard's hash.
/// </summary>
public sealed class TrialMessageExtractor : IMessageExtractor
{
    /// <summary>The shard of messages that name no node (tests that run without placement).</summary>
    public const string UnplacedShard = "unplaced";

    public static string EntityIdOf(string sweepId, int trialNumber) =>
        sweepId + "/" + trialNumber.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public string? EntityId(object message) => message switch
    {
        IWithTrialId m => EntityIdOf(m.SweepId, m.TrialNumber),
        _ => null,
    };

    public object? EntityMessage(object message) => message;

    public string? ShardId(object message) => message switch
    {
        IWithTrialId { Node: { Length: > 0 } node } => node,
        IWithTrialId => UnplacedShard,
        _ => null,
    };

    public string ShardId(string entityId, object? messageHint = null) =>
        messageHint is null ? UnplacedShard : ShardId(messageHint) ?? UnplacedShard;
}
