using System.Collections.Immutable;
using HyperDrive.Core.History;
using HyperDrive.Core.Parameters;

namespace HyperDrive.Core.Sampling;

/// <summary>
/// Warm start (<c>resume_from</c>): earlier sweeps' finished trials are shown to a model-based sampler as if they
/// were this sweep's first trials, so its model starts from them. The inner sampler sees the priors numbered 1..P
/// and this sweep's trials from P + 1 on; priors are fixed when the sweep is submitted (recorded with it), so the
/// proposals stay a pure function of the history and a recovery proposes the same.
/// </summary>
public sealed class WarmStartSampler : ISampler
{
    private readonly ISampler _inner;
    private readonly ImmutableArray<TrialRecord> _priors;

    public WarmStartSampler(ISampler inner, IEnumerable<TrialRecord> priors)
    {
        _inner = inner;
        _priors = [.. priors.Select((t, i) => t with { Number = i + 1 })];
    }

    public string Name => _inner.Name;

    public int PriorCount => _priors.Length;

    public ParameterSet? Propose(SweepHistory history)
    {
        var own = history.Trials.Select(t => t with { Number = t.Number + _priors.Length });
        return _inner.Propose(new SweepHistory(history.Objective, [.. _priors, .. own]));
    }

    /// <summary>An earlier sweep's trial as a finished record (status and final value), ready to be a prior.</summary>
    public static TrialRecord Prior(ParameterSet parameters, TrialStatus status, double value) =>
        new(0, parameters, status, [new MetricPoint(1, value)]);
}
