using System.Collections.Immutable;

namespace HyperDrive.Training.Runners;

/// <summary>
/// Numbers an attempt's intervals across its steps and both metric channels, keeps the last value of every metric,
/// and shields the runner from an observer that throws (the first exception is kept and ends the attempt as an
/// infrastructure failure; the observer is not called again). Thread-safe.
/// </summary>
internal sealed class IntervalTracker
{
    private readonly Lock _lock = new();
    private readonly ITrialObserver _observer;
    // Mutable under the lock (updated on every line), made immutable only when asked for (once per attempt).
    private readonly Dictionary<string, double> _final = new(StringComparer.Ordinal);
    private int _last;

    public IntervalTracker(ITrialObserver observer)
    {
        _observer = observer;
    }

    public Exception? ObserverFailure { get; private set; }

    public ImmutableDictionary<string, double> FinalMetrics
    {
        get
        {
            lock (_lock)
            {
                return _final.ToImmutableDictionary(StringComparer.Ordinal);
            }
        }
    }

    /// <summary>An interval with an explicit index keeps it; one without is the next after the highest seen so far.</summary>
    public void Report(int? interval, ImmutableDictionary<string, double> metrics)
    {
        lock (_lock)
        {
            var index = interval ?? (_last + 1);
            _last = Math.Max(_last, index);
            foreach (var (name, value) in metrics)
            {
                _final[name] = value;
            }

            Notify(o => o.OnInterval(new IntervalReport(index, metrics)));
        }
    }

    public void Malformed(string reason)
    {
        lock (_lock)
        {
            Notify(o => o.OnMalformedMetric(reason));
        }
    }

    public void ProcessStarted(int processId, int processGroupId)
    {
        lock (_lock)
        {
            Notify(o => o.OnProcessStarted(processId, processGroupId));
        }
    }

    private void Notify(Action<ITrialObserver> call)
    {
        if (ObserverFailure is not null)
        {
            return;
        }

        try
        {
            call(_observer);
        }
#pragma warning disable CA1031 // The observer is the engine's code: its failure must not leave the trial's process running.
        catch (Exception e)
#pragma warning restore CA1031
        {
            ObserverFailure = e;
        }
    }
}
