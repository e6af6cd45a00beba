using System.Collections.Immutable;
using Akka.Actor;
using HyperDrive.Actors.Hosting;
using HyperDrive.Core.Placement;

namespace HyperDrive.Actors.Tests.Cluster;

/// <summary>
/// Several HyperDrive nodes (actor systems) in one process, joined into one cluster over loopback TCP on free
/// ports, sharing one SQLite journal: coordinator nodes and worker nodes with the capacity a spec gives them.
/// </summary>
internal sealed class ClusterSimulation : IAsyncDisposable
{
    private readonly List<HyperDriveNode> _nodes = [];

    public ClusterSimulation(ClusterRecorder recorder)
    {
        Recorder = recorder;
        Directory = Path.Combine(Path.GetTempPath(), "hyperdrive-cluster-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(Directory);
    }

    public ClusterRecorder Recorder { get; }

    public string Directory { get; }

    public Address? SeedAddress { get; private set; }

    /// <summary>Starts a coordinator node (the first one is the cluster's seed).</summary>
    public Task<HyperDriveNode> StartCoordinatorAsync(string name) =>
        StartAsync(name, [NodeOptions.Coordinator, NodeOptions.Api], gpus: 0, cpuSlots: 0);

    public Task<HyperDriveNode> StartWorkerAsync(string name, int cpuSlots, int gpus = 0) =>
        StartAsync(name, [NodeOptions.Worker], gpus, cpuSlots);

    private async Task<HyperDriveNode> StartAsync(string name, ImmutableArray<string> roles, int gpus, int cpuSlots)
    {
        var options = new NodeOptions
        {
            DataDirectory = Directory,
            Mode = roles.Contains(NodeOptions.Coordinator) ? "seed" : "worker",
            Roles = roles,
            SeedNodes = SeedAddress is null ? [] : [SeedAddress.ToString()],
            Gpus = gpus,
            CpuSlots = cpuSlots,
            RememberSweeps = true,
            Placement = PlacementOptions.Cluster,
            LogFile = Path.Combine(Directory, name + ".log"),

            // Every simulation downs or leaves nodes explicitly; a long pause keeps a loaded 2-core machine's GC or
            // thread-pool stalls from marking a live node unreachable (which re-places its trials as new attempts).
            ExtraHocon = "akka.cluster.failure-detector.acceptable-heartbeat-pause = 8s",
        };
        HyperDriveNode? node = null;
        var runner = new LateRunner();
        node = await HyperDriveNode.StartAsync(options, runner);
        runner.Inner = new GatedRunner(node.NodeId, Recorder);
        SeedAddress ??= Akka.Cluster.Cluster.Get(node.System).SelfAddress;
        _nodes.Add(node);
        return node;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Enumerable.Reverse(_nodes))
        {
            if (!node.System.WhenTerminated.IsCompleted)
            {
                await node.DisposeAsync();
            }
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may hold the file a moment longer; the OS cleans temp.
        }
    }

    /// <summary>The node's id is known only once it is up; its runner is bound to it then.</summary>
    private sealed class LateRunner : Actors.Trials.ITrialRunnerFactory
    {
        public GatedRunner? Inner { get; set; }

        public Training.Runners.ITrialRunner? For(Core.Specs.TrialSpec trial, out string? error) =>
            Inner!.For(trial, out error);
    }
}
