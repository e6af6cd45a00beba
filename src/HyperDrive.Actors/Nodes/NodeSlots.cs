using System.Collections.Immutable;
using System.Globalization;
using HyperDrive.Core.Placement;

namespace HyperDrive.Actors.Nodes;

/// <summary>
/// A worker node's own slot ledger, the authority on what runs there: a trial actor takes its attempt's lease here
/// before it starts anything, and a lease the node cannot honour (a coordinator placed it on a stale view, or two
/// sweeps raced for the last GPU) is refused, so a 4-GPU node never runs a fifth 1-GPU trial. Thread-safe.
/// </summary>
public sealed class NodeSlots(NodeCapacity capacity)
{
    private readonly Lock _gate = new();
    private SlotLedger _ledger = SlotLedger.Empty;

    /// <summary>Raised (outside the lock) after every change, with the leases held now.</summary>
    public event Action<ImmutableArray<Lease>>? Changed;

    public NodeCapacity Capacity { get; } = capacity;

    public ImmutableArray<Lease> Leases
    {
        get
        {
            lock (_gate)
            {
                return _ledger.Leases;
            }
        }
    }

    /// <summary>Takes <paramref name="lease"/>, or says why not. Taking a lease already held is a no-op that succeeds.</summary>
    public bool TryTake(Lease lease, out string? refusal)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ImmutableArray<Lease> now;
        lock (_gate)
        {
            if (_ledger.Contains(lease.Key))
            {
                refusal = null;
                return true;
            }

            refusal = Refusal(lease, _ledger.Free(Capacity));
            if (refusal is not null)
            {
                return false;
            }

            _ledger = _ledger.Allocate(lease);
            now = _ledger.Leases;
        }

        Changed?.Invoke(now);
        return true;
    }

    public void Release(TrialKey key)
    {
        ImmutableArray<Lease> now;
        lock (_gate)
        {
            if (!_ledger.Contains(key))
            {
                return;
            }

            _ledger = _ledger.Release(key);
            now = _ledger.Leases;
        }

        Changed?.Invoke(now);
    }

    private string? Refusal(Lease lease, NodeFree free)
    {
        if (lease.NodeId != Capacity.NodeId)
        {
            return $"the lease names node {lease.NodeId}, but this is node {Capacity.NodeId}";
        }

        if (free.CpuSlots < 1)
        {
            return string.Create(CultureInfo.InvariantCulture, $"node {Capacity.NodeId} has no free slot (all {Capacity.CpuSlots} in use)");
        }

        foreach (var share in lease.Gpus)
        {
            var gpu = free.Gpus.FirstOrDefault(g => g.Device.Index == share.Index);
            if (gpu is null)
            {
                return string.Create(CultureInfo.InvariantCulture, $"node {Capacity.NodeId} has no GPU {share.Index}");
            }

            if (gpu.Units < share.Units)
            {
                return string.Create(CultureInfo.InvariantCulture,
                    $"GPU {share.Index} on node {Capacity.NodeId} has {GpuUnits.Format(gpu.Units)} free, the trial needs {GpuUnits.Format(share.Units)}");
            }

            if (gpu.MemoryBytes is { } memory && memory < share.MemoryBytes)
            {
                return string.Create(CultureInfo.InvariantCulture,
                    $"GPU {share.Index} on node {Capacity.NodeId} has {memory} bytes of memory free, the trial needs {share.MemoryBytes}");
            }
        }

        return null;
    }
}
