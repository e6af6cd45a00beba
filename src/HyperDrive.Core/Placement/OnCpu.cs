namespace HyperDrive.Core.Placement;

/// <summary>
/// Run a trial that asked for GPUs on <paramref name="NodeId"/>'s CPU (one CPU slot, no GPU visible), because no
/// live node has a GPU and CPU fallback is allowed; <paramref name="Warning"/> is for the trial's log.
/// </summary>
public sealed record OnCpu(string NodeId, string Warning) : PlacementDecision
{
    public Lease LeaseFor(TrialKey key) => new(key, NodeId, []);
}
