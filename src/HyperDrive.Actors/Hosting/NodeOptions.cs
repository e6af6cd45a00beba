using System.Collections.Immutable;
using HyperDrive.Core.Placement;

namespace HyperDrive.Actors.Hosting;

/// <summary>How a node starts: its mode (HOCON layer), roles, address, seed nodes, journal and capacity.</summary>
public sealed record NodeOptions
{
    public const string Coordinator = "coordinator";
    public const string Worker = "worker";
    public const string Api = "api";

    /// <summary>The data folder: trial folders, the node's log and (without PostgreSQL) the SQLite journal.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>The HOCON mode layer: <c>embedded</c>, <c>seed</c> or <c>worker</c>.</summary>
    public string Mode { get; init; } = "embedded";

    public ImmutableArray<string> Roles { get; init; } = [Coordinator, Worker, Api];

    /// <summary>The address the node binds and others reach it on (loopback by default).</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>The cluster port (0 picks a free one).</summary>
    public int Port { get; init; }

    /// <summary>Seed nodes' addresses (<c>akka.tcp://hyperdrive@HOST:PORT</c>); empty: the node is a cluster of its own.</summary>
    public ImmutableArray<string> SeedNodes { get; init; } = [];

    /// <summary>The PostgreSQL journal's connection string; null keeps the SQLite journal in the data folder.</summary>
    public string? Postgres { get; init; }

    /// <summary>The SQLite journal file when there is no PostgreSQL (nodes of one machine share it); null: journal.db in the data folder.</summary>
    public string? SqliteJournal { get; init; }

    /// <summary>GPUs to announce instead of asking nvidia-smi (tests and CPU clusters); null asks nvidia-smi.</summary>
    public int? Gpus { get; init; }

    /// <summary>Trials this worker runs at once; null: one per core (embedded: unbounded, max_concurrent_trials rules).</summary>
    public int? CpuSlots { get; init; }

    /// <summary>Restart every sweep that was running when the node starts (long-lived nodes).</summary>
    public bool RememberSweeps { get; init; }

    /// <summary>Whether a GPU trial may run on the CPU when no node has a GPU (embedded: yes; cluster: no).</summary>
    public PlacementOptions Placement { get; init; } = PlacementOptions.Embedded;

    /// <summary>HOCON overrides (the command line's <c>--config</c>), above every layer.</summary>
    public string ExtraHocon { get; init; } = "";

    /// <summary>Akka's log file; null: <c>node.log</c> in the data folder.</summary>
    public string? LogFile { get; init; }

    public bool Has(string role) => Roles.Contains(role);
}
