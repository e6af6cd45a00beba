using System.Collections.Concurrent;
using System.Collections.Immutable;
using Akka.Actor;
using HyperDrive.Actors.Trials;
using HyperDrive.Core.Specs;
using HyperDrive.Training.Runners;

namespace HyperDrive.Actors.Tests.Cluster;

/// <summary>An attempt began running on a worker node (told to the simulation's probe).</summary>
internal sealed record AttemptRunning(string Node, int Trial, int Attempt, string CudaVisibleDevices, string Sweep = "");

/// <summary>
/// The trial runner of one simulated worker node: each attempt tells <see cref="ClusterRecorder.Probe"/> it runs,
/// then waits for its trial's gate (released by the spec), reports one interval and completes. The recorder keeps
/// the attempts running on each node, and the most that ever ran at once there.
/// </summary>
internal sealed class GatedRunner(string node, ClusterRecorder recorder) : ITrialRunner, ITrialRunnerFactory
{
    public ITrialRunner? For(TrialSpec trial, out string? error)
    {
        error = null;
        return this;
    }

    public async Task<TrialOutcome> RunAsync(TrialRunRequest request, ITrialObserver observer, CancellationToken cancellationToken)
    {
        recorder.Began(node, request.SweepId, request.TrialNumber, request.Attempt, string.Join(",", request.GpuDevices));
        try
        {
            await Task.WhenAny(recorder.Gate("", request.TrialNumber).Task, recorder.Gate(request.SweepId, request.TrialNumber).Task).WaitAsync(cancellationToken);
            observer.OnInterval(new IntervalReport(1, ImmutableDictionary<string, double>.Empty.Add("accuracy", 1.0 / request.TrialNumber)));
            return new TrialOutcome(TrialOutcomeKind.Completed, ImmutableDictionary<string, double>.Empty, ExitCode: 0);
        }
        catch (OperationCanceledException)
        {
            return new TrialOutcome(TrialOutcomeKind.Canceled, ImmutableDictionary<string, double>.Empty, "stopped");
        }
        finally
        {
            recorder.Ended(node, request.TrialNumber, request.Attempt);
        }
    }
}

/// <summary>What the simulated workers ran: shared by every node of one simulation.</summary>
internal sealed class ClusterRecorder(IActorRef probe)
{
    private readonly ConcurrentDictionary<(string Sweep, int Trial), TaskCompletionSource> _gates = new();
    private readonly ConcurrentDictionary<string, int> _running = new();
    private readonly ConcurrentDictionary<string, int> _most = new();

    public IActorRef Probe { get; } = probe;

    /// <summary>The gate of one sweep's trial; sweep "" is the gate of that trial number in every sweep.</summary>
    public TaskCompletionSource Gate(string sweep, int trial) =>
        _gates.GetOrAdd((sweep, trial), _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    /// <summary>Lets trial <paramref name="trial"/> of every sweep complete.</summary>
    public void Release(int trial) => Gate("", trial).TrySetResult();

    public void Release(string sweep, int trial) => Gate(sweep, trial).TrySetResult();

    /// <summary>The most attempts that ever ran at once on <paramref name="node"/>.</summary>
    public int MostAtOnce(string node) => _most.GetValueOrDefault(node);

    public void Began(string node, string sweep, int trial, int attempt, string devices)
    {
        var now = _running.AddOrUpdate(node, 1, (_, n) => n + 1);
        _most.AddOrUpdate(node, now, (_, most) => Math.Max(most, now));
        Probe.Tell(new AttemptRunning(node, trial, attempt, devices, sweep));
    }

    public void Ended(string node, int trial, int attempt) => _running.AddOrUpdate(node, 0, (_, n) => n - 1);
}
