namespace HyperDrive.Actors.Models;

/// <summary>
/// The result of registering a sweep's best trial: what happened, a one-line message for the user, and the version
/// written (or, when nothing was, the version that stays the champion / was already registered, if any).
/// </summary>
public sealed record ModelRegistration(RegistrationOutcome Outcome, string Message, ModelVersion? Version);
