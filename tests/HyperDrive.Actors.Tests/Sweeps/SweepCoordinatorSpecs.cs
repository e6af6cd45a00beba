using System.Collections.Immutable;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using HyperDrive.Actors.Sweeps;
using HyperDrive.Actors.Tests.Support;
using HyperDrive.Actors.Trials;
using HyperDrive.Core.History;
using HyperDrive.Core.Sampling;
using HyperDrive.Core.Specs;

namespace HyperDrive.Actors.Tests.Sweeps;

public sealed class SweepCoordinatorSpecs : TestKit
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);
    private readonly PersistenceConfig _persistence;

    public SweepCoordinatorSpecs()
        : this(new PersistenceConfig())
    {
    }

    private SweepCoordinatorSpecs(PersistenceConfig persistence)
        : base(persistence.Config(), "coordinator-specs")
    {
        _persistence = persistence;
    }

    private CoordinatorSettings Settings => new() { DataDirectory = _persistence.Directory, Node = "local" };

    [Fact]
    public void Coordinator_should_keep_max_concurrent_trials_busy_and_never_more()
    {
        var trials = CreateTestProbe();
        var coordinator = Sys.ActorOf(SweepCoordinator.Props("s-concurrency", trials, Settings));

        coordinator.Tell(new SubmitSweep("s-concurrency", TestSpecs.Fictitious(maxTotal: 7, maxConcurrent: 3), ".", null, 3));
        ExpectMsg<SweepAccepted>(Wait);

        var running = new HashSet<int>();
        for (var i = 0; i < 3; i++)
        {
            running.Add(trials.ExpectMsg<StartTrial>(Wait).TrialNumber);
        }

        Assert.Equal([1, 2, 3], running.Order());
        trials.ExpectNoMsg(TimeSpan.FromMilliseconds(300));

        var started = 3;
        while (running.Count > 0)
        {
            var done = running.Min();
            running.Remove(done);
            coordinator.Tell(new TrialAttemptEnded("s-concurrency", done, 1, AttemptEnd.Completed, null, false));
            if (started < 7)
            {
                var next = trials.ExpectMsg<StartTrial>(Wait);
                started++;
                Assert.Equal(started, next.TrialNumber);
                running.Add(next.TrialNumber);
            }

            Assert.True(running.Count <= 3);
        }

        trials.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        var state = StateOf(coordinator);
        Assert.Equal(SweepStatus.Completed, state.Status);
        Assert.Equal(7, state.Trials.Count(t => t.Status == TrialStatus.Completed));
        Assert.Contains("max_total_trials", state.EndReason);
    }

    [Fact]
    public void Coordinator_should_send_the_policy_stop_with_its_reason_to_the_trial()
    {
        var trials = CreateTestProbe();
        var coordinator = Sys.ActorOf(SweepCoordinator.Props("s-bandit", trials, Settings));
        var spec = TestSpecs.Fictitious(4, 2, "early_termination: { type: bandit, slack_factor: 0.1, evaluation_interval: 1 }");

        coordinator.Tell(new SubmitSweep("s-bandit", spec, ".", null, 3));
        ExpectMsg<SweepAccepted>(Wait);
        trials.ExpectMsg<StartTrial>(Wait);
        trials.ExpectMsg<StartTrial>(Wait);

        coordinator.Tell(Interval("s-bandit", 1, 1, 0.9));
        coordinator.Tell(Interval("s-bandit", 2, 1, 0.5));

        var stop = trials.ExpectMsg<StopTrial>(Wait);
        Assert.Equal(2, stop.TrialNumber);
        Assert.Contains("bandit", stop.Reason);
        Assert.Contains("0.5", stop.Reason);

        coordinator.Tell(new TrialAttemptEnded("s-bandit", 2, 1, AttemptEnd.Canceled, "stopped", false));
        trials.ExpectMsg<StartTrial>(Wait, "a freed slot is refilled");
        var trial = StateOf(coordinator).Trial(2);
        Assert.Equal(TrialStatus.Canceled, trial.Status);
        Assert.Equal(stop.Reason, trial.Reason);
    }

    [Fact]
    public void Coordinator_should_stop_at_the_first_interval_of_a_batch_where_the_policy_stops_and_record_the_rest()
    {
        var trials = CreateTestProbe();
        var coordinator = Sys.ActorOf(SweepCoordinator.Props("s-batch", trials, Settings));
        var spec = TestSpecs.Fictitious(4, 2, "early_termination: { type: bandit, slack_amount: 0.1, evaluation_interval: 1 }");
        coordinator.Tell(new SubmitSweep("s-batch", spec, ".", null, 3));
        ExpectMsg<SweepAccepted>(Wait);
        trials.ExpectMsg<StartTrial>(Wait);
        trials.ExpectMsg<StartTrial>(Wait);
        coordinator.Tell(new TrialIntervalsReported("s-batch", 1, 1, [.. Enumerable.Range(1, 6).Select(i => new IntervalMetrics(i, Metrics(0.4 + (0.1 * i))))]));

        // Trial 2's best so far keeps within 0.1 of trial 1's until interval 3 (0.62 ≥ 0.7 − 0.1), falls behind at 4
        // (0.65 < 0.8 − 0.1); interval 2 carries only a NaN and interval 0 is invalid.
        coordinator.Tell(new TrialIntervalsReported("s-batch", 2, 1,
        [
            new IntervalMetrics(1, Metrics(0.45)), new IntervalMetrics(2, Metrics(double.NaN)), new IntervalMetrics(0, Metrics(0.1)),
            new IntervalMetrics(3, Metrics(0.62)), new IntervalMetrics(4, Metrics(0.65)), new IntervalMetrics(5, Metrics(0.2)),
        ]));

        var stop = trials.ExpectMsg<StopTrial>(Wait);
        Assert.Equal(2, stop.TrialNumber);
        Assert.Contains("at interval 4", stop.Reason);
        trials.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        coordinator.Tell(new GetSweepState("s-batch"));
        var reply = ExpectMsg<SweepStateReply>(Wait);
        Assert.Equal(2, reply.MalformedMetricLines);
        Assert.Equal([1, 3, 4, 5], reply.State.Trial(2).History.Select(h => h.Interval));
        Assert.Equal([1, 3, 4, 5], reply.State.History.Trial(2).Primary.Select(p => p.Interval));
        Assert.Equal(6, reply.State.History.Trial(1).Primary.Count);
        Assert.NotNull(reply.State.Trial(2).PendingStop);
    }

    [Fact]
    public void Policy_stop_should_reach_the_runner_through_the_trial_actor()
    {
        var runner = new ScriptedRunner(trial => trial == 1 ? [0.9, 0.91] : [0.4, 0.41]);
        IActorRef? coordinator = null;
        var region = Sys.ActorOf(Props.Create(() => new ForwardTo(() => coordinator!)));
        var trials = Sys.ActorOf(LocalTrialRegion.Props(runner, region));
        coordinator = Sys.ActorOf(SweepCoordinator.Props("s-runner", trials, Settings));
        var spec = TestSpecs.Fictitious(2, 2, "early_termination: { type: bandit, slack_amount: 0.2, evaluation_interval: 1 }");

        var secondMayReport = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        runner.Gates[2] = secondMayReport;
        coordinator.Tell(new SubscribeToSweep("s-runner", TestActor));
        coordinator.Tell(new SubmitSweep("s-runner", spec, ".", null, 3));
        FishForMessage<SweepChanged>(c => c.State.HasTrial(1) && c.State.Trial(1).History.Count == 2, Wait);
        secondMayReport.SetResult();

        Assert.True(runner.Stopped.TryTake(out var stopped, Wait), "no trial was stopped");
        Assert.Equal(2, stopped);
        FishForMessage<SweepChanged>(c => c.State.HasTrial(2) && c.State.Trial(2).Status == TrialStatus.Canceled, Wait);
        var reason = StateOf(coordinator).Trial(2).Reason;
        Assert.Contains("bandit", reason);
        Assert.DoesNotContain(1, runner.Stopped);
    }

    [Fact]
    public void Coordinator_should_count_malformed_metrics_and_keep_working()
    {
        var trials = CreateTestProbe();
        var coordinator = Sys.ActorOf(SweepCoordinator.Props("s-malformed", trials, Settings));
        coordinator.Tell(new SubmitSweep("s-malformed", TestSpecs.Fictitious(2, 1), ".", null, 3));
        ExpectMsg<SweepAccepted>(Wait);
        trials.ExpectMsg<StartTrial>(Wait);

        coordinator.Tell(new TrialMetricRejected("s-malformed", 1, 1, "line 3: accuracy=abc is not a number"));
        coordinator.Tell(new TrialMetricRejected("s-malformed", 1, 1, "line 4: line longer than 65536 bytes"));
        coordinator.Tell(Interval("s-malformed", 1, 1, double.NaN));
        coordinator.Tell(Interval("s-malformed", 1, 1, double.PositiveInfinity));
        coordinator.Tell(TrialIntervalsReported.One("s-malformed", 1, 1, -3, Metrics(0.5)));
        coordinator.Tell(Interval("s-malformed", 1, 1, 0.7));
        coordinator.Tell(Interval("s-malformed", 99, 1, 0.7));
        coordinator.Tell(new TrialAttemptEnded("s-malformed", 42, 7, AttemptEnd.Completed, null, false));

        coordinator.Tell(new GetSweepState("s-malformed"));
        var reply = ExpectMsg<SweepStateReply>(Wait);
        Assert.Equal(5, reply.MalformedMetricLines);
        var history = reply.State.Trial(1).History;
        Assert.Single(history);
        Assert.Equal(0.7, history[0].Metrics["accuracy"]);
        Assert.Equal(SweepStatus.Running, reply.State.Status);
    }

    [Fact]
    public void Coordinator_should_reject_a_sweep_whose_sampler_cannot_be_built_and_name_the_option()
    {
        var coordinator = Sys.ActorOf(SweepCoordinator.Props("s-bayes", CreateTestProbe(), Settings));
        var spec = TestSpecs.Fictitious(2, 1).Replace("{ type: random, seed: 3 }", "{ type: bayesian, kernel: banana }", StringComparison.Ordinal);

        coordinator.Tell(new SubmitSweep("s-bayes", spec, ".", null, 3));

        var rejected = ExpectMsg<SweepRejected>(Wait);
        Assert.Contains(rejected.Errors, e => e.Contains("kernel", StringComparison.Ordinal) && e.Contains("banana", StringComparison.Ordinal));
        coordinator.Tell(new GetSweepState("s-bayes"));
        Assert.Equal(SweepStatus.None, ExpectMsg<SweepStateReply>(Wait).State.Status);
    }

    [Fact]
    public void Coordinator_should_retry_a_failed_trial_only_as_often_as_trial_retries_says()
    {
        var trials = CreateTestProbe();
        var coordinator = Sys.ActorOf(SweepCoordinator.Props("s-retries", trials, Settings));
        var spec = TestSpecs.Fictitious(1, 1).Replace("builtin: fictitious", "builtin: fictitious\n  retries: 1", StringComparison.Ordinal);
        coordinator.Tell(new SubmitSweep("s-retries", spec, ".", null, 3));
        ExpectMsg<SweepAccepted>(Wait);
        Assert.Equal(1, trials.ExpectMsg<StartTrial>(Wait).Attempt);

        coordinator.Tell(new TrialAttemptEnded("s-retries", 1, 1, AttemptEnd.Failed, "exit code 1", false));
        Assert.Equal(2, trials.ExpectMsg<StartTrial>(Wait).Attempt);
        coordinator.Tell(new TrialAttemptEnded("s-retries", 1, 2, AttemptEnd.Failed, "exit code 1", false));

        trials.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        var state = StateOf(coordinator);
        Assert.Equal(TrialStatus.Failed, state.Trial(1).Status);
        Assert.Equal(SweepStatus.Completed, state.Status);
    }

    [Fact]
    public void Coordinator_should_stop_a_sweep_that_only_fails_and_name_the_common_error()
    {
        var trials = CreateTestProbe();
        var coordinator = Sys.ActorOf(SweepCoordinator.Props("s-failing", trials, Settings));
        var spec = TestSpecs.Fictitious(10, 1).Replace("max_concurrent_trials: 1", "max_concurrent_trials: 1, max_failed_trials: 3", StringComparison.Ordinal);
        coordinator.Tell(new SubmitSweep("s-failing", spec, ".", null, 3));
        ExpectMsg<SweepAccepted>(Wait);

        for (var n = 1; n <= 3; n++)
        {
            Assert.Equal(n, trials.ExpectMsg<StartTrial>(Wait).TrialNumber);
            coordinator.Tell(new TrialAttemptEnded("s-failing", n, 1, AttemptEnd.Failed, "ModuleNotFoundError: No module named 'torch'\ntraceback…", false));
        }

        trials.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        var state = StateOf(coordinator);
        Assert.Equal(SweepStatus.Completed, state.Status);
        Assert.Contains("max_failed_trials 3", state.EndReason);
        Assert.Contains("No module named 'torch'", state.EndReason);
    }

    [Fact]
    public Task Recovery_should_restart_running_trials_as_new_attempts_and_continue_with_the_proposals_of_an_uninterrupted_run() =>
        RecoveryContinuesLikeAnUninterruptedRun(_persistence.Config, "s-recovery");

    [Fact]
    public async Task Recovered_coordinator_should_keep_attempts_that_still_run_and_restart_those_that_do_not()
    {
        var settings = Settings with { ReattachOnRecovery = true, ProbeTimeout = TimeSpan.FromSeconds(30) };
        var first = ActorSystem.Create("probe-first", _persistence.Config());
        var firstTrials = CreateTestProbe(first);
        var replies = CreateTestProbe(first);
        var coordinator = first.ActorOf(SweepCoordinator.Props("s-probe", firstTrials, settings));
        coordinator.Tell(new SubmitSweep("s-probe", TestSpecs.Fictitious(maxTotal: 3, maxConcurrent: 3), ".", null, 5), replies);
        replies.ExpectMsg<SweepAccepted>(Wait);
        var started = Enumerable.Range(0, 3).Select(_ => firstTrials.ExpectMsg<StartTrial>(Wait)).ToList();
        coordinator.Tell(TrialIntervalsReported.One("s-probe", 1, 1, 1, ImmutableSortedDictionary<string, double>.Empty.Add("accuracy", 0.5)));
        coordinator.Tell(new GetSweepState("s-probe"), replies);
        replies.ExpectMsg<SweepStateReply>(Wait);
        await first.Terminate();

        var second = ActorSystem.Create("probe-second", _persistence.Config());
        try
        {
            var trials = CreateTestProbe(second);
            var recovered = second.ActorOf(SweepCoordinator.Props("s-probe", trials, settings));
            recovered.Tell(new ResumeSweep("s-probe"), CreateTestProbe(second));
            var probes = Enumerable.Range(0, 3).Select(_ => trials.ExpectMsg<ProbeAttempt>(Wait)).OrderBy(p => p.TrialNumber).ToList();
            Assert.Equal([1, 2, 3], probes.Select(p => p.TrialNumber));
            Assert.Equal([1, 0, 0], probes.Select(p => p.LastInterval));

            recovered.Tell(new TrialAttemptProbed("s-probe", 1, 1, Running: true));
            recovered.Tell(new TrialAttemptProbed("s-probe", 2, 1, Running: false));
            recovered.Tell(new TrialAttemptEnded("s-probe", 3, 1, AttemptEnd.Completed, null, false));

            var restart = trials.ExpectMsg<StartTrial>(Wait);
            Assert.Equal((2, 2), (restart.TrialNumber, restart.Attempt));
            trials.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
            var watcher = CreateTestProbe(second);
            recovered.Tell(new GetSweepState("s-probe"), watcher);
            var state = watcher.ExpectMsg<SweepStateReply>(Wait).State;
            Assert.Equal((TrialStatus.Running, 1), (state.Trial(1).Status, state.Trial(1).Attempt));
            Assert.Equal(TrialStatus.Completed, state.Trial(3).Status);
            Assert.Equal(started.Select(s => s.Parameters), state.Trials.Select(t => t.Parameters));
        }
        finally
        {
            await second.Terminate();
        }
    }

    [PostgresFact]
    public Task Recovery_on_PostgreSQL_should_continue_with_the_proposals_of_an_uninterrupted_run() =>
        RecoveryContinuesLikeAnUninterruptedRun(PersistenceConfig.PostgresConfig, "s-recovery-pg-" + Guid.NewGuid().ToString("N")[..8]);

    [PostgresFact]
    public Task Recovery_from_a_snapshot_on_PostgreSQL_should_rebuild_the_same_state() =>
        SnapshotRecoveryRebuildsTheSameState(PersistenceConfig.PostgresConfig, "s-snapshot-pg-" + Guid.NewGuid().ToString("N")[..8]);

    private async Task RecoveryContinuesLikeAnUninterruptedRun(Func<Akka.Configuration.Config> config, string SweepId)
    {
        var spec = TestSpecs.Fictitious(maxTotal: 8, maxConcurrent: 2);
        var reference = ReferenceProposals(spec, seed: 11, count: 8);

        var first = ActorSystem.Create("first", config());
        var firstTrials = CreateTestProbe(first);
        var replies = CreateTestProbe(first);
        var coordinator = first.ActorOf(SweepCoordinator.Props(SweepId, firstTrials, Settings));
        coordinator.Tell(new SubmitSweep(SweepId, spec, ".", null, 11), replies);
        replies.ExpectMsg<SweepAccepted>(Wait);
        var proposed = new Dictionary<int, StartTrial>();
        for (var step = 0; step < 2; step++)
        {
            var start = firstTrials.ExpectMsg<StartTrial>(Wait);
            proposed[start.TrialNumber] = start;
        }

        coordinator.Tell(new TrialAttemptEnded(SweepId, 1, 1, AttemptEnd.Completed, null, false));
        var third = firstTrials.ExpectMsg<StartTrial>(Wait);
        proposed[third.TrialNumber] = third;
        coordinator.Tell(new GetSweepState(SweepId), replies);
        replies.ExpectMsg<SweepStateReply>(Wait);
        await first.Terminate();

        var second = ActorSystem.Create("second", config());
        try
        {
            var secondTrials = CreateTestProbe(second);
            var secondReplies = CreateTestProbe(second);
            var recovered = second.ActorOf(SweepCoordinator.Props(SweepId, secondTrials, Settings));
            recovered.Tell(new ResumeSweep(SweepId), secondReplies);
            var restarted = new[] { secondTrials.ExpectMsg<StartTrial>(Wait), secondTrials.ExpectMsg<StartTrial>(Wait) };

            Assert.Equal([2, 3], restarted.Select(r => r.TrialNumber).Order());
            Assert.All(restarted, r => Assert.Equal(2, r.Attempt));
            Assert.All(restarted, r => Assert.Equal(proposed[r.TrialNumber].Parameters, r.Parameters));

            recovered.Tell(new TrialAttemptEnded(SweepId, 2, 1, AttemptEnd.Completed, null, false), secondReplies);
            secondTrials.ExpectNoMsg(TimeSpan.FromMilliseconds(300));

            var next = new List<StartTrial>();
            foreach (var number in new[] { 2, 3 })
            {
                recovered.Tell(new TrialAttemptEnded(SweepId, number, 2, AttemptEnd.Completed, null, false), secondReplies);
                next.Add(secondTrials.ExpectMsg<StartTrial>(Wait));
            }

            Assert.Equal([4, 5], next.Select(n => n.TrialNumber));
            for (var n = 1; n <= 3; n++)
            {
                Assert.Equal(reference[n - 1], proposed[n].Parameters);
            }

            Assert.All(next, n => Assert.Equal(reference[n.TrialNumber - 1], n.Parameters));
            Assert.All(next, n => Assert.Equal(1, n.Attempt));
        }
        finally
        {
            await second.Terminate();
        }
    }

    [Fact]
    public Task Recovery_from_a_snapshot_should_rebuild_the_same_state_as_the_events() =>
        SnapshotRecoveryRebuildsTheSameState(_persistence.Config, "s-snapshot");

    private async Task SnapshotRecoveryRebuildsTheSameState(Func<Akka.Configuration.Config> config, string SweepId)
    {
        var settings = Settings with { SnapshotEvery = 5, SnapshotMinInterval = TimeSpan.Zero };
        var first = ActorSystem.Create("snap-first", config());
        var trials = CreateTestProbe(first);
        var replies = CreateTestProbe(first);
        var coordinator = first.ActorOf(SweepCoordinator.Props(SweepId, trials, settings));
        coordinator.Tell(new SubmitSweep(SweepId, TestSpecs.Fictitious(6, 2), ".", null, 4), replies);
        replies.ExpectMsg<SweepAccepted>(Wait);
        for (var n = 1; n <= 4; n++)
        {
            var start = trials.ExpectMsg<StartTrial>(Wait);
            coordinator.Tell(TrialIntervalsReported.One(SweepId, start.TrialNumber, 1, 1, Metrics(0.1 * n)), replies);
            coordinator.Tell(new TrialAttemptEnded(SweepId, start.TrialNumber, 1, AttemptEnd.Completed, null, false), replies);
        }

        // Trials 5 and 6 are dispatched once their events are durable: nothing is in flight after that.
        Assert.Equal([5, 6], new[] { trials.ExpectMsg<StartTrial>(Wait), trials.ExpectMsg<StartTrial>(Wait) }.Select(t => t.TrialNumber));
        coordinator.Tell(new GetSweepState(SweepId), replies);
        var before = replies.ExpectMsg<SweepStateReply>(Wait).State;
        await first.Terminate();

        var second = ActorSystem.Create("snap-second", config());
        try
        {
            var probe = CreateTestProbe(second);
            var view = second.ActorOf(SweepView.Props(SweepId));
            view.Tell(new GetSweepState(SweepId), probe);
            var after = probe.ExpectMsg<SweepStateReply>(Wait).State;

            Assert.Equal(SweepJson.Sweep(before, before.Trials), SweepJson.Sweep(after, after.Trials));
            Assert.Equal(before.History.Trials.Select(t => t.Primary.Count), after.History.Trials.Select(t => t.Primary.Count));
        }
        finally
        {
            await second.Terminate();
        }
    }

    [Fact]
    public void Sweep_timeout_should_stop_running_trials_and_end_the_sweep()
    {
        var trials = CreateTestProbe();
        var coordinator = Sys.ActorOf(SweepCoordinator.Props("s-timeout", trials, Settings));
        var spec = TestSpecs.Fictitious(10, 2).Replace("max_concurrent_trials: 2", "max_concurrent_trials: 2, timeout: 1", StringComparison.Ordinal);
        coordinator.Tell(new SubmitSweep("s-timeout", spec, ".", null, 3));
        ExpectMsg<SweepAccepted>(Wait);
        trials.ExpectMsg<StartTrial>(Wait);
        trials.ExpectMsg<StartTrial>(Wait);

        var stops = new[] { trials.ExpectMsg<StopTrial>(Wait), trials.ExpectMsg<StopTrial>(Wait) };

        Assert.All(stops, s => Assert.Contains("timeout", s.Reason));
        foreach (var stop in stops)
        {
            coordinator.Tell(new TrialAttemptEnded("s-timeout", stop.TrialNumber, 1, AttemptEnd.Canceled, "stopped", false));
        }

        trials.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        var state = StateOf(coordinator);
        Assert.Equal(SweepStatus.Completed, state.Status);
        Assert.Contains("timeout", state.EndReason);
        Assert.All(state.Trials, t => Assert.Equal(TrialStatus.Canceled, t.Status));
    }

    [Fact]
    public void Infrastructure_failures_should_be_retried_up_to_the_limit_even_without_trial_retries()
    {
        var trials = CreateTestProbe();
        var coordinator = Sys.ActorOf(SweepCoordinator.Props("s-infra", trials, Settings with { InfrastructureRetryLimit = 2 }));
        coordinator.Tell(new SubmitSweep("s-infra", TestSpecs.Fictitious(1, 1), ".", null, 3));
        ExpectMsg<SweepAccepted>(Wait);

        for (var attempt = 1; attempt <= 3; attempt++)
        {
            Assert.Equal(attempt, trials.ExpectMsg<StartTrial>(Wait).Attempt);
            coordinator.Tell(new TrialAttemptEnded("s-infra", 1, attempt, AttemptEnd.InfrastructureFailure, "node lost", false));
        }

        trials.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        var trial = StateOf(coordinator).Trial(1);
        Assert.Equal(TrialStatus.Failed, trial.Status);
        Assert.Equal(3, trial.InfrastructureFailures);
    }

    [Fact]
    public void Coordinator_should_run_only_as_many_GPU_trials_as_there_are_free_GPUs_and_give_each_its_devices()
    {
        var trials = CreateTestProbe();
        var settings = Settings with { Nodes = [Core.Placement.NodeCapacity.ForTests("node-a", gpus: 2, cpuSlots: 16)] };
        var coordinator = Sys.ActorOf(SweepCoordinator.Props("s-gpus", trials, settings));
        var spec = TestSpecs.Fictitious(5, 4).Replace("builtin: fictitious", "builtin: fictitious\n  resources: { gpus: 1 }", StringComparison.Ordinal);
        coordinator.Tell(new SubscribeToSweep("s-gpus", TestActor));
        coordinator.Tell(new SubmitSweep("s-gpus", spec, ".", null, 3));

        var first = new[] { trials.ExpectMsg<StartTrial>(Wait), trials.ExpectMsg<StartTrial>(Wait) };
        trials.ExpectNoMsg(TimeSpan.FromMilliseconds(300));

        Assert.Equal([[0], [1]], first.Select(t => t.GpuDevices.ToArray()).OrderBy(d => d[0]));
        FishForMessage<SweepChanged>(c => c.Waiting is not null && c.Waiting.Contains("GPU", StringComparison.Ordinal), Wait);
        coordinator.Tell(new TrialAttemptEnded("s-gpus", first[1].TrialNumber, 1, AttemptEnd.Completed, null, false));
        var third = trials.ExpectMsg<StartTrial>(Wait);
        Assert.Equal(first[1].GpuDevices.ToArray(), third.GpuDevices.ToArray());
        trials.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public void Coordinator_should_pack_fractional_GPU_trials()
    {
        var trials = CreateTestProbe();
        var settings = Settings with { Nodes = [Core.Placement.NodeCapacity.ForTests("node-a", gpus: 1, cpuSlots: 16)] };
        var coordinator = Sys.ActorOf(SweepCoordinator.Props("s-half", trials, settings));
        var spec = TestSpecs.Fictitious(6, 6).Replace("builtin: fictitious", "builtin: fictitious\n  resources: { gpus: 0.5 }", StringComparison.Ordinal);
        coordinator.Tell(new SubmitSweep("s-half", spec, ".", null, 3));

        var started = new[] { trials.ExpectMsg<StartTrial>(Wait), trials.ExpectMsg<StartTrial>(Wait) };
        trials.ExpectNoMsg(TimeSpan.FromMilliseconds(300));

        Assert.All(started, t => Assert.Equal([0], t.GpuDevices.ToArray()));
    }

    [Fact]
    public void Coordinator_should_end_a_sweep_whose_trials_no_node_can_ever_run_and_say_why()
    {
        var trials = CreateTestProbe();
        var settings = Settings with { Nodes = [Core.Placement.NodeCapacity.ForTests("node-a", gpus: 1, cpuSlots: 16)], Placement = Core.Placement.PlacementOptions.Cluster };
        var coordinator = Sys.ActorOf(SweepCoordinator.Props("s-too-big", trials, settings));
        var spec = TestSpecs.Fictitious(4, 2).Replace("builtin: fictitious", "builtin: fictitious\n  resources: { gpus: 2 }", StringComparison.Ordinal);
        coordinator.Tell(new SubmitSweep("s-too-big", spec, ".", null, 3));
        ExpectMsg<SweepAccepted>(Wait);

        trials.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        var state = StateOf(coordinator);
        Assert.Equal(SweepStatus.Completed, state.Status);
        Assert.Empty(state.Trials);
        Assert.Contains("no trial can be placed", state.EndReason);
        Assert.Contains("2 GPUs", state.EndReason);
    }

    [Fact]
    public void Embedded_coordinator_should_run_GPU_trials_on_the_CPU_when_no_GPU_exists()
    {
        var trials = CreateTestProbe();
        var settings = Settings with { Nodes = [Core.Placement.NodeCapacity.ForTests("node-a", gpus: 0, cpuSlots: 16)] };
        var coordinator = Sys.ActorOf(SweepCoordinator.Props("s-cpu", trials, settings));
        var spec = TestSpecs.Fictitious(2, 2).Replace("builtin: fictitious", "builtin: fictitious\n  resources: { gpus: 1 }", StringComparison.Ordinal);
        coordinator.Tell(new SubmitSweep("s-cpu", spec, ".", null, 3));

        var started = new[] { trials.ExpectMsg<StartTrial>(Wait), trials.ExpectMsg<StartTrial>(Wait) };

        Assert.All(started, t => Assert.Empty(t.GpuDevices));
    }

    private static List<Core.Parameters.ParameterSet> ReferenceProposals(string specText, long seed, int count)
    {
        var spec = SweepSpecReader.ReadText(specText).Spec!;
        var sampler = SamplerRegistry.Create(spec, seed);
        var history = SweepHistory.Empty(spec.Objective);
        var proposals = new List<Core.Parameters.ParameterSet>();
        for (var i = 0; i < count; i++)
        {
            var proposal = sampler.Propose(history)!;
            proposals.Add(proposal);
            history = history.Propose(proposal);
        }

        return proposals;
    }

    private SweepState StateOf(IActorRef coordinator)
    {
        coordinator.Tell(new GetSweepState("any"));
        return ExpectMsg<SweepStateReply>(Wait).State;
    }

    private static ImmutableSortedDictionary<string, double> Metrics(double accuracy) =>
        ImmutableSortedDictionary<string, double>.Empty.Add("accuracy", accuracy);

    private static TrialIntervalsReported Interval(string sweepId, int trial, int interval, double accuracy) =>
        TrialIntervalsReported.One(sweepId, trial, 1, interval, Metrics(accuracy));

    protected override void AfterAll()
    {
        base.AfterAll();
        _persistence.Dispose();
    }

    private sealed class ForwardTo : ReceiveActor
    {
        public ForwardTo(Func<IActorRef> target) => ReceiveAny(m => target().Forward(m));
    }
}
