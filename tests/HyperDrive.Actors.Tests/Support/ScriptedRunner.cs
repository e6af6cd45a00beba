using System.Collections.Concurrent;
using System.Collections.Immutable;
using HyperDrive.Actors.Trials;
using HyperDrive.Core.Specs;
using HyperDrive.Training.Runners;

namespace HyperDrive.Actors.Tests.Support;

/// <summary>
/// A runner whose trials report the accuracies a script gives them, then wait until stopped (or end when
/// <see cref="CompleteAfterScript"/>). Every start and every stop is recorded, so specs can assert on them.
/// </summary>
internal sealed class ScriptedRunner : ITrialRunner, ITrialRunnerFactory
{
    private readonly Func<int, IReadOnlyList<double>> _script;

    public ScriptedRunner(Func<int, IReadOnlyList<double>> script)
    {
        _script = script;
    }

    public bool CompleteAfterScript { get; init; }

    public ConcurrentQueue<(int Trial, int Attempt)> Starts { get; } = new();

    public BlockingCollection<int> Stopped { get; } = new();

    /// <summary>Trials that wait for their gate before reporting anything (to order reports across trials).</summary>
    public ConcurrentDictionary<int, TaskCompletionSource> Gates { get; } = new();

    public ITrialRunner? For(TrialSpec trial, out string? error)
    {
        error = null;
        return this;
    }

    public async Task<TrialOutcome> RunAsync(TrialRunRequest request, ITrialObserver observer, CancellationToken cancellationToken)
    {
        Starts.Enqueue((request.TrialNumber, request.Attempt));
        if (Gates.TryGetValue(request.TrialNumber, out var gate))
        {
            await gate.Task.WaitAsync(cancellationToken);
        }

        var values = _script(request.TrialNumber);
        for (var i = 0; i < values.Count; i++)
        {
            observer.OnInterval(new IntervalReport(i + 1, ImmutableDictionary<string, double>.Empty.Add("accuracy", values[i])));
        }

        if (CompleteAfterScript)
        {
            return new TrialOutcome(TrialOutcomeKind.Completed, ImmutableDictionary<string, double>.Empty, ExitCode: 0);
        }

        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            Stopped.Add(request.TrialNumber);
        }

        return new TrialOutcome(TrialOutcomeKind.Canceled, ImmutableDictionary<string, double>.Empty, "stopped");
    }
}
