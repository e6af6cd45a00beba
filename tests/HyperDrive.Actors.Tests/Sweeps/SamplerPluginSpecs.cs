using Akka.Actor;
using Akka.TestKit.Xunit2;
using HyperDrive.Actors.Sweeps;
using HyperDrive.Actors.Tests.Support;
using HyperDrive.Actors.Trials;

namespace HyperDrive.Actors.Tests.Sweeps;

public sealed class SamplerPluginSpecs : TestKit
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    // Proposes thr = 0.01, 0.02, … from a counter it keeps as its state, never from the history, so only set_state can
    // make a restarted plug-in continue the sequence. From proposal LIE_FROM on it answers thr = 5, outside the space.
    // Each search request's n and history length go to requests.log.
    private const string Counter = """
        import json, os, sys
        k = 0
        lie_from = int(os.environ.get("LIE_FROM", "0"))
        for line in sys.stdin:
            request = json.loads(line)
            op = request["op"]
            if op == "search":
                with open("requests.log", "a") as log:
                    log.write("%d %d\n" % (request["n"], len(request["history"])))
                out = []
                for _ in range(request["n"]):
                    k += 1
                    thr = 5 if lie_from and k >= lie_from else k / 100
                    out.append({"thr": thr, "epoch": 10, "lr": 0.01})
                answer = out
            elif op == "get_state":
                answer = {"k": k}
            elif op == "set_state":
                k = request["state"]["k"]
                answer = {"ok": True}
            else:
                answer = {"error": "unknown op " + op}
            print(json.dumps(answer), flush=True)
        """;

    private readonly PersistenceConfig _persistence;

    public SamplerPluginSpecs()
        : this(new PersistenceConfig())
    {
    }

    private SamplerPluginSpecs(PersistenceConfig persistence)
        : base(persistence.Config(), "plugin-specs")
    {
        _persistence = persistence;
    }

    private CoordinatorSettings Settings => new() { DataDirectory = _persistence.Directory, Node = "local" };

    [Fact]
    public void Plugin_sweep_should_run_its_trials_with_the_plugins_proposals_and_keep_its_state()
    {
        var folder = PluginFolder("s-plugin");
        var trials = CreateTestProbe();
        var coordinator = Sys.ActorOf(SweepCoordinator.Props("s-plugin", trials, Settings));

        coordinator.Tell(new SubmitSweep("s-plugin", Spec(maxTotal: 4, maxConcurrent: 2), folder, null, 3));
        ExpectMsg<SweepAccepted>(Wait);
        var first = new[] { trials.ExpectMsg<StartTrial>(Wait), trials.ExpectMsg<StartTrial>(Wait) };
        coordinator.Tell(new TrialAttemptEnded("s-plugin", 1, 1, AttemptEnd.Completed, null, false));
        var third = trials.ExpectMsg<StartTrial>(Wait);

        Assert.Equal([1, 2], first.Select(t => t.TrialNumber));
        Assert.Equal([0.01, 0.02], first.Select(t => t.Parameters.Find("thr")!.AsDouble()!.Value));
        Assert.Equal(3, third.TrialNumber);
        Assert.Equal(0.03, third.Parameters.Find("thr")!.AsDouble());
        var state = StateOf(coordinator);
        Assert.Equal("""{"k": 3}""", state.SamplerState);
        Assert.Equal(["2 0", "1 2"], File.ReadAllLines(Path.Combine(folder, "requests.log")));
    }

    [Fact]
    public async Task Recovered_plugin_sweep_should_give_the_plugin_its_state_so_the_next_proposal_continues_its_sequence()
    {
        const string SweepId = "s-plugin-recovery";
        var folder = PluginFolder(SweepId);
        var spec = Spec(maxTotal: 6, maxConcurrent: 2);
        var first = ActorSystem.Create("plugin-first", _persistence.Config());
        try
        {
            var trials = CreateTestProbe(first);
            var replies = CreateTestProbe(first);
            var coordinator = first.ActorOf(SweepCoordinator.Props(SweepId, trials, Settings));
            coordinator.Tell(new SubmitSweep(SweepId, spec, folder, null, 3), replies);
            replies.ExpectMsg<SweepAccepted>(Wait);
            trials.ExpectMsg<StartTrial>(Wait);
            trials.ExpectMsg<StartTrial>(Wait);
            coordinator.Tell(new TrialAttemptEnded(SweepId, 1, 1, AttemptEnd.Completed, null, false), replies);
            Assert.Equal(0.03, trials.ExpectMsg<StartTrial>(Wait).Parameters.Find("thr")!.AsDouble());
            coordinator.Tell(new GetSweepState(SweepId), replies);
            replies.ExpectMsg<SweepStateReply>(Wait);
        }
        finally
        {
            await first.Terminate();
        }

        var second = ActorSystem.Create("plugin-second", _persistence.Config());
        try
        {
            var trials = CreateTestProbe(second);
            var replies = CreateTestProbe(second);
            var recovered = second.ActorOf(SweepCoordinator.Props(SweepId, trials, Settings));
            recovered.Tell(new ResumeSweep(SweepId), replies);
            var restarted = new[] { trials.ExpectMsg<StartTrial>(Wait), trials.ExpectMsg<StartTrial>(Wait) };
            Assert.Equal([2, 3], restarted.Select(r => r.TrialNumber).Order());

            var next = new List<StartTrial>();
            foreach (var number in new[] { 2, 3 })
            {
                recovered.Tell(new TrialAttemptEnded(SweepId, number, 2, AttemptEnd.Completed, null, false), replies);
                next.Add(trials.ExpectMsg<StartTrial>(Wait));
            }

            Assert.Equal([4, 5], next.Select(n => n.TrialNumber));
            Assert.Equal([0.04, 0.05], next.Select(n => n.Parameters.Find("thr")!.AsDouble()!.Value));
        }
        finally
        {
            await second.Terminate();
        }
    }

    [Fact]
    public void Lying_plugin_should_end_the_sweep_with_the_reason_and_stop_running_trials_while_the_coordinator_keeps_answering()
    {
        var folder = PluginFolder("s-plugin-liar");
        var trials = CreateTestProbe();
        var coordinator = Sys.ActorOf(SweepCoordinator.Props("s-plugin-liar", trials, Settings));
        var spec = Spec(maxTotal: 5, maxConcurrent: 2).Replace("timeout: 10", "timeout: 10, environment_variables: { LIE_FROM: 3 }", StringComparison.Ordinal);

        coordinator.Tell(new SubmitSweep("s-plugin-liar", spec, folder, null, 3));
        ExpectMsg<SweepAccepted>(Wait);
        trials.ExpectMsg<StartTrial>(Wait);
        trials.ExpectMsg<StartTrial>(Wait);
        coordinator.Tell(new TrialAttemptEnded("s-plugin-liar", 1, 1, AttemptEnd.Completed, null, false));

        var stop = trials.ExpectMsg<StopTrial>(Wait);
        Assert.Equal(2, stop.TrialNumber);
        var state = StateOf(coordinator);
        Assert.Equal(SweepStatus.Failed, state.Status);
        Assert.Equal(2, state.ProposedCount);
        Assert.Contains("sampler plug-in `/usr/bin/python3 counter.py` failed on search", state.EndReason);
        Assert.Contains("parameter 'thr': 5 lies outside uniform(0, 1)", state.EndReason);
        Assert.Equal(state.EndReason, stop.Reason);

        coordinator.Tell(new TrialAttemptEnded("s-plugin-liar", 2, 1, AttemptEnd.Canceled, "stopped", false));
        trials.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        Assert.Equal(Core.History.TrialStatus.Canceled, StateOf(coordinator).Trial(2).Status);
    }

    [Fact]
    public void Coordinator_should_keep_answering_while_its_plugin_hangs_and_end_the_sweep_at_the_plugins_timeout()
    {
        var folder = PluginFolder("s-plugin-hangs");
        File.WriteAllText(Path.Combine(folder, "hangs.py"), "import sys, time\nfor line in sys.stdin:\n    time.sleep(60)\n");
        var coordinator = Sys.ActorOf(SweepCoordinator.Props("s-plugin-hangs", CreateTestProbe(), Settings));
        var changes = CreateTestProbe();
        coordinator.Tell(new SubscribeToSweep("s-plugin-hangs", changes));
        var spec = Spec(2, 1).Replace("counter.py\", timeout: 10", "hangs.py\", timeout: 3", StringComparison.Ordinal);

        coordinator.Tell(new SubmitSweep("s-plugin-hangs", spec, folder, null, 3));
        ExpectMsg<SweepAccepted>(Wait);
        var waiting = StateOf(coordinator);

        Assert.Equal(SweepStatus.Running, waiting.Status);
        Assert.Equal(0, waiting.ProposedCount);
        var ended = changes.FishForMessage<SweepChanged>(c => c.State.Status == SweepStatus.Failed, Wait);
        Assert.Contains("sampler plug-in `/usr/bin/python3 hangs.py` failed on search: no answer within its timeout of 3 s", ended.State.EndReason);
    }

    [Fact]
    public void Plugin_that_cannot_start_should_end_the_sweep_naming_the_command()
    {
        var folder = PluginFolder("s-plugin-missing");
        var coordinator = Sys.ActorOf(SweepCoordinator.Props("s-plugin-missing", CreateTestProbe(), Settings));
        coordinator.Tell(new SubscribeToSweep("s-plugin-missing", TestActor));
        var spec = Spec(2, 1).Replace("/usr/bin/python3 counter.py", "./no_such_sampler", StringComparison.Ordinal);

        coordinator.Tell(new SubmitSweep("s-plugin-missing", spec, folder, null, 3));

        var ended = FishForMessage<SweepChanged>(c => c.State.Status == SweepStatus.Failed, Wait);
        Assert.Contains("sampler plug-in `./no_such_sampler` failed on start: command './no_such_sampler' not found", ended.State.EndReason);
        Assert.Equal(0, StateOf(coordinator).ProposedCount);
    }

    private static string Spec(int maxTotal, int maxConcurrent) => TestSpecs.Fictitious(maxTotal, maxConcurrent)
        .Replace("{ type: random, seed: 3 }", """{ type: plugin, command: "/usr/bin/python3 counter.py", timeout: 10 }""", StringComparison.Ordinal);

    private string PluginFolder(string sweepId)
    {
        var folder = Path.Combine(_persistence.Directory, sweepId);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "counter.py"), Counter);
        return folder;
    }

    private SweepState StateOf(IActorRef coordinator)
    {
        coordinator.Tell(new GetSweepState("any"));
        return ExpectMsg<SweepStateReply>(Wait).State;
    }

    protected override void AfterAll()
    {
        base.AfterAll();
        _persistence.Dispose();
    }
}
