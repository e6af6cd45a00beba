using HyperDrive.Core.Specs;

namespace HyperDrive.Core.Policies;

/// <summary>
/// Turns <c>early_termination</c> into an <see cref="IEarlyTerminationPolicy"/> (null when the file names none).
/// A policy that is known but not built yet is refused with a <see cref="SpecException"/> that says so.
/// </summary>
public static class PolicyRegistry
{
    public static IEarlyTerminationPolicy? Create(SweepSpec spec) => throw new NotImplementedException();
}
