namespace HyperDrive.Actors.Sweeps;

public enum SweepStatus
{
    /// <summary>Not submitted yet (a fresh coordinator).</summary>
    None,
    Running,
    Completed,
    Canceled,
}
