using HyperDrive.Core.History;
using HyperDrive.Core.Parameters;
using HyperDrive.Core.Spaces;

namespace HyperDrive.Core.Sampling.Tpe;

/// <summary>
/// Tree-structured Parzen estimator, as Optuna's TPESampler (3.1) with its defaults: the first
/// <see cref="TpeOptions.StartupTrials"/> observations are random (the random sampler's draws for the same seed); then
/// the observations are split by loss into the γ(n) best and the rest, a <see cref="ParzenEstimator"/> is fitted to each,
/// <see cref="TpeOptions.EiCandidates"/> candidates are drawn from the good one and the candidate with the largest
/// log l(x) − log g(x) is proposed. Univariate by default (one estimator pair and one choice per dimension);
/// multivariate fits one joint estimator over the top-level dimensions (the members of nested branches stay univariate).
/// <para>
/// Observations are Completed and Canceled trials with a result (<see cref="TrialRecord.FinalValue"/>); Failed trials
/// are ignored. Trials still Queued or Running are Optuna's constant liar: they join the bad group with the worst loss,
/// so the density ratio is low around them and concurrent proposals stay apart. Trial n draws from
/// <see cref="StableRandom.ForTrial"/>(seed, n), one stream per dimension, so it is a pure function of the history.
/// </para>
/// </summary>
public sealed class TpeSampler : ISampler
{
    private const ulong JointStream = 0x4A4F494E54UL; // "JOINT"

    private readonly EncodedSpace _space;
    private readonly RandomSampler _startup;
    private readonly ParzenDimension[] _parzen;
    private readonly int[] _joint;
    private readonly int[] _single;

    public TpeSampler(SearchSpace space, long seed, TpeOptions? tpe = null, SamplingOptions? options = null)
    {
        Space = space;
        Seed = seed;
        Tpe = tpe ?? TpeOptions.Default;
        Options = options ?? SamplingOptions.Default;
        _space = new EncodedSpace(space, Options);
        _startup = new RandomSampler(space, seed, Options);
        _parzen = [.. _space.Dimensions.Select(ParzenDimension.Of)];
        _joint = Tpe.Multivariate ? [.. _space.Dimensions.Where(d => d.IsTopLevel).Select(d => d.Index)] : [];
        _single = [.. _space.Dimensions.Select(d => d.Index).Except(_joint)];
    }

    public string Name => "tpe";

    public SearchSpace Space { get; }

    public long Seed { get; }

    public TpeOptions Tpe { get; }

    public SamplingOptions Options { get; }

    public ParameterSet? Propose(SweepHistory history)
    {
        var n = history.Trials.Count(t => t.Status != TrialStatus.Failed && t.IsFinished && t.FinalValue is not null);
        if (n < Tpe.StartupTrials || _space.Count == 0)
        {
            return _startup.Propose(history);
        }

        var trialNumber = history.NextTrialNumber;
        var observations = new List<(double[] X, double Loss, bool Pending, int Order)>();
        foreach (var trial in history.Trials)
        {
            if (trial.Status == TrialStatus.Failed)
            {
                continue;
            }

            if (!trial.IsFinished)
            {
                observations.Add((_space.Encode(trial.Parameters, levels: true), double.PositiveInfinity, true, observations.Count));
            }
            else if (trial.FinalValue is { } value)
            {
                observations.Add((_space.Encode(trial.Parameters, levels: true), history.Objective.ToLoss(value), false, observations.Count));
            }
        }

        // Optuna's split: by loss (pending last, ties in trial order), each group then back in trial order for the weights.
        var ranked = observations.OrderBy(o => o.Pending).ThenBy(o => o.Loss).ThenBy(o => o.Order).ToList();
        var good = Math.Min(Tpe.Gamma(n), ranked.Count);
        var below = ranked.Take(good).OrderBy(o => o.Order).Select(o => o.X).ToList();
        var above = ranked.Skip(good).OrderBy(o => o.Order).Select(o => o.X).ToList();

        var chosen = new double[_space.Count];
        if (_joint.Length > 0)
        {
            Choose(_joint, below, above, StableRandom.ForTrial(Seed, trialNumber, JointStream), chosen);
        }

        foreach (var d in _single)
        {
            Choose([d], below, above, StableRandom.ForTrial(Seed, trialNumber, 1 + (ulong)d), chosen);
        }

        return _space.Decode(chosen, levels: true);
    }

    /// <summary>Draws candidates from the good estimator over <paramref name="dimensions"/> and keeps the best ratio.</summary>
    private void Choose(int[] dimensions, List<double[]> below, List<double[]> above, StableRandom random, double[] chosen)
    {
        var parzen = dimensions.Select(d => _parzen[d]).ToArray();
        var good = new ParzenEstimator(parzen, Project(below, dimensions), Tpe);
        var bad = new ParzenEstimator(parzen, Project(above, dimensions), Tpe);
        var candidates = good.Sample(random, Tpe.EiCandidates);
        var best = candidates[0];
        var bestScore = double.NegativeInfinity;
        // Levels and options repeat among the candidates: each distinct one-dimensional candidate is scored once.
        var scores = dimensions.Length == 1 ? new Dictionary<double, double>() : null;
        foreach (var candidate in candidates)
        {
            double score;
            if (scores is null || !scores.TryGetValue(candidate[0], out score))
            {
                score = good.LogPdf(candidate) - bad.LogPdf(candidate);
                scores?.Add(candidate[0], score);
            }

            if (score > bestScore || double.IsNaN(bestScore))
            {
                (best, bestScore) = (candidate, score);
            }
        }

        for (var i = 0; i < dimensions.Length; i++)
        {
            chosen[dimensions[i]] = best[i];
        }
    }

    // The observations that have every one of the dimensions (a nested branch's members only where it was chosen).
    private static List<double[]> Project(List<double[]> observations, int[] dimensions)
    {
        var result = new List<double[]>(observations.Count);
        foreach (var x in observations)
        {
            var projected = new double[dimensions.Length];
            var complete = true;
            for (var i = 0; i < dimensions.Length && complete; i++)
            {
                projected[i] = x[dimensions[i]];
                complete = !double.IsNaN(projected[i]);
            }

            if (complete)
            {
                result.Add(projected);
            }
        }

        return result;
    }
}
