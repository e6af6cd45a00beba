using HyperDrive.Core.Placement;

namespace HyperDrive.Core.Tests.Placement;

/// <summary>Runs trials through the placement rule the way the coordinator will: decide, then allocate what was placed.</summary>
internal static class TestCluster
{
    public const long GB = 1L << 30;

    public static TrialKey Key(int trial, int attempt = 1) => new("sweep", trial, attempt);

    /// <summary>Places trials 1..count with one request; returns every decision and the final ledger.</summary>
    public static (List<PlacementDecision> Decisions, SlotLedger Ledger) Submit(
        PlacementRequest request, int count, IReadOnlyList<NodeCapacity> nodes, SlotLedger? ledger = null, int firstTrial = 1)
    {
        var decisions = new List<PlacementDecision>();
        var current = ledger ?? SlotLedger.Empty;
        for (var trial = firstTrial; trial < firstTrial + count; trial++)
        {
            var decision = PlacementRule.Decide(request, nodes, current, PlacementOptions.Cluster);
            decisions.Add(decision);
            current = decision switch
            {
                Placed p => current.Allocate(p.LeaseFor(Key(trial))),
                OnCpu c => current.Allocate(c.LeaseFor(Key(trial))),
                _ => current,
            };
        }

        return (decisions, current);
    }
}
