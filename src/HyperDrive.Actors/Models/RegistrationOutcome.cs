namespace HyperDrive.Actors.Models;

/// <summary>What <see cref="ModelRegistry.RegisterBestAsync"/> did.</summary>
public enum RegistrationOutcome
{
    /// <summary>A new version was written.</summary>
    Registered,

    /// <summary>only_if_better: the best trial did not beat the latest version; nothing written.</summary>
    KeptChampion,

    /// <summary>No completed trial reported the primary metric; nothing written.</summary>
    NoSuccessfulTrial,

    /// <summary>A version of this model already comes from this sweep (a resumed or repeated end); nothing written.</summary>
    AlreadyRegistered,

    /// <summary>The sweep was canceled (or has not ended): nothing written.</summary>
    SweepNotCompleted,
}
