using System.Collections.Immutable;
using HyperDrive.Core.Placement;

namespace HyperDrive.Actors.Sweeps;

/// <summary>Settings of every sweep coordinator on a node.</summary>
public sealed record CoordinatorSettings
{
    /// <summary>The data folder (journal, trial folders): <c>./.hyperdrive</c> by default.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>The node trials are placed on (embedded mode: this node).</summary>
    public string Node { get; init; } = "local";

    /// <summary>Trials run at once when the sweep file gives no max_concurrent_trials.</summary>
    public int DefaultConcurrency { get; init; } = Math.Max(1, Environment.ProcessorCount);

    /// <summary>max_total_trials when the file gives none (Azure's default).</summary>
    public int DefaultMaxTotalTrials { get; init; } = 1000;

    /// <summary>How often a trial is restarted after its process or node was lost.</summary>
    public int InfrastructureRetryLimit { get; init; } = 3;

    /// <summary>A snapshot is saved every this many events.</summary>
    public int SnapshotEvery { get; init; } = 1000;

    /// <summary>
    /// At most one snapshot per this interval: a snapshot holds every trial's history, so on a sweep that reports
    /// thousands of intervals a second, snapshotting every 1,000 events would write the growing history again and again.
    /// </summary>
    public TimeSpan SnapshotMinInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The nodes trials are placed on, with their capacity; empty turns placement off (every trial runs on
    /// <see cref="Node"/> with no GPU bookkeeping).
    /// </summary>
    public ImmutableArray<NodeCapacity> Nodes { get; init; } = [];

    /// <summary>
    /// The node's <see cref="Nodes.NodeDirectory"/> (cluster and embedded nodes): the live worker nodes and their
    /// leases come from it when <see cref="Nodes"/> is empty. Null with empty <see cref="Nodes"/> turns placement off.
    /// </summary>
    public Akka.Actor.IActorRef? NodeDirectory { get; init; }

    /// <summary>
    /// After a recovery, ask the trial actors about the attempts that were running (<c>ProbeAttempt</c>) and keep those
    /// that still run, instead of restarting every one as a new attempt. Nodes set it; local specs leave it off.
    /// </summary>
    public bool ReattachOnRecovery { get; init; }

    /// <summary>How long a recovered coordinator waits for a probed attempt's answer before restarting it.</summary>
    public TimeSpan ProbeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Whether a GPU trial may run on the CPU when no node has a GPU (embedded mode: yes).</summary>
    public PlacementOptions Placement { get; init; } = PlacementOptions.Embedded;

    /// <summary>How long a sweep with <c>resume_from</c> waits for the journal to give back the earlier sweeps.</summary>
    public TimeSpan ParentReadTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The clock events are stamped with.</summary>
    public Func<DateTimeOffset> Clock { get; init; } = () => DateTimeOffset.UtcNow;
}
