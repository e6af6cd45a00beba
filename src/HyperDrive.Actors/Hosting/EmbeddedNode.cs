using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using HyperDrive.Actors.Sweeps;
using HyperDrive.Actors.Trials;

namespace HyperDrive.Actors.Hosting;

/// <summary>
/// The embedded mode: one process is a one-node cluster with every role, the <c>sweep</c> and <c>trial</c>
/// sharding regions and the SQLite journal under the data folder — the same actors and message flow as a cluster.
/// </summary>
public sealed class EmbeddedNode : IAsyncDisposable
{
    private EmbeddedNode(ActorSystem system, IActorRef sweeps, IActorRef trials, string dataDirectory)
    {
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

    /// <summary>The SQLite journal file of a data folder.</summary>
    public static string JournalPath(string dataDirectory) => Path.Combine(dataDirectory, "journal.db");

    /// <summary>Starts the node and waits until it is Up with both regions started.</summary>
    public static async Task<EmbeddedNode> StartAsync(string dataDirectory, ITrialRunnerFactory runners, string extraHocon = "", CancellationToken cancellationToken = default)
    {
        var data = Path.GetFullPath(dataDirectory);
        Directory.CreateDirectory(data);
        var connection = "Data Source=" + JournalPath(data).Replace("\"", "\\\"", StringComparison.Ordinal);
        var overrides = extraHocon + "\n" +
            $"akka.persistence.journal.sql.connection-string = \"{connection}\"\n" +
            $"akka.persistence.snapshot-store.sql.connection-string = \"{connection}\"\n";
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
            var settings = new CoordinatorSettings { DataDirectory = data, Node = node };
            var sharding = ClusterSharding.Get(system);
            IActorRef? sweepRegion = null;
            var trialRegion = await sharding.StartAsync(
                "trial",
                _ => TrialActor.Props(runners, sweepRegion!, node),
                ClusterShardingSettings.Create(system).WithRole("worker").WithRememberEntities(false),
                new TrialMessageExtractor());
            sweepRegion = await sharding.StartAsync(
                "sweep",
                sweepId => SweepCoordinator.Props(sweepId, trialRegion, settings),
                ClusterShardingSettings.Create(system).WithRole("coordinator").WithRememberEntities(true),
                new SweepMessageExtractor());
            return new EmbeddedNode(system, sweepRegion, trialRegion, data);
        }
        catch
        {
            await system.Terminate();
            throw;
        }
    }

    /// <summary>Leaves the cluster gracefully (running trials are stopped by their actors' PostStop).</summary>
    public async ValueTask DisposeAsync()
    {
        await CoordinatedShutdown.Get(System).Run(CoordinatedShutdown.ClrExitReason.Instance);
        await System.WhenTerminated;
    }
}
