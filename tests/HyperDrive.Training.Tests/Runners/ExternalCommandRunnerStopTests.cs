using System.Diagnostics;
using HyperDrive.Training.Processes;
using HyperDrive.Training.Runners;
using HyperDrive.Training.Tests.Support;

namespace HyperDrive.Training.Tests.Runners;

/// <summary>Early stop, cancel and timeout: SIGTERM to the whole group, SIGKILL after the grace period, nothing left alive.</summary>
public sealed class ExternalCommandRunnerStopTests : IDisposable
{
    private readonly TrialSandbox _sandbox = new();
    private readonly ExternalCommandRunner _runner = new();

    public void Dispose() => _sandbox.Dispose();

    [Fact]
    public async Task Runner_should_terminate_then_kill_the_whole_group_when_canceled()
    {
        // The main script records SIGTERM and exits; its grandchild ignores SIGTERM and needs SIGKILL.
        var command = _sandbox.Script("train.sh", """
            trap 'echo term > "$HYPERDRIVE_OUTPUT_DIR/term"; exit 143' TERM
            ( trap '' TERM; exec sleep 1000 ) &
            echo $! > "$HYPERDRIVE_OUTPUT_DIR/grandchild.pid"
            echo "hyperdrive: loss=0.5"
            wait
            """);
        var request = _sandbox.Request(command);
        var observer = new RecordingObserver();
        using var cancel = new CancellationTokenSource();
        var run = _runner.RunAsync(request, observer, cancel.Token);

        var (pid, pgid) = await observer.FirstStart;
        await observer.FirstInterval;
        var grandchild = LiveProcesses.ReadPid(Path.Combine(request.OutputDirectory, "grandchild.pid"));
        Assert.True(LiveProcesses.IsRunning(grandchild));
        Assert.True(File.Exists(ExternalCommandRunner.ProcessRecordPath(request)));
        var clock = Stopwatch.StartNew();
        await cancel.CancelAsync();
        var outcome = await run.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(TrialOutcomeKind.Canceled, outcome.Kind);
        Assert.False(outcome.TimedOut);
        Assert.Equal("trial canceled", outcome.Error);
        Assert.Equal(0.5, outcome.FinalMetrics["loss"]);
        Assert.Equal(pid, pgid);
        Assert.True(File.Exists(Path.Combine(request.OutputDirectory, "term")), "SIGTERM came first");
        Assert.False(LiveProcesses.IsRunning(grandchild), "the TERM-ignoring grandchild was killed");
        Assert.False(ProcessGroup.IsAlive(pgid, () => false));
        Assert.True(clock.Elapsed >= request.StopGracePeriod, "SIGKILL waited for the grace period");
        Assert.False(File.Exists(ExternalCommandRunner.ProcessRecordPath(request)), "the record goes once the group is empty");
    }

    [Fact]
    public async Task Runner_should_lead_its_own_process_group()
    {
        var command = _sandbox.Script("wait.sh", """echo "hyperdrive: a=1"; exec sleep 30""");
        var observer = new RecordingObserver();
        using var cancel = new CancellationTokenSource();
        var run = _runner.RunAsync(_sandbox.Request(command), observer, cancel.Token);

        var (pid, _) = await observer.FirstStart;
        await observer.FirstInterval;
        var stat = ProcStat.Read(pid);
        await cancel.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.NotNull(stat);
        Assert.Equal(pid, stat.Value.ProcessGroupId);
        Assert.NotEqual(NativeMethods.GetProcessGroup(), stat.Value.ProcessGroupId);
    }

    [Fact]
    public async Task Runner_should_cancel_a_trial_that_runs_past_its_timeout()
    {
        var command = _sandbox.Script("slow.sh", """echo "hyperdrive: loss=1"; sleep 30; echo never""");
        var request = _sandbox.Request(command) with { TimeoutSeconds = 0.5 };

        var outcome = await _runner.RunAsync(request, new RecordingObserver(), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(TrialOutcomeKind.Canceled, outcome.Kind);
        Assert.True(outcome.TimedOut);
        Assert.Equal("trial timed out after 0.5 s", outcome.Error);
        Assert.Equal(1, outcome.FinalMetrics["loss"]);
        Assert.DoesNotContain("never", await File.ReadAllTextAsync(request.LogFile), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Runner_should_treat_an_enormous_timeout_as_none()
    {
        var command = _sandbox.Script("quick.sh", """echo "hyperdrive: loss=1" """);

        var outcome = await _runner.RunAsync(_sandbox.Request(command) with { TimeoutSeconds = 1e12 }, new RecordingObserver(), CancellationToken.None);

        Assert.Equal(TrialOutcomeKind.Completed, outcome.Kind);
    }

    [Fact]
    public async Task Runner_should_stop_the_current_step_and_run_no_further_steps_when_canceled()
    {
        var first = _sandbox.Script("first.sh", """echo "hyperdrive: loss=1"; exec sleep 30""");
        var second = _sandbox.Script("second.sh", "touch second-ran");
        var request = _sandbox.Request(new HyperDrive.Core.Specs.TrialSpec { Steps = [first, second], Code = "code" });
        var observer = new RecordingObserver();
        using var cancel = new CancellationTokenSource();
        var run = _runner.RunAsync(request, observer, cancel.Token);

        await observer.FirstInterval;
        await cancel.CancelAsync();
        var outcome = await run.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(TrialOutcomeKind.Canceled, outcome.Kind);
        Assert.False(File.Exists(Path.Combine(request.WorkDirectory, "second-ran")));
        Assert.Single(observer.Started);
    }

    [Fact]
    public async Task Runner_should_start_nothing_when_canceled_before_it_starts()
    {
        var command = _sandbox.Script("never.sh", "touch ran");
        var request = _sandbox.Request(command);
        var observer = new RecordingObserver();

        var outcome = await _runner.RunAsync(request, observer, new CancellationToken(canceled: true));

        Assert.Equal(TrialOutcomeKind.Canceled, outcome.Kind);
        Assert.Empty(observer.Started);
        Assert.False(File.Exists(Path.Combine(request.WorkDirectory, "ran")));
    }

    [Fact]
    public async Task Runner_should_end_processes_left_behind_by_a_command_that_exited()
    {
        var command = _sandbox.Script("leaky.sh", """
            sleep 1000 &
            echo $! > "$HYPERDRIVE_OUTPUT_DIR/background.pid"
            echo "hyperdrive: loss=1"
            """);
        var request = _sandbox.Request(command);

        var outcome = await _runner.RunAsync(request, new RecordingObserver(), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(TrialOutcomeKind.Completed, outcome.Kind);
        Assert.False(LiveProcesses.IsRunning(LiveProcesses.ReadPid(Path.Combine(request.OutputDirectory, "background.pid"))));
        Assert.Contains("left processes running", await File.ReadAllTextAsync(request.LogFile), StringComparison.Ordinal);
    }
}
