using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;

namespace HyperDrive.Core.Placement;

/// <summary>
/// The leases held in the cluster, keyed by trial attempt. Immutable: <see cref="Allocate"/> and
/// <see cref="Release"/> return a new ledger. The ledger does not check capacity (that is
/// <see cref="PlacementRule.Decide"/>'s job); it refuses a second lease under the same key, and releasing
/// a key it does not hold changes nothing, so a repeated release is harmless.
/// </summary>
public sealed class SlotLedger
{
    public static readonly SlotLedger Empty = new(ImmutableDictionary<TrialKey, Lease>.Empty);

    private readonly ImmutableDictionary<TrialKey, Lease> _leases;

    private SlotLedger(ImmutableDictionary<TrialKey, Lease> leases) => _leases = leases;

    public int Count => _leases.Count;

    /// <summary>The leases, ordered by node, sweep, trial and attempt (never by dictionary order).</summary>
    public ImmutableArray<Lease> Leases =>
        [.. _leases.Values
            .OrderBy(l => l.NodeId, StringComparer.Ordinal)
            .ThenBy(l => l.Key.SweepId, StringComparer.Ordinal)
            .ThenBy(l => l.Key.TrialNumber)
            .ThenBy(l => l.Key.Attempt)];

    public bool Contains(TrialKey key) => _leases.ContainsKey(key);

    public Lease? Find(TrialKey key) => _leases.GetValueOrDefault(key);

    /// <summary>The leases held on one node, in <see cref="Leases"/> order (to re-place when the node leaves).</summary>
    public ImmutableArray<Lease> LeasesOn(string nodeId) => [.. Leases.Where(l => l.NodeId == nodeId)];

    /// <summary>The ledger with <paramref name="lease"/> added, or false when its key already holds a lease.</summary>
    public bool TryAllocate(Lease lease, [NotNullWhen(true)] out SlotLedger? ledger)
    {
        ArgumentNullException.ThrowIfNull(lease);
        if (_leases.ContainsKey(lease.Key))
        {
            ledger = null;
            return false;
        }

        ledger = new SlotLedger(_leases.Add(lease.Key, lease));
        return true;
    }

    /// <summary>The ledger with <paramref name="lease"/> added.</summary>
    /// <exception cref="InvalidOperationException">The key already holds a lease (a double allocation).</exception>
    public SlotLedger Allocate(Lease lease)
    {
        ArgumentNullException.ThrowIfNull(lease);
        return TryAllocate(lease, out var ledger)
            ? ledger
            : throw new InvalidOperationException($"trial {lease.Key} already holds a lease on node {_leases[lease.Key].NodeId}");
    }

    /// <summary>The ledger without the lease of <paramref name="key"/>; this ledger when it holds none.</summary>
    public SlotLedger Release(TrialKey key) => _leases.ContainsKey(key) ? new SlotLedger(_leases.Remove(key)) : this;

    /// <summary>What is free on <paramref name="node"/>: its capacity less the leases held on it (never below 0).</summary>
    public NodeFree Free(NodeCapacity node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var cpuUsed = 0;
        var units = new Dictionary<int, long>();
        var memory = new Dictionary<int, long>();
        foreach (var lease in _leases.Values)
        {
            if (lease.NodeId != node.NodeId)
            {
                continue;
            }

            cpuUsed++;
            foreach (var share in lease.Gpus)
            {
                units[share.Index] = units.GetValueOrDefault(share.Index) + share.Units;
                memory[share.Index] = memory.GetValueOrDefault(share.Index) + share.MemoryBytes;
            }
        }

        var gpus = node.Gpus.Select(g => new GpuFree(
            g,
            (int)Math.Max(0, GpuUnits.PerGpu - units.GetValueOrDefault(g.Index)),
            g.MemoryBytes is { } total ? Math.Max(0, total - memory.GetValueOrDefault(g.Index)) : null));
        return new NodeFree(node, Math.Max(0, node.CpuSlots - cpuUsed), [.. gpus]);
    }
}
