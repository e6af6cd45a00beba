using System.Collections.Concurrent;
using HyperDrive.Training.Runners;

namespace HyperDrive.Training.Tests.Support;

/// <summary>Records what a runner reports; tests await its events instead of sleeping.</summary>
internal sealed class RecordingObserver : ITrialObserver
{
    private readonly TaskCompletionSource<IntervalReport> _firstInterval = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<(int Pid, int Pgid)> _firstStart = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ConcurrentQueue<IntervalReport> Intervals { get; } = new();

    public ConcurrentQueue<string> Malformed { get; } = new();

    public ConcurrentQueue<(int Pid, int Pgid)> Started { get; } = new();

    public Task<IntervalReport> FirstInterval => _firstInterval.Task.WaitAsync(TimeSpan.FromSeconds(20));

    public Task<(int Pid, int Pgid)> FirstStart => _firstStart.Task.WaitAsync(TimeSpan.FromSeconds(20));

    public void OnInterval(IntervalReport report)
    {
        Intervals.Enqueue(report);
        _firstInterval.TrySetResult(report);
    }

    public void OnMalformedMetric(string reason) => Malformed.Enqueue(reason);

    public void OnProcessStarted(int processId, int processGroupId)
    {
        Started.Enqueue((processId, processGroupId));
        _firstStart.TrySetResult((processId, processGroupId));
    }
}
