namespace HyperDrive.Actors.Sweeps;

public enum SweepStatus
{
    /// <summary>Not submitted yet (a fresh coordinator).</summary>
    None,
    Running,
    Completed,
    Canceled,

    /// <summary>Ended by a failure of the sweep itself (its sampler plug-in), not of a trial.</summary>
    Failed,
}
