using Akka;
using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using System.Collections.Immutable;
using HyperDrive.Actors.Artifacts;
using HyperDrive.Actors.Models;
using HyperDrive.Actors.Nodes;
using HyperDrive.Actors.Sweeps;
using HyperDrive.Actors.Trials;
using HyperDrive.Core.Placement;
using HyperDrive.Training.Devices;

namespace HyperDrive.Actors.Hosting;

/// <summary>
/// A HyperDrive node: a cluster member with some of the roles <c>coordinator</c> (the <c>sweep</c> region and the
/// <see cref="NodeDirectory"/>), <c>worker</c> (the <c>trial</c> region, its <see cref="NodeSlots"/> and
/// <see cref="CapacityAnnouncer"/>) and <c>api</c>. The embedded mode is a one-node cluster with every role, so the
/// same actors and message flow run on a laptop and on a cluster.
/// </summary>
public sealed class HyperDriveNode : IAsyncDisposable
{
    private readonly AttemptRegistry _attempts;

    private HyperDriveNode(ActorSystem system, NodeOptions options, IActorRef sweeps, IActorRef trials, AttemptRegistry attempts, NodeCapacity capacity, string? gpuWarning, IActorRef? directory, IArtifactStore artifacts)
    {
        Artifacts = artifacts;
        _attempts = attempts;
        Options = options;
        Capacity = capacity;
        GpuWarning = gpuWarning;
        System = system;
        Sweeps = sweeps;
        Trials = trials;
        Directory = directory;
        DataDirectory = options.DataDirectory;
        NodeId = NodeIds.Of(Cluster.Get(system).SelfAddress);
    }

    public ActorSystem System { get; }

    public NodeOptions Options { get; }

    /// <summary>This node's id (<c>host:port</c>).</summary>
    public string NodeId { get; }

    /// <summary>The <c>sweep</c> region (or its proxy on a worker): send it <see cref="IWithSweepId"/> messages.</summary>
    public IActorRef Sweeps { get; }

    /// <summary>The <c>trial</c> region (or its proxy on a node without the worker role).</summary>
    public IActorRef Trials { get; }

    /// <summary>The node directory on a coordinator node; null elsewhere.</summary>
    public IActorRef? Directory { get; }

    public string DataDirectory { get; }

    /// <summary>
    /// Code snapshots, checkpoints, outputs and logs: a folder under the data folder in embedded mode, the journal's
    /// database on a cluster (so a worker needs no shared file system and the database stays the only stateful service).
    /// </summary>
    public IArtifactStore Artifacts { get; }

    /// <summary>What this node offers trials (a worker): its GPUs and CPU slots.</summary>
    public NodeCapacity Capacity { get; }

    /// <summary>Why GPUs could not be read (null when nvidia-smi answered or is absent).</summary>
    public string? GpuWarning { get; }

    /// <summary>The SQLite journal file of a data folder.</summary>
    public static string JournalPath(string dataDirectory) => Path.Combine(dataDirectory, "journal.db");

    /// <summary>The embedded mode: one process, every role, the SQLite journal in the data folder.</summary>
    /// <param name="rememberSweeps">
    /// Restart every sweep that was running when the node starts (a long-lived node). The console's embedded
    /// mode passes false: a sweep resumes only when asked to (<c>hyperdrive resume</c>).
    /// </param>
    public static Task<HyperDriveNode> StartEmbeddedAsync(
        string dataDirectory,
        ITrialRunnerFactory runners,
        bool rememberSweeps = false,
        string extraHocon = "",
        CancellationToken cancellationToken = default) =>
        StartAsync(new NodeOptions { DataDirectory = dataDirectory, RememberSweeps = rememberSweeps, ExtraHocon = extraHocon }, runners, cancellationToken);

    /// <summary>Starts a node and waits until it is Up with its regions started.</summary>
    public static async Task<HyperDriveNode> StartAsync(NodeOptions options, ITrialRunnerFactory runners, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var data = Path.GetFullPath(options.DataDirectory);
        options = options with { DataDirectory = data };
        global::System.IO.Directory.CreateDirectory(data);
        var persistence = options.Postgres is null ? "sqlite" : "postgres";
        if (options.Postgres is null)
        {
            UseWriteAheadLog(SqliteJournalOf(options));
        }

        var overrides = options.ExtraHocon + "\n"
            + (options.Postgres is null ? HoconLayers.SqliteFile(SqliteJournalOf(options)) : HoconLayers.PostgresConnection(options.Postgres))
            + HoconLayers.Node(options.Host, options.Port, options.Roles)
            + $"hyperdrive.log-file = {HoconLayers.Quote(options.LogFile ?? Path.Combine(data, "node.log"))}\n";
        var config = HoconLayers.Compose(overrides, persistence, options.Mode, "base").WithFallback(ClusterSharding.DefaultConfig());
        var system = ActorSystem.Create("hyperdrive", config);
        try
        {
            var cluster = Cluster.Get(system);
            var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            cluster.RegisterOnMemberUp(() => up.TrySetResult());
            var seeds = options.SeedNodes.IsDefaultOrEmpty
                ? [cluster.SelfAddress]
                : options.SeedNodes.Select(Address.Parse).ToList();
            await cluster.JoinSeedNodesAsync(seeds, cancellationToken);
            await up.Task.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);

            var node = NodeIds.Of(cluster.SelfAddress);
            var (capacity, gpuWarning) = CapacityOf(node, options);
            var artifacts = ArtifactStoreOf(options, ArtifactLimits.FromConfig(system.Settings.Config));
            var attempts = new AttemptRegistry();
            var sharding = ClusterSharding.Get(system);
            var trialExtractor = new TrialMessageExtractor();
            var sweepExtractor = new SweepMessageExtractor();

            IActorRef? directory = null;
            if (options.Has(NodeOptions.Coordinator))
            {
                directory = system.ActorOf(NodeDirectory.Props(), "nodes");
                if (options.Mode != "embedded")
                {
                    // The embedded engine registers from the console session, where the user sees the outcome.
                    system.ActorOf(ModelRegistrar.Props(new ModelRegistry(data, artifacts)), "models");
                }
            }

            // The trial region's entities tell their sweep through the sweep region, which exists only after it.
            IActorRef? sweepRegion = null;
            var sweepsLater = new SweepRegionReference();
            IActorRef trialRegion;
            if (options.Has(NodeOptions.Worker))
            {
                var slots = new NodeSlots(capacity);
                var announcer = system.ActorOf(CapacityAnnouncer.Props(slots), "capacity");

                // A graceful leave hands the trials over first: coordinators move them as soon as they read this.
                // (The embedded node stops with its sweeps: its trials restart when the sweep resumes.)
                if (options.Mode != "embedded")
                {
                    CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseBeforeServiceUnbind, "hyperdrive-drain", async () =>
                    {
                        try
                        {
                            await announcer.Ask<Done>(CapacityAnnouncer.Drain.Instance, TimeSpan.FromSeconds(2));
                        }
                        catch (AskTimeoutException)
                        {
                            // Membership (the node leaving) tells the coordinators anyway.
                        }

                        return Done.Instance;
                    });
                }

                trialRegion = await sharding.StartAsync(
                    "trial",
                    _ => TrialActor.Props(runners, sweepsLater.Region, new TrialNodeContext(node)
                    {
                        DataDirectory = data,
                        Registry = attempts,
                        Slots = slots,
                        Files = new TrialFiles(artifacts),
                    }),
                    ClusterShardingSettings.Create(system).WithRole(NodeOptions.Worker).WithRememberEntities(false),
                    trialExtractor,
                    new NodeShardAllocationStrategy(cluster.SelfAddress),
                    PoisonPill.Instance);
            }
            else
            {
                trialRegion = await sharding.StartProxyAsync("trial", NodeOptions.Worker, trialExtractor);
            }

            if (options.Has(NodeOptions.Worker))
            {
                trialRegion.Tell(new WarmShard(node));
            }

            directory?.Tell(new UseTrialRegion(trialRegion));

            if (options.Has(NodeOptions.Coordinator))
            {
                var settings = new CoordinatorSettings
                {
                    DataDirectory = data,
                    Node = node,
                    NodeDirectory = directory,
                    Placement = options.Placement,
                    ReattachOnRecovery = true,
                };
                sweepRegion = await sharding.StartAsync(
                    "sweep",
                    sweepId => SweepCoordinator.Props(sweepId, trialRegion, settings),
                    ClusterShardingSettings.Create(system).WithRole(NodeOptions.Coordinator).WithRememberEntities(options.RememberSweeps),
                    sweepExtractor);
            }
            else
            {
                sweepRegion = await sharding.StartProxyAsync("sweep", NodeOptions.Coordinator, sweepExtractor);
            }

            sweepsLater.Region = sweepRegion;
            return new HyperDriveNode(system, options, sweepRegion, trialRegion, attempts, capacity, gpuWarning, directory, artifacts);
        }
        catch
        {
            await system.Terminate();
            throw;
        }
    }

    private static IArtifactStore ArtifactStoreOf(NodeOptions options, ArtifactLimits limits) =>
        options.Postgres is { } postgres ? SqlArtifactStore.ForPostgres(postgres, limits)
        : options.Mode == "embedded" ? FileArtifactStore.InDataDirectory(options.DataDirectory, limits)
        : SqlArtifactStore.ForSqlite("Data Source=" + SqliteJournalOf(options), limits);

    private static string SqliteJournalOf(NodeOptions options) => Path.GetFullPath(options.SqliteJournal ?? JournalPath(options.DataDirectory));

    /// <summary>
    /// The embedded node runs as many trials as max_concurrent_trials allows (a zero-cost or I/O-bound trial may run
    /// many per core): unbounded CPU slots. A worker runs <c>--cpu-slots</c> (default one per core).
    /// </summary>
    private static (NodeCapacity Capacity, string? GpuWarning) CapacityOf(string node, NodeOptions options)
    {
        ImmutableArray<GpuDevice> gpus;
        string? warning = null;
        if (options.Gpus is { } count)
        {
            gpus = [.. Enumerable.Range(0, count).Select(i => new GpuDevice(i, "GPU " + i.ToString(global::System.Globalization.CultureInfo.InvariantCulture), null))];
        }
        else
        {
            var found = GpuDiscovery.Discover();
            gpus = found.Gpus;
            warning = found.Error;
        }

        var slots = options.CpuSlots ?? (options.Mode == "embedded" ? int.MaxValue / 2 : Environment.ProcessorCount);
        return (new NodeCapacity(node, gpus, slots), warning);
    }

    /// <summary>The sweep region as seen by trial actors created before it started (it is set right after).</summary>
    private sealed class SweepRegionReference
    {
        public IActorRef Region { get; set; } = ActorRefs.Nobody;
    }

    /// <summary>
    /// Puts the journal file in SQLite's write-ahead-log mode (a property of the file, kept once set): a commit
    /// appends to the log instead of rewriting pages, and readers (status, runs) never block the writer.
    /// Commits stay durable (synchronous = FULL, SQLite's default, is untouched).
    /// </summary>
    public static void UseWriteAheadLog(string journalPath)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=" + journalPath);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL;";
        command.ExecuteNonQuery();
    }

    /// <summary>Trials running on this node now.</summary>
    public int RunningAttempts => _attempts.Count;

    /// <summary>
    /// Leaves the cluster gracefully, then waits until every trial process this node started has ended
    /// (SIGTERM, SIGKILL after the grace period), so nothing outlives the node. Trials stopped this way are
    /// not recorded as ended: the sweep restarts them as new attempts when it resumes.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        await CoordinatedShutdown.Get(System).Run(CoordinatedShutdown.ClrExitReason.Instance);
        await System.WhenTerminated;
        await _attempts.WhenStoppedAsync(TimeSpan.FromSeconds(30));
    }
}
