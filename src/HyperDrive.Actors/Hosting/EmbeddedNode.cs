using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using HyperDrive.Actors.Sweeps;
using HyperDrive.Actors.Trials;
using HyperDrive.Core.Placement;
using HyperDrive.Training.Devices;

namespace HyperDrive.Actors.Hosting;

/// <summary>
/// The embedded mode: one process is a one-node cluster with every role, the <c>sweep</c> and <c>trial</c>
/// sharding regions and the SQLite journal under the data folder — the same actors and message flow as a cluster.
/// </summary>
public sealed class EmbeddedNode : IAsyncDisposable
{
    private readonly AttemptRegistry _attempts;

    private EmbeddedNode(ActorSystem system, IActorRef sweeps, IActorRef trials, string dataDirectory, AttemptRegistry attempts, NodeCapacity capacity, string? gpuWarning)
    {
        _attempts = attempts;
        Capacity = capacity;
        GpuWarning = gpuWarning;
        System = system;
        Sweeps = sweeps;
        Trials = trials;
        DataDirectory = dataDirectory;
    }

    public ActorSystem System { get; }

    /// <summary>The <c>sweep</c> region: send it <see cref="IWithSweepId"/> messages.</summary>
    public IActorRef Sweeps { get; }

    public IActorRef Trials { get; }

    public string DataDirectory { get; }

    /// <summary>What this node offers trials: the GPUs nvidia-smi reports, and one CPU slot per core.</summary>
    public NodeCapacity Capacity { get; }

    /// <summary>Why GPUs could not be read (null when nvidia-smi answered or is absent).</summary>
    public string? GpuWarning { get; }

    /// <summary>The SQLite journal file of a data folder.</summary>
    public static string JournalPath(string dataDirectory) => Path.Combine(dataDirectory, "journal.db");

    /// <summary>Starts the node and waits until it is Up with both regions started.</summary>
    /// <param name="rememberSweeps">
    /// Restart every sweep that was running when the node starts (a long-lived node). The console's embedded
    /// mode passes false: a sweep resumes only when asked to (<c>hyperdrive resume</c>).
    /// </param>
    public static async Task<EmbeddedNode> StartAsync(
        string dataDirectory,
        ITrialRunnerFactory runners,
        bool rememberSweeps = false,
        string extraHocon = "",
        CancellationToken cancellationToken = default)
    {
        var data = Path.GetFullPath(dataDirectory);
        Directory.CreateDirectory(data);
        UseWriteAheadLog(JournalPath(data));
        var overrides = extraHocon + "\n" + HoconLayers.SqliteFile(JournalPath(data))
            + $"hyperdrive.log-file = \"{Path.Combine(data, "node.log").Replace("\\", "\\\\", StringComparison.Ordinal)}\"\n";
        var config = HoconLayers.Compose(overrides, "sqlite", "embedded", "base").WithFallback(ClusterSharding.DefaultConfig());
        var system = ActorSystem.Create("hyperdrive", config);
        try
        {
            var cluster = Cluster.Get(system);
            var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            cluster.RegisterOnMemberUp(() => up.TrySetResult());
            await cluster.JoinAsync(cluster.SelfAddress, cancellationToken);
            await up.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);

            var node = cluster.SelfAddress.ToString();
            var gpus = GpuDiscovery.Discover();
            var capacity = new NodeCapacity(node, gpus.Gpus, Environment.ProcessorCount);

            // Trials are bounded by max_concurrent_trials here, not by cores (a zero-cost or I/O-bound trial may
            // run many per core): the placement ledger sees unbounded CPU slots and the GPUs nvidia-smi reported.
            var settings = new CoordinatorSettings
            {
                DataDirectory = data,
                Node = node,
                Nodes = [new NodeCapacity(node, gpus.Gpus, int.MaxValue / 2)],
                Placement = PlacementOptions.Embedded,
            };
            var attempts = new AttemptRegistry();
            var sharding = ClusterSharding.Get(system);
            IActorRef? sweepRegion = null;
            var trialRegion = await sharding.StartAsync(
                "trial",
                _ => TrialActor.Props(runners, sweepRegion!, node, attempts),
                ClusterShardingSettings.Create(system).WithRole("worker").WithRememberEntities(false),
                new TrialMessageExtractor());
            sweepRegion = await sharding.StartAsync(
                "sweep",
                sweepId => SweepCoordinator.Props(sweepId, trialRegion, settings),
                ClusterShardingSettings.Create(system).WithRole("coordinator").WithRememberEntities(rememberSweeps),
                new SweepMessageExtractor());
            return new EmbeddedNode(system, sweepRegion, trialRegion, data, attempts, capacity, gpus.Error);
        }
        catch
        {
            await system.Terminate();
            throw;
        }
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
