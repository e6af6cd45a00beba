using System.Collections.Immutable;

namespace HyperDrive.Core.Placement;

/// <summary>What is free on one node under a ledger: CPU slots and, per GPU (by index), units and memory.</summary>
public sealed record NodeFree(NodeCapacity Node, int CpuSlots, ImmutableArray<GpuFree> Gpus)
{
    public int WhollyFreeGpus => Gpus.Count(g => g.IsWhollyFree);
}
