using HyperDrive.Core.History;

namespace HyperDrive.Core.Policies;

/// <summary>
/// Asynchronous successive halving (Li et al., "A System for Massively Parallel Hyperparameter Tuning", 2018/2020) over
/// the interval (epoch) resource, in its stopping form (Ray Tune's ASHAScheduler): rungs at intervals
/// <c>min_resource·eta^r</c> (below <c>max_resource</c> when given; no trial is stopped before <c>min_resource</c>, the
/// grace period). A trial reaching a rung continues only when its best value so far is in the top <c>1/eta</c> of the
/// values recorded at that rung by every trial that reached it; the decision is taken the moment it reports the rung,
/// without waiting for others. Defaults as Ray Tune's ASHAScheduler and Optuna's SuccessiveHalvingPruner: reduction
/// factor 4, grace period 1, no maximum. See <see cref="RungLadder"/> for the exact rule.
/// </summary>
public sealed class AshaPolicy : IEarlyTerminationPolicy
{
    public const double DefaultMinResource = 1;

    public const double DefaultReductionFactor = 4;

    private readonly RungLadder _ladder;
    private readonly string _describe;

    public AshaPolicy(double minResource = DefaultMinResource, double reductionFactor = DefaultReductionFactor, double? maxResource = null)
    {
        RungLadder.Validate(minResource, reductionFactor, maxResource);

        MinResource = minResource;
        ReductionFactor = reductionFactor;
        MaxResource = maxResource;
        _ladder = new RungLadder(minResource, reductionFactor, maxResource);
        _describe = $"asha, reduction_factor {PolicyFormat.Number(reductionFactor)}, min_resource {PolicyFormat.Number(minResource)}"
            + (maxResource is { } m ? $", max_resource {PolicyFormat.Number(m)}" : "");
    }

    public string Name => "asha";

    /// <summary>The grace period: the first rung; no trial is stopped before it.</summary>
    public double MinResource { get; }

    public double ReductionFactor { get; }

    public double? MaxResource { get; }

    /// <summary>The rung intervals, ascending (unbounded without a maximum: the list stops below int.MaxValue).</summary>
    public IReadOnlyList<int> Rungs => _ladder.Rungs;

    public TerminationDecision Evaluate(SweepHistory history, int trialNumber, int interval)
    {
        var trial = PolicySeries.Trial(history, trialNumber);
        return _ladder.Decide(trial, interval, history.Trials, history.Objective, _describe);
    }
}
