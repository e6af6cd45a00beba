using System.Collections.Immutable;
using HyperDrive.Actors.Trials;
using HyperDrive.Core.Specs;
using HyperDrive.Training.Runners;

namespace HyperDrive.Benchmarks;

/// <summary>A trial that costs nothing: one interval with loss 0, then done. What is left to measure is the engine.</summary>
internal sealed class ZeroCostRunner : ITrialRunner, ITrialRunnerFactory
{
    private static readonly ImmutableDictionary<string, double> Loss = ImmutableDictionary<string, double>.Empty.Add("loss", 0);

    public ITrialRunner? For(TrialSpec trial, out string? error)
    {
        error = null;
        return this;
    }

    public Task<TrialOutcome> RunAsync(TrialRunRequest request, ITrialObserver observer, CancellationToken cancellationToken)
    {
        observer.OnInterval(new IntervalReport(1, Loss));
        return Task.FromResult(new TrialOutcome(TrialOutcomeKind.Completed, Loss, ExitCode: 0));
    }
}
