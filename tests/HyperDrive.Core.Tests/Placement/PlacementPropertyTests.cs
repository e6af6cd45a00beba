using FsCheck.Xunit;
using HyperDrive.Core.Placement;
using static HyperDrive.Core.Tests.Placement.TestCluster;

namespace HyperDrive.Core.Tests.Placement;

/// <summary>
/// Random clusters and random sequences of requests and releases: whatever the rule decides, the leases it grants
/// never exceed a GPU, its memory or a node's CPU slots, and Wait / Impossible are told apart by an idle cluster.
/// </summary>
public sealed class PlacementPropertyTests
{
    private static readonly double[] GpuChoices = [0, 0.1, 0.25, 1.0 / 3, 0.5, 0.7, 1, 1, 2, 3, 4, 1.5];
    private static readonly long?[] MemoryChoices = [null, null, 8 * GB, 24 * GB, 40 * GB, 80 * GB];
    private static readonly long?[] GpuSizes = [16 * GB, 24 * GB, 80 * GB, null];

    private static List<NodeCapacity> Cluster(byte[] shapes) =>
        [.. shapes.Take(4).Select((b, i) => NodeCapacity.ForTests(
            "n" + i, gpus: b % 5, cpuSlots: b / 5 % 6, gpuMemoryBytes: GpuSizes[b / 30 % GpuSizes.Length]))];

    [Property(MaxTest = 300)]
    public bool Granted_leases_should_never_exceed_any_gpu_memory_or_cpu_slot_when_requests_and_releases_are_random(
        byte[] shapes, byte[] operations, bool embedded)
    {
        var nodes = Cluster(shapes);
        var options = new PlacementOptions(embedded);
        var ledger = SlotLedger.Empty;
        var trial = 0;
        foreach (var op in operations)
        {
            if (op % 4 == 3 && ledger.Count > 0)
            {
                ledger = ledger.Release(ledger.Leases[op % ledger.Count].Key);
                continue;
            }

            var request = new PlacementRequest(GpuChoices[op % GpuChoices.Length], MemoryChoices[op / 16 % MemoryChoices.Length]);
            var decision = PlacementRule.Decide(request, nodes, ledger, options);
            var lease = decision switch
            {
                Placed p => p.LeaseFor(Key(++trial)),
                OnCpu c => c.LeaseFor(Key(++trial)),
                _ => null,
            };
            if (lease is not null)
            {
                ledger = ledger.Allocate(lease);
            }

            if (!WithinCapacity(nodes, ledger))
            {
                return false;
            }
        }

        return true;
    }

    [Property(MaxTest = 300)]
    public bool Wait_should_mean_an_idle_cluster_places_it_and_Impossible_should_not_depend_on_the_ledger(
        byte[] shapes, byte[] operations, byte probe)
    {
        var nodes = Cluster(shapes);
        var (_, ledger) = Submit(new PlacementRequest(GpuChoices[probe % 7]), operations.Length % 12, nodes);
        var request = new PlacementRequest(GpuChoices[probe % GpuChoices.Length], MemoryChoices[probe / 16 % MemoryChoices.Length]);

        var busy = PlacementRule.Decide(request, nodes, ledger, PlacementOptions.Cluster);
        var idle = PlacementRule.Decide(request, nodes, SlotLedger.Empty, PlacementOptions.Cluster);

        return busy switch
        {
            Wait => nodes.Count == 0 || idle is Placed,
            Impossible => idle is Impossible,
            _ => true,
        } && (idle is not Impossible || busy is Impossible);
    }

    // Recomputed from the leases themselves, not through SlotLedger.Free (which clamps at zero).
    private static bool WithinCapacity(List<NodeCapacity> nodes, SlotLedger ledger)
    {
        foreach (var node in nodes)
        {
            var leases = ledger.Leases.Where(l => l.NodeId == node.NodeId).ToList();
            if (leases.Count > node.CpuSlots)
            {
                return false;
            }

            foreach (var gpu in node.Gpus)
            {
                var shares = leases.SelectMany(l => l.Gpus).Where(s => s.Index == gpu.Index).ToList();
                if (shares.Sum(s => s.Units) > 1000 || (gpu.MemoryBytes is { } total && shares.Sum(s => s.MemoryBytes) > total))
                {
                    return false;
                }
            }

            if (leases.SelectMany(l => l.Gpus).Any(s => node.Gpus.All(g => g.Index != s.Index)))
            {
                return false;
            }
        }

        return ledger.Leases.All(l => nodes.Any(n => n.NodeId == l.NodeId));
    }
}
