using System.Collections.Concurrent;

namespace HyperDrive.Actors.Trials;

/// <summary>
/// The attempts running on this node. When the node shuts down, their actors cancel them, but ending a
/// trial's process group takes up to its grace period; <see cref="WhenStoppedAsync"/> lets the host wait for
/// that, so no trial process outlives the node that started it.
/// </summary>
public sealed class AttemptRegistry
{
    private readonly ConcurrentDictionary<Task, CancellationTokenSource> _running = new();

    public int Count => _running.Count;

    public void Add(Task attempt, CancellationTokenSource stop)
    {
        _running[attempt] = stop;
        attempt.ContinueWith(t => _running.TryRemove(t, out _), TaskScheduler.Default);
    }

    /// <summary>Cancels every running attempt and waits (at most <paramref name="timeout"/>) for them to end.</summary>
    public async Task WhenStoppedAsync(TimeSpan timeout)
    {
        foreach (var stop in _running.Values)
        {
            try
            {
                stop.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // Already ended.
            }
        }

        var all = Task.WhenAll(_running.Keys);
        await Task.WhenAny(all, Task.Delay(timeout));
    }
}
