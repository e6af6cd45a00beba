namespace HyperDrive.Actors.Hosting;

/// <summary>
/// Shard counts: about ten times the largest expected node count, and never changed once a cluster has
/// persisted state (a different count moves entities between shards).
/// </summary>
public static class ShardCounts
{
    public const int Sweeps = 100;

    public const int Trials = 100;
}
