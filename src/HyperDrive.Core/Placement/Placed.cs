using System.Collections.Immutable;

namespace HyperDrive.Core.Placement;

/// <summary>
/// Run the trial on <paramref name="NodeId"/> with the GPU shares in <paramref name="Gpus"/> (ordered by index;
/// empty for a CPU trial) and one CPU slot.
/// </summary>
public sealed record Placed(string NodeId, ImmutableArray<GpuShare> Gpus) : PlacementDecision
{
    /// <summary>The devices to put in <c>CUDA_VISIBLE_DEVICES</c>, in index order.</summary>
    public ImmutableArray<int> GpuIndices => [.. Gpus.Select(g => g.Index)];

    public Lease LeaseFor(TrialKey key) => new(key, NodeId, Gpus);
}
