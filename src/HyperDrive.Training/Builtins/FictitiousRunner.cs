using System.Collections.Immutable;
using HyperDrive.Core.Models;
using HyperDrive.Core.Parameters;
using HyperDrive.Training.Runners;

namespace HyperDrive.Training.Builtins;

/// <summary>
/// The built-in <c>fictitious</c> trainer (DESIGN §7): hyperparameters <c>thr</c>, <c>epoch</c> and <c>lr</c>,
/// one interval per epoch with precision, recall, accuracy, loss and f1. It computes in microseconds;
/// <c>builtin_options.epoch_seconds</c> makes each epoch take that long, so early stopping can be seen at work.
/// </summary>
public sealed class FictitiousRunner : ITrialRunner
{
    public async Task<TrialOutcome> RunAsync(TrialRunRequest request, ITrialObserver observer, CancellationToken cancellationToken)
    {
        if (!TryRead(request.Parameters, out var thr, out var epochs, out var lr, out var error))
        {
            return new TrialOutcome(TrialOutcomeKind.Failed, ImmutableDictionary<string, double>.Empty, error);
        }

        var epochSeconds = request.Trial.BuiltinOptions["epoch_seconds"]?.AsDouble() ?? 0;
        var final = ImmutableDictionary<string, double>.Empty;
        try
        {
            for (var e = 1; e <= epochs; e++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (epochSeconds > 0)
                {
                    await Task.Delay(TimeSpan.FromSeconds(epochSeconds), cancellationToken);
                }

                var metrics = FictitiousModel.Evaluate(thr, epochs, lr, e).ToNamed().ToImmutableDictionary();
                final = metrics;
                observer.OnInterval(new IntervalReport(e, metrics));
            }
        }
        catch (OperationCanceledException)
        {
            return new TrialOutcome(TrialOutcomeKind.Canceled, final, "stopped");
        }
        catch (FictitiousDomainException domain)
        {
            return new TrialOutcome(TrialOutcomeKind.Failed, final, domain.Message);
        }

        return new TrialOutcome(TrialOutcomeKind.Completed, final, ExitCode: 0);
    }

    private static bool TryRead(ParameterSet parameters, out double thr, out int epochs, out double lr, out string? error)
    {
        thr = 0;
        epochs = 0;
        lr = 0;
        var missing = new[] { "thr", "epoch", "lr" }.Where(n => parameters.Find(n)?.AsDouble() is null).ToList();
        if (missing.Count > 0)
        {
            error = $"fictitious needs numeric hyperparameters thr, epoch and lr; missing or not a number: {string.Join(", ", missing)}";
            return false;
        }

        thr = parameters.Find("thr")!.AsDouble()!.Value;
        lr = parameters.Find("lr")!.AsDouble()!.Value;
        var epoch = parameters.Find("epoch")!.AsDouble()!.Value;
        if (epoch != Math.Floor(epoch) || epoch < 1 || epoch > FictitiousModel.MaxEpochs)
        {
            error = FormattableString.Invariant($"fictitious: epoch = {epoch} is outside the integers 1..{FictitiousModel.MaxEpochs}");
            return false;
        }

        epochs = (int)epoch;
        error = null;
        return true;
    }
}
