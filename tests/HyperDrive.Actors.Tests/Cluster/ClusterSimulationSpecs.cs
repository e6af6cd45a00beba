using Akka.Actor;
using Akka.TestKit.Xunit2;
using HyperDrive.Actors.Hosting;
using HyperDrive.Actors.Sweeps;
using HyperDrive.Actors.Tests.Support;
using HyperDrive.Core.History;

namespace HyperDrive.Actors.Tests.Cluster;

/// <summary>
/// Cluster simulations: a coordinator node and worker nodes as separate actor systems in one process, talking over
/// loopback TCP with every message serialized. Node loss is the downing the split-brain resolver does after the
/// failure detector marks a node unreachable (the multi-process test covers a real kill -9).
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterSimulationSpecs : TestKit
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Trials_should_run_only_where_slots_are_free_and_wait_queued_when_the_cluster_is_full()
    {
        await using var cluster = new ClusterSimulation(new ClusterRecorder(TestActor));
        var seed = await cluster.StartCoordinatorAsync("seed");
        var a = await cluster.StartWorkerAsync("a", cpuSlots: 2);
        var b = await cluster.StartWorkerAsync("b", cpuSlots: 2);
        var watcher = CreateTestProbe(seed.System);

        seed.Sweeps.Tell(new SubmitSweep("full", TestSpecs.Fictitious(maxTotal: 6, maxConcurrent: 6), ".", null, 1), watcher);
        watcher.ExpectMsg<SweepAccepted>(Wait);
        var first = Enumerable.Range(0, 4).Select(_ => ExpectMsg<AttemptRunning>(Wait)).ToList();

        Assert.Equal(2, first.Count(r => r.Node == a.NodeId));
        Assert.Equal(2, first.Count(r => r.Node == b.NodeId));
        seed.Sweeps.Tell(new SubscribeToSweep("full", watcher));
        var queued = watcher.FishForMessage<SweepChanged>(c => c.State.Trials.Count(t => t.Status == TrialStatus.Queued) == 2, Wait);
        Assert.Contains("waiting for a free CPU slot", queued.Waiting ?? "", StringComparison.Ordinal);
        ExpectNoMsg(TimeSpan.FromMilliseconds(500));

        var onA = first.First(r => r.Node == a.NodeId);
        cluster.Recorder.Release(onA.Trial);
        var next = ExpectMsg<AttemptRunning>(Wait);
        Assert.Equal(a.NodeId, next.Node);
        Assert.Equal(1, next.Attempt);

        foreach (var trial in Enumerable.Range(1, 6))
        {
            cluster.Recorder.Release(trial);
        }

        var done = watcher.FishForMessage<SweepChanged>(c => c.State.IsEnded, Wait).State;
        Assert.Equal(6, done.Trials.Count(t => t.Status == TrialStatus.Completed));
        Assert.Equal(2, cluster.Recorder.MostAtOnce(a.NodeId));
        Assert.Equal(2, cluster.Recorder.MostAtOnce(b.NodeId));
    }

    [Fact]
    public async Task GPU_trials_should_go_only_to_nodes_with_free_GPUs_with_their_devices_and_never_more_than_the_GPUs()
    {
        await using var cluster = new ClusterSimulation(new ClusterRecorder(TestActor));
        var seed = await cluster.StartCoordinatorAsync("seed");
        var gpuNode = await cluster.StartWorkerAsync("gpu", cpuSlots: 16, gpus: 2);
        await cluster.StartWorkerAsync("cpu", cpuSlots: 16, gpus: 0);
        var watcher = CreateTestProbe(seed.System);
        var spec = TestSpecs.Fictitious(maxTotal: 5, maxConcurrent: 5).Replace("builtin: fictitious", "builtin: fictitious\n  resources: { gpus: 0.5 }", StringComparison.Ordinal);

        seed.Sweeps.Tell(new SubmitSweep("gpus", spec, ".", null, 1), watcher);
        watcher.ExpectMsg<SweepAccepted>(Wait);
        var running = Enumerable.Range(0, 4).Select(_ => ExpectMsg<AttemptRunning>(Wait)).ToList();
        ExpectNoMsg(TimeSpan.FromMilliseconds(500));

        Assert.All(running, r => Assert.Equal(gpuNode.NodeId, r.Node));
        Assert.Equal(["0", "0", "1", "1"], running.Select(r => r.CudaVisibleDevices).Order());
        cluster.Recorder.Release(running[0].Trial);
        var fifth = ExpectMsg<AttemptRunning>(Wait);
        Assert.Equal(running[0].CudaVisibleDevices, fifth.CudaVisibleDevices);
        foreach (var trial in Enumerable.Range(1, 5))
        {
            cluster.Recorder.Release(trial);
        }

        seed.Sweeps.Tell(new SubscribeToSweep("gpus", watcher));
        Assert.Equal(5, watcher.FishForMessage<SweepChanged>(c => c.State.IsEnded, Wait).State.Trials.Count(t => t.Status == TrialStatus.Completed));
        Assert.Equal(4, cluster.Recorder.MostAtOnce(gpuNode.NodeId));
    }

    [Fact]
    public async Task Two_sweeps_should_share_a_node_without_ever_running_more_trials_than_its_slots()
    {
        await using var cluster = new ClusterSimulation(new ClusterRecorder(TestActor));
        var seed = await cluster.StartCoordinatorAsync("seed");
        var worker = await cluster.StartWorkerAsync("one", cpuSlots: 1);
        var watcher = CreateTestProbe(seed.System);

        seed.Sweeps.Tell(new SubmitSweep("left", TestSpecs.Fictitious(maxTotal: 2, maxConcurrent: 2), ".", null, 1), watcher);
        seed.Sweeps.Tell(new SubmitSweep("right", TestSpecs.Fictitious(maxTotal: 2, maxConcurrent: 2), ".", null, 2), watcher);
        watcher.ExpectMsg<SweepAccepted>(Wait);
        watcher.ExpectMsg<SweepAccepted>(Wait);
        for (var i = 0; i < 4; i++)
        {
            var running = ExpectMsg<AttemptRunning>(Wait);
            ExpectNoMsg(TimeSpan.FromMilliseconds(300));
            cluster.Recorder.Release(running.Sweep, running.Trial);
        }

        foreach (var id in new[] { "left", "right" })
        {
            seed.Sweeps.Tell(new SubscribeToSweep(id, watcher));
            Assert.Equal(2, watcher.FishForMessage<SweepChanged>(c => c.State.SweepId == id && c.State.IsEnded, Wait).State.Trials.Count(t => t.Status == TrialStatus.Completed));
        }

        Assert.Equal(1, cluster.Recorder.MostAtOnce(worker.NodeId));
    }

    [Fact]
    public async Task A_request_no_live_node_can_satisfy_should_end_the_sweep_with_a_named_error()
    {
        await using var cluster = new ClusterSimulation(new ClusterRecorder(TestActor));
        var seed = await cluster.StartCoordinatorAsync("seed");
        await cluster.StartWorkerAsync("gpu", cpuSlots: 4, gpus: 1);
        var watcher = CreateTestProbe(seed.System);
        var spec = TestSpecs.Fictitious(maxTotal: 3, maxConcurrent: 3).Replace("builtin: fictitious", "builtin: fictitious\n  resources: { gpus: 2 }", StringComparison.Ordinal);
        seed.Sweeps.Tell(new SubscribeToSweep("never", watcher));
        watcher.ExpectMsg<SweepChanged>(Wait);

        seed.Sweeps.Tell(new SubmitSweep("never", spec, ".", null, 1), watcher);

        var ended = watcher.FishForMessage<SweepChanged>(c => c.State.IsEnded, Wait).State;
        Assert.Contains("2 GPUs", ended.EndReason);
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public async Task Trials_of_a_lost_worker_should_restart_on_another_worker_as_new_attempts_and_count_once()
    {
        await using var cluster = new ClusterSimulation(new ClusterRecorder(TestActor));
        var seed = await cluster.StartCoordinatorAsync("seed");
        var a = await cluster.StartWorkerAsync("a", cpuSlots: 2);
        var b = await cluster.StartWorkerAsync("b", cpuSlots: 2);
        var watcher = CreateTestProbe(seed.System);
        seed.Sweeps.Tell(new SubmitSweep("loss", TestSpecs.Fictitious(maxTotal: 4, maxConcurrent: 4), ".", null, 1), watcher);
        watcher.ExpectMsg<SweepAccepted>(Wait);
        var first = Enumerable.Range(0, 4).Select(_ => ExpectMsg<AttemptRunning>(Wait)).ToList();
        var lostTrials = first.Where(r => r.Node == b.NodeId).Select(r => r.Trial).Order().ToList();

        Akka.Cluster.Cluster.Get(seed.System).Down(Akka.Cluster.Cluster.Get(b.System).SelfAddress);
        seed.Sweeps.Tell(new SubscribeToSweep("loss", watcher));
        watcher.FishForMessage<SweepChanged>(c => lostTrials.All(n => c.State.Trial(n).Status == TrialStatus.Queued), Wait);
        foreach (var onA in first.Where(r => r.Node == a.NodeId))
        {
            cluster.Recorder.Release(onA.Trial);
        }

        var restarted = new[] { ExpectMsg<AttemptRunning>(Wait), ExpectMsg<AttemptRunning>(Wait) };
        Assert.Equal(lostTrials, restarted.Select(r => r.Trial).Order());
        Assert.All(restarted, r => Assert.Equal((a.NodeId, 2), (r.Node, r.Attempt)));
        foreach (var trial in lostTrials)
        {
            cluster.Recorder.Release(trial);
        }

        var done = watcher.FishForMessage<SweepChanged>(c => c.State.IsEnded, Wait).State;
        Assert.Equal([1, 2, 3, 4], done.Trials.Select(t => t.Number));
        Assert.All(done.Trials, t => Assert.Equal(TrialStatus.Completed, t.Status));
        Assert.Equal(lostTrials, done.Trials.Where(t => t.Attempt == 2).Select(t => t.Number));
        Assert.All(done.Trials.Where(t => t.Attempt == 2), t => Assert.Equal(1, t.InfrastructureFailures));
    }

    [Fact]
    public async Task A_worker_that_leaves_gracefully_should_hand_its_trials_over_to_another_worker()
    {
        await using var cluster = new ClusterSimulation(new ClusterRecorder(TestActor));
        var seed = await cluster.StartCoordinatorAsync("seed");
        var a = await cluster.StartWorkerAsync("a", cpuSlots: 2);
        var b = await cluster.StartWorkerAsync("b", cpuSlots: 2);
        var watcher = CreateTestProbe(seed.System);
        seed.Sweeps.Tell(new SubmitSweep("leave", TestSpecs.Fictitious(maxTotal: 2, maxConcurrent: 2), ".", null, 1), watcher);
        watcher.ExpectMsg<SweepAccepted>(Wait);
        var first = new[] { ExpectMsg<AttemptRunning>(Wait), ExpectMsg<AttemptRunning>(Wait) };
        Assert.Single(first.Select(r => r.Node).Distinct());
        var (leaving, staying) = first[0].Node == a.NodeId ? (a, b) : (b, a);

        await leaving.DisposeAsync();

        var moved = new[] { ExpectMsg<AttemptRunning>(Wait), ExpectMsg<AttemptRunning>(Wait) };
        Assert.All(moved, r => Assert.Equal((staying.NodeId, 2), (r.Node, r.Attempt)));
        cluster.Recorder.Release(1);
        cluster.Recorder.Release(2);
        seed.Sweeps.Tell(new SubscribeToSweep("leave", watcher));
        var done = watcher.FishForMessage<SweepChanged>(c => c.State.IsEnded, Wait).State;
        Assert.All(done.Trials, t => Assert.Equal((TrialStatus.Completed, 2, staying.NodeId), (t.Status, t.Attempt, t.Node)));
    }

    [Fact]
    public async Task Sweep_should_continue_on_a_second_coordinator_node_when_the_first_dies()
    {
        await using var cluster = new ClusterSimulation(new ClusterRecorder(TestActor));
        var first = await cluster.StartCoordinatorAsync("seed");
        var second = await cluster.StartCoordinatorAsync("seed2");
        var worker = await cluster.StartWorkerAsync("w", cpuSlots: 4);
        var probe = CreateTestProbe(worker.System);
        worker.Sweeps.Tell(new SubmitSweep("move", TestSpecs.Fictitious(maxTotal: 4, maxConcurrent: 2), ".", null, 1), probe);
        probe.ExpectMsg<SweepAccepted>(Wait);
        var running = new[] { ExpectMsg<AttemptRunning>(Wait), ExpectMsg<AttemptRunning>(Wait) };
        cluster.Recorder.Release(running[0].Trial);
        ExpectMsg<AttemptRunning>(Wait);

        worker.Sweeps.Tell(new GetSweepState("move"), probe);
        probe.ExpectMsg<SweepStateReply>(Wait);
        var host = probe.LastSender.Path.Address;
        var (dying, surviving) = host == Akka.Cluster.Cluster.Get(first.System).SelfAddress ? (first, second) : (second, first);
        Akka.Cluster.Cluster.Get(surviving.System).Down(Akka.Cluster.Cluster.Get(dying.System).SelfAddress);
        await dying.System.WhenTerminated.WaitAsync(Wait);

        var watcher = CreateTestProbe(surviving.System);
        AwaitAssert(() =>
        {
            surviving.Sweeps.Tell(new GetSweepState("move"), watcher);
            var state = watcher.ExpectMsg<SweepStateReply>(TimeSpan.FromSeconds(3)).State;
            Assert.Equal(SweepStatus.Running, state.Status);
        }, Wait, TimeSpan.FromMilliseconds(500));
        foreach (var trial in Enumerable.Range(1, 4))
        {
            cluster.Recorder.Release(trial);
        }

        surviving.Sweeps.Tell(new SubscribeToSweep("move", watcher));
        var done = watcher.FishForMessage<SweepChanged>(c => c.State.IsEnded, Wait).State;
        Assert.Equal([1, 2, 3, 4], done.Trials.Select(t => t.Number));
        Assert.All(done.Trials, t => Assert.Equal(TrialStatus.Completed, t.Status));
        Assert.All(done.Trials, t => Assert.Equal(1, t.Attempt));
    }
}

/// <summary>Cluster simulations bind ports and start several systems: one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterCollection
{
    public const string Name = "cluster simulations";
}
