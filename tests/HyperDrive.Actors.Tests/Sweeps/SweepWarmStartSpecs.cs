using System.Collections.Immutable;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using HyperDrive.Actors.Sweeps;
using HyperDrive.Actors.Tests.Support;
using HyperDrive.Actors.Trials;
using HyperDrive.Core.History;
using HyperDrive.Core.Parameters;
using HyperDrive.Core.Sampling;
using HyperDrive.Core.Specs;

namespace HyperDrive.Actors.Tests.Sweeps;

public sealed class SweepWarmStartSpecs : TestKit
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);
    private readonly PersistenceConfig _persistence;

    public SweepWarmStartSpecs()
        : this(new PersistenceConfig())
    {
    }

    private SweepWarmStartSpecs(PersistenceConfig persistence)
        : base(persistence.Config(), "warm-start-specs")
    {
        _persistence = persistence;
    }

    private CoordinatorSettings Settings => new() { DataDirectory = _persistence.Directory, Node = "local" };

    [Fact]
    public void Warm_started_sweep_should_feed_the_earlier_sweeps_trials_to_a_sampler_that_learns_and_record_them()
    {
        var parent = RunParent("parent-a", trials: 12, goal: "maximize");
        var childSpec = TestSpecs.Fictitious(3, 1, "resume_from: [parent-a]")
            .Replace("{ type: random, seed: 3 }", "{ type: tpe }", StringComparison.Ordinal);
        var trials = CreateTestProbe();
        var child = Sys.ActorOf(SweepCoordinator.Props("child-a", trials, Settings));

        child.Tell(new SubmitSweep("child-a", childSpec, ".", null, 5));
        ExpectMsg<SweepAccepted>(Wait);
        var first = trials.ExpectMsg<StartTrial>(Wait);

        var spec = SweepSpecReader.ReadText(childSpec).Spec!;
        var priors = parent.History.Trials.Where(t => t.Status == TrialStatus.Completed)
            .Select(t => WarmStartSampler.Prior(t.Parameters, t.Status, t.FinalValue!.Value)).ToList();
        Assert.Equal(12, priors.Count);
        var warm = new WarmStartSampler(SamplerRegistry.Create(spec, 5), priors).Propose(SweepHistory.Empty(spec.Objective));
        var cold = SamplerRegistry.Create(spec, 5).Propose(SweepHistory.Empty(spec.Objective));
        Assert.Equal(warm, first.Parameters);
        Assert.NotEqual(cold, first.Parameters);

        child.Tell(new GetSweepState("child-a"));
        var state = ExpectMsg<SweepStateReply>(Wait).State;
        Assert.Equal(12, state.Priors.Length);
        Assert.All(state.Priors, p => Assert.Equal("parent-a", p.SweepId));
        Assert.Equal(parent.History.Trials.Select(t => t.FinalValue!.Value).Order(), state.Priors.Select(p => p.Value).Order());

        // The priors come back with a snapshot, so a recovery proposes as the first incarnation would.
        Assert.Equal(state.Priors, SweepSnapshot.From(state).ToState().Priors);
    }

    [Fact]
    public void Warm_start_should_be_refused_by_name_when_an_earlier_sweep_is_missing_running_or_has_another_objective()
    {
        RunParent("parent-min", trials: 2, goal: "minimize");
        var running = Sys.ActorOf(SweepCoordinator.Props("parent-running", CreateTestProbe(), Settings));
        running.Tell(new SubmitSweep("parent-running", TestSpecs.Fictitious(2, 1), ".", null, 3));
        ExpectMsg<SweepAccepted>(Wait);

        var child = Sys.ActorOf(SweepCoordinator.Props("child-b", CreateTestProbe(), Settings));
        child.Tell(new SubmitSweep("child-b", TestSpecs.Fictitious(2, 1, "resume_from: [parent-min, no-such-sweep, parent-running]"), ".", null, 3));

        var rejected = ExpectMsg<SweepRejected>(Wait);
        Assert.Equal(3, rejected.Errors.Length);
        Assert.Contains(rejected.Errors, e => e.StartsWith("resume_from[0]", StringComparison.Ordinal) && e.Contains("minimize", StringComparison.Ordinal)
            && e.Contains("same primary metric and goal", StringComparison.Ordinal));
        Assert.Contains(rejected.Errors, e => e.StartsWith("resume_from[1]", StringComparison.Ordinal) && e.Contains("no sweep 'no-such-sweep'", StringComparison.Ordinal));
        Assert.Contains(rejected.Errors, e => e.StartsWith("resume_from[2]", StringComparison.Ordinal) && e.Contains("still running", StringComparison.Ordinal));

        child.Tell(new GetSweepState("child-b"));
        Assert.Equal(SweepStatus.None, ExpectMsg<SweepStateReply>(Wait).State.Status);
        running.Tell(new GetSweepState("parent-running"));
        Assert.Equal(SweepStatus.Running, ExpectMsg<SweepStateReply>(Wait).State.Status);
    }

    [Fact]
    public void Warm_start_should_refuse_duplicates_and_itself()
    {
        var child = Sys.ActorOf(SweepCoordinator.Props("child-c", CreateTestProbe(), Settings));
        child.Tell(new SubmitSweep("child-c", TestSpecs.Fictitious(2, 1, "resume_from: [p, p, child-c]"), ".", null, 3));

        var rejected = ExpectMsg<SweepRejected>(Wait);
        Assert.Contains(rejected.Errors, e => e.Contains("'p' is listed 2 times", StringComparison.Ordinal));
        Assert.Contains(rejected.Errors, e => e.Contains("from itself", StringComparison.Ordinal));
    }

    /// <summary>Runs a sweep to its end: every trial reports one accuracy from its parameters and completes.</summary>
    private SweepState RunParent(string id, int trials, string goal)
    {
        var probe = CreateTestProbe();
        var coordinator = Sys.ActorOf(SweepCoordinator.Props(id, probe, Settings));
        var spec = TestSpecs.Fictitious(trials, trials).Replace("goal: maximize", "goal: " + goal, StringComparison.Ordinal);
        coordinator.Tell(new SubmitSweep(id, spec, ".", null, 3));
        ExpectMsg<SweepAccepted>(Wait);
        for (var i = 0; i < trials; i++)
        {
            var start = probe.ExpectMsg<StartTrial>(Wait);
            var thr = ((RealValue)start.Parameters.Find("thr")!).Value;
            var accuracy = 1 - Math.Abs(thr - 0.3);
            coordinator.Tell(TrialIntervalsReported.One(id, start.TrialNumber, 1, 1, ImmutableSortedDictionary<string, double>.Empty.Add("accuracy", accuracy)));
            coordinator.Tell(new TrialAttemptEnded(id, start.TrialNumber, 1, AttemptEnd.Completed, null, false));
        }

        AwaitAssert(() =>
        {
            coordinator.Tell(new GetSweepState(id));
            Assert.Equal(SweepStatus.Completed, ExpectMsg<SweepStateReply>(Wait).State.Status);
        }, Wait);
        coordinator.Tell(new GetSweepState(id));
        return ExpectMsg<SweepStateReply>(Wait).State;
    }

    protected override void AfterAll()
    {
        base.AfterAll();
        _persistence.Dispose();
    }
}
