using Akka.Actor;
using Akka.TestKit.Xunit2;
using HyperDrive.Actors.Sweeps;
using HyperDrive.Actors.Tests.Support;
using HyperDrive.Actors.Trials;
using System.Collections.Immutable;
using HyperDrive.Actors.Nodes;
using HyperDrive.Core.Parameters;
using HyperDrive.Core.Placement;

namespace HyperDrive.Actors.Tests.Trials;

public sealed class TrialActorSpecs : TestKit
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    public TrialActorSpecs()
        : base("akka.loglevel = WARNING")
    {
    }

    [Fact]
    public void Repeated_StartTrial_should_start_nothing_twice()
    {
        var runner = new ScriptedRunner(_ => [0.5]);
        var sweeps = CreateTestProbe();
        var trial = Sys.ActorOf(TrialActor.Props(runner, sweeps, "node-a"));
        var start = Start(attempt: 1);

        trial.Tell(start);
        sweeps.ExpectMsg<TrialAttemptStarted>(Wait);
        sweeps.ExpectMsg<TrialIntervalsReported>(Wait);
        trial.Tell(start);
        trial.Tell(start);

        var status = ExpectMsg<TrialActorStatus>(Wait);
        Assert.True(status.Running);
        Assert.Equal(1, status.Attempt);
        ExpectMsg<TrialActorStatus>(Wait);
        sweeps.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        Assert.Single(runner.Starts);
    }

    [Fact]
    public void Intervals_should_reach_the_coordinator_in_order_in_capped_batches_before_the_end()
    {
        const int Lines = 5000;
        var runner = new ScriptedRunner(_ => [.. Enumerable.Range(1, Lines).Select(i => 1.0 / i)]) { CompleteAfterScript = true };
        var sweeps = CreateTestProbe();
        var trial = Sys.ActorOf(TrialActor.Props(runner, sweeps, "node-a"));

        trial.Tell(Start(attempt: 1));
        sweeps.ExpectMsg<TrialAttemptStarted>(Wait);
        var batches = new List<TrialIntervalsReported>();
        while (sweeps.ExpectMsg<object>(Wait) is var message && message is not TrialAttemptEnded)
        {
            batches.Add(Assert.IsType<TrialIntervalsReported>(message));
        }

        var intervals = batches.SelectMany(b => b.Intervals).ToList();
        Assert.Equal(Enumerable.Range(1, Lines), intervals.Select(i => i.Interval));
        Assert.Equal(1.0 / 4321, intervals[4320].Metrics["accuracy"]);
        Assert.All(batches, b => Assert.InRange(b.Intervals.Length, 1, 1000));
        Assert.True(batches.Count < Lines, $"{batches.Count} messages for {Lines} lines: the worker did not batch");
    }

    [Fact]
    public void StopTrial_should_cancel_the_running_attempt_and_report_it_canceled()
    {
        var runner = new ScriptedRunner(_ => [0.5]);
        var sweeps = CreateTestProbe();
        var trial = Sys.ActorOf(TrialActor.Props(runner, sweeps, "node-a"));
        trial.Tell(Start(attempt: 1));
        sweeps.ExpectMsg<TrialAttemptStarted>(Wait);
        sweeps.ExpectMsg<TrialIntervalsReported>(Wait);

        trial.Tell(new StopTrial("s", 4, 2, "a stop for another attempt"));
        sweeps.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        trial.Tell(new StopTrial("s", 4, 1, "accuracy 0.5 < 0.6 (bandit)"));

        var ended = sweeps.ExpectMsg<TrialAttemptEnded>(Wait);
        Assert.Equal(AttemptEnd.Canceled, ended.End);
        Assert.Equal(1, ended.Attempt);
        Assert.True(runner.Stopped.TryTake(out var stopped, Wait));
        Assert.Equal(4, stopped);
    }

    [Fact]
    public void A_newer_attempt_should_supersede_the_running_one()
    {
        var runner = new ScriptedRunner(_ => []);
        var sweeps = CreateTestProbe();
        var trial = Sys.ActorOf(TrialActor.Props(runner, sweeps, "node-a"));
        trial.Tell(Start(attempt: 1));
        sweeps.ExpectMsg<TrialAttemptStarted>(m => m.Attempt == 1, Wait);

        trial.Tell(Start(attempt: 2));

        Assert.True(runner.Stopped.TryTake(out _, Wait), "the superseded attempt was not stopped");
        sweeps.FishForMessage<TrialAttemptStarted>(m => m.Attempt == 2, Wait);
        Assert.Equal([(4, 1), (4, 2)], runner.Starts.Order());
    }

    [Fact]
    public void Worker_should_refuse_a_lease_its_node_cannot_honour_and_take_it_once_a_slot_frees()
    {
        var runner = new ScriptedRunner(_ => [0.5]);
        var sweeps = CreateTestProbe();
        var slots = new NodeSlots(NodeCapacity.ForTests("node-a", gpus: 1, cpuSlots: 4));
        var context = new TrialNodeContext("node-a") { Slots = slots };
        var first = Sys.ActorOf(TrialActor.Props(runner, sweeps, context));
        var second = Sys.ActorOf(TrialActor.Props(runner, sweeps, context));
        var gpu = ImmutableArray.Create(new GpuShare(0, GpuUnits.PerGpu, 0));

        first.Tell(Start(attempt: 1) with { Node = "node-a", Lease = new Lease(new TrialKey("s", 4, 1), "node-a", gpu) });
        sweeps.ExpectMsg<TrialAttemptStarted>(Wait);
        sweeps.ExpectMsg<TrialIntervalsReported>(Wait);
        second.Tell(Start(attempt: 1) with { TrialNumber = 5, Node = "node-a", Lease = new Lease(new TrialKey("s", 5, 1), "node-a", gpu) });

        var refused = sweeps.ExpectMsg<TrialAttemptEnded>(Wait);
        Assert.Equal((5, AttemptEnd.Refused), (refused.TrialNumber, refused.End));
        Assert.Contains("GPU 0 on node node-a has 0 free", refused.Error);
        Assert.Single(runner.Starts);

        first.Tell(new StopTrial("s", 4, 1, "done", "node-a"));
        Assert.Equal(AttemptEnd.Canceled, sweeps.ExpectMsg<TrialAttemptEnded>(Wait).End);
        second.Tell(Start(attempt: 2) with { TrialNumber = 5, Node = "node-a", Lease = new Lease(new TrialKey("s", 5, 2), "node-a", gpu) });
        Assert.Equal(2, sweeps.ExpectMsg<TrialAttemptStarted>(Wait).Attempt);
        Assert.Equal([new TrialKey("s", 5, 2)], slots.Leases.Select(l => l.Key));
    }

    [Fact]
    public void Worker_should_refuse_an_attempt_placed_on_another_node()
    {
        var runner = new ScriptedRunner(_ => [0.5]);
        var sweeps = CreateTestProbe();
        var trial = Sys.ActorOf(TrialActor.Props(runner, sweeps, new TrialNodeContext("node-a")));

        trial.Tell(Start(attempt: 1) with { Node = "node-b" });

        var refused = sweeps.ExpectMsg<TrialAttemptEnded>(Wait);
        Assert.Equal(AttemptEnd.Refused, refused.End);
        Assert.Contains("node-b", refused.Error);
        Assert.Empty(runner.Starts);
    }

    private static StartTrial Start(int attempt) => new(
        "s",
        4,
        attempt,
        ParameterSet.Of(("thr", new RealValue(0.5)), ("epoch", new IntegerValue(10)), ("lr", new RealValue(0.1))),
        TestSpecs.Fictitious(4, 2),
        ".",
        Path.GetTempPath());
}
