using HyperDrive.Actors.Artifacts;
using HyperDrive.Actors.Nodes;

namespace HyperDrive.Actors.Trials;

/// <summary>What a node gives its trial actors: its id, data folder, slot ledger, running-attempt registry and artifact store.</summary>
public sealed record TrialNodeContext(string Node)
{
    /// <summary>This node's data folder (trial folders); null uses the one the coordinator sent (local specs).</summary>
    public string? DataDirectory { get; init; }

    public AttemptRegistry? Registry { get; init; }

    /// <summary>The node's own ledger, which refuses leases it cannot honour; null accepts every attempt.</summary>
    public NodeSlots? Slots { get; init; }

    /// <summary>Moves the attempts' files through the artifact store; null keeps them on this node only.</summary>
    public TrialFiles? Files { get; init; }
}
