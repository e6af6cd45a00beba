namespace HyperDrive.Training.Runners;

/// <summary>Receives what a running trial reports. Called from the runner's threads; implementations must be thread-safe.</summary>
public interface ITrialObserver
{
    /// <summary>One interval's metrics, in the order the trial reported them.</summary>
    void OnInterval(IntervalReport report);

    /// <summary>A metric line that could not be used (bad number, NaN, too long, …): logged and counted, never fatal.</summary>
    void OnMalformedMetric(string reason);

    /// <summary>The trial's process started in its own process group (so a later run can find and end it).</summary>
    void OnProcessStarted(int processId, int processGroupId);
}
