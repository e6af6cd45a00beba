using HyperDrive.Core.Specs;
using HyperDrive.Training.Runners;

namespace HyperDrive.Actors.Trials;

/// <summary>Picks the runner for a trial spec (a built-in trainer or the external command runner).</summary>
public interface ITrialRunnerFactory
{
    /// <summary>The runner, or null with <paramref name="error"/> when the spec names something this node cannot run.</summary>
    ITrialRunner? For(TrialSpec trial, out string? error);
}
