using Akka.Actor;
using Akka.TestKit.Xunit2;
using HyperDrive.Actors.Sweeps;
using HyperDrive.Actors.Tests.Support;
using HyperDrive.Actors.Trials;
using HyperDrive.Core.Parameters;

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
        sweeps.ExpectMsg<TrialIntervalReported>(Wait);
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
    public void StopTrial_should_cancel_the_running_attempt_and_report_it_canceled()
    {
        var runner = new ScriptedRunner(_ => [0.5]);
        var sweeps = CreateTestProbe();
        var trial = Sys.ActorOf(TrialActor.Props(runner, sweeps, "node-a"));
        trial.Tell(Start(attempt: 1));
        sweeps.ExpectMsg<TrialAttemptStarted>(Wait);
        sweeps.ExpectMsg<TrialIntervalReported>(Wait);

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

    private static StartTrial Start(int attempt) => new(
        "s",
        4,
        attempt,
        ParameterSet.Of(("thr", new RealValue(0.5)), ("epoch", new IntegerValue(10)), ("lr", new RealValue(0.1))),
        TestSpecs.Fictitious(4, 2),
        ".",
        Path.GetTempPath());
}
