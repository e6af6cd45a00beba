namespace HyperDrive.Training.Runners;

/// <summary>
/// Runs one attempt of one trial to its end, reporting every interval's metrics as they arrive.
/// Cancellation (early stop, sweep cancel, shutdown) ends the attempt cleanly: an external process gets
/// SIGTERM, then SIGKILL after the grace period, and the outcome is <see cref="TrialOutcomeKind.Canceled"/>.
/// A runner never throws for the trial's own failures: they are outcomes.
/// </summary>
public interface ITrialRunner
{
    Task<TrialOutcome> RunAsync(TrialRunRequest request, ITrialObserver observer, CancellationToken cancellationToken);
}
