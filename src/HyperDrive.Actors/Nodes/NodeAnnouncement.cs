using System.Collections.Immutable;
using HyperDrive.Core.Placement;

namespace HyperDrive.Actors.Nodes;

/// <summary>
/// What a worker node tells the cluster through distributed data: its capacity (GPUs with memory, CPU slots) and
/// the leases its trials hold now. Coordinators place trials on this view; the worker's own ledger has the last word.
/// <paramref name="Draining"/>: the node is leaving (SIGTERM, Ctrl-C): coordinators move its trials elsewhere now.
/// </summary>
public sealed record NodeAnnouncement(string NodeId, ImmutableArray<GpuDevice> Gpus, int CpuSlots, ImmutableArray<Lease> Leases, bool Draining = false) : IHyperDriveMessage
{
    [System.Text.Json.Serialization.JsonIgnore]
    public NodeCapacity Capacity => new(NodeId, Gpus, CpuSlots);
}
