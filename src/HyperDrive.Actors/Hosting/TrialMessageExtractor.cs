using Akka.Cluster.Sharding;

namespace HyperDrive.Actors.Hosting;

/// <summary>Routes <see cref="IWithTrialId"/> messages to the trial's actor (entity id = <c>SWEEP/N</c>).</summary>
public sealed class TrialMessageExtractor() : HashCodeMessageExtractor(ShardCounts.Trials)
{
    public static string EntityIdOf(string sweepId, int trialNumber) =>
        sweepId + "/" + trialNumber.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public override string? EntityId(object message) => message switch
    {
        IWithTrialId m => EntityIdOf(m.SweepId, m.TrialNumber),
        _ => null,
    };
}
