using HyperDrive.Core.History;
using HyperDrive.Core.Parameters;
using HyperDrive.Core.Spaces;
using MathNet.Numerics.Distributions;

namespace HyperDrive.Core.Sampling.Bayesian;

/// <summary>
/// Gaussian-process Bayesian optimisation. The first <see cref="BayesianOptions.InitialPointsFor"/> trials take
/// points of a scrambled Sobol sequence; later trials fit a GP (Matérn 5/2 ARD by default, see
/// <see cref="SpaceEncoder"/> for the unit-cube encoding) to the standardised losses of the observations (Completed
/// or Canceled trials with a result) and propose the candidate of highest acquisition (log EI by default) among
/// Sobol candidates, perturbations of the best observations, and a local refinement of the best few.
/// <para>
/// Trials still running are pending: they join the GP with a fantasy loss, max(posterior mean, best observed), so
/// the posterior variance collapses there and the acquisition has nothing to gain at or near them (a kriging
/// believer capped at the incumbent), and a candidate equal to any earlier trial is skipped.
/// </para>
/// <para>
/// Deterministic from the seed and the history. Kernel hyperparameters are refitted on every proposal up to
/// <see cref="FullRefitUpTo"/> observations; beyond that they are fitted on the first K observations (in trial
/// order), K stepping up by a tenth at a time, and memoised by that data set: a pure function of the history
/// computed once, so a rebuilt sampler proposes what this one would have.
/// </para>
/// </summary>
public sealed class BayesianSampler : ISampler
{
    public const int FullRefitUpTo = 50;
    public const int FitSubset = 100;
    private const int RefinedCandidates = 5;
    private const int RefinementSteps = 20;
    private const int NeighbourSources = 3;
    private const int NeighboursPerSource = 32;

    private readonly SpaceEncoder _encoder;
    private readonly SobolSequence? _initial;
    private readonly Dictionary<ulong, KernelHyperparameters> _fits = [];
    private readonly Lock _fitsLock = new();

    public BayesianSampler(SearchSpace space, long seed, BayesianOptions? bayesian = null, SamplingOptions? options = null)
    {
        Space = space;
        Seed = seed;
        Bayesian = bayesian ?? BayesianOptions.Default;
        Options = options ?? SamplingOptions.Default;
        _encoder = new SpaceEncoder(space, Options);
        var dimensions = _encoder.DimensionCount;
        _initial = dimensions > 0 && dimensions <= SobolSequence.MaxDimensions
            ? SobolSequence.Scrambled(dimensions, seed)
            : null;
    }

    public string Name => "bayesian";

    public SearchSpace Space { get; }

    public long Seed { get; }

    public BayesianOptions Bayesian { get; }

    public SamplingOptions Options { get; }

    public ParameterSet? Propose(SweepHistory history)
    {
        var trial = history.NextTrialNumber;
        var observations = new List<TrialRecord>();
        var pending = new List<TrialRecord>();
        foreach (var record in history.Trials)
        {
            if (record.Status is TrialStatus.Completed or TrialStatus.Canceled && record.FinalValue is { } v && double.IsFinite(v))
            {
                observations.Add(record);
            }
            else if (!record.IsFinished)
            {
                pending.Add(record);
            }
        }

        if (_encoder.DimensionCount == 0 || trial <= Bayesian.InitialPointsFor(_encoder.DimensionCount) || observations.Count < 2)
        {
            return InitialPoint(trial);
        }

        var x = observations.Select(o => _encoder.Encode(o.Parameters)).ToArray();
        var losses = observations.Select(o => history.Objective.ToLoss(o.FinalValue!.Value)).ToArray();
        var y = OutputWarping.Warp(losses);
        var hyperparameters = Hyperparameters(observations, x, losses);
        var gp = GaussianProcess.Condition(Bayesian.Kernel, hyperparameters, x, y);
        var best = y.Min();
        if (pending.Count > 0)
        {
            var xp = pending.Select(p => _encoder.Encode(p.Parameters)).ToArray();
            var fantasies = xp.Select(point => Math.Max(gp.Predict(point).Mean, best));
            gp = GaussianProcess.Condition(Bayesian.Kernel, hyperparameters, [.. x, .. xp], [.. y, .. fantasies]);
        }

        var taken = new HashSet<string>(history.Trials.Select(t => t.Parameters.ToJson()), StringComparer.Ordinal);
        var scorer = new Scorer(this, gp, best);
        var random = StableRandom.ForTrial(Seed, trial, 1);
        var candidates = new List<Candidate>();

        var sobol = _encoder.DimensionCount <= SobolSequence.MaxDimensions
            ? SobolSequence.Scrambled(_encoder.DimensionCount, (long)StableHash.Mix((ulong)Seed, (ulong)trial))
            : null;
        var units = new double[Bayesian.Candidates][];
        for (var i = 0; i < units.Length; i++)
        {
            units[i] = sobol?.Point(i) ?? RandomUnit(random);
        }

        // Each candidate's score depends on it alone, so scoring in parallel gives the same list in any order of work.
        var scored = new Candidate[units.Length];
        Parallel.For(0, units.Length, i => scored[i] = scorer.Score(units[i]));
        candidates.AddRange(scored);

        var ranked = observations.Select((o, i) => (Units: _encoder.Units(o.Parameters), Loss: y[i]))
            .OrderBy(o => o.Loss).Take(NeighbourSources).ToList();
        foreach (var source in ranked)
        {
            for (var i = 0; i < NeighboursPerSource; i++)
            {
                candidates.Add(scorer.Score(Perturb(Fill(source.Units, random), 0.05, random)));
            }
        }

        var refined = candidates.OrderByDescending(c => c.Score).Take(RefinedCandidates).ToList();
        foreach (var start in refined)
        {
            var current = start;
            var step = 0.05;
            for (var s = 0; s < RefinementSteps; s++)
            {
                var next = scorer.Score(Perturb(current.Unit, step, random));
                if (next.Score > current.Score)
                {
                    current = next;
                    step = Math.Min(step * 1.5, 0.3);
                }
                else
                {
                    step = Math.Max(step * 0.8, 1e-4);
                }

                candidates.Add(next);
            }
        }

        // Highest score first; equal scores keep generation order (List.Sort is not stable, OrderBy is).
        foreach (var candidate in candidates.OrderByDescending(c => c.Score))
        {
            if (!taken.Contains(candidate.Key))
            {
                return candidate.Parameters;
            }
        }

        return candidates.OrderByDescending(c => c.Score).First().Parameters;
    }

    private ParameterSet InitialPoint(int trial)
    {
        if (_initial is null)
        {
            var random = StableRandom.ForTrial(Seed, trial);
            return _encoder.Decode(RandomUnit(random));
        }

        return _encoder.Decode(_initial.Point(trial - 1));
    }

    private double[] RandomUnit(Random random)
    {
        var u = new double[_encoder.DimensionCount];
        for (var i = 0; i < u.Length; i++)
        {
            u[i] = random.NextDouble();
        }

        return u;
    }

    // Inactive dimensions (NaN) of an observation get a fresh draw, so a perturbation can switch branches.
    private static double[] Fill(double[] units, Random random)
    {
        var u = (double[])units.Clone();
        for (var i = 0; i < u.Length; i++)
        {
            if (double.IsNaN(u[i]))
            {
                u[i] = random.NextDouble();
            }
        }

        return u;
    }

    private double[] Perturb(double[] unit, double step, Random random)
    {
        var u = (double[])unit.Clone();
        var switchProbability = 1.0 / u.Length;
        for (var i = 0; i < u.Length; i++)
        {
            if (_encoder.IsCategorical(i))
            {
                if (random.NextDouble() < switchProbability)
                {
                    u[i] = random.NextDouble();
                }
            }
            else
            {
                u[i] = Math.Clamp(u[i] + step * Normal.InvCDF(0, 1, Rounding.OpenUnit(random.NextDouble())), 0, 1 - 1e-12);
            }
        }

        return u;
    }

    private KernelHyperparameters Hyperparameters(List<TrialRecord> observations, double[][] x, double[] losses)
    {
        var count = FitCount(observations.Count);
        var order = Enumerable.Range(0, observations.Count).OrderBy(i => observations[i].Number).Take(count).ToArray();
        var key = new ulong[2 * count + 2];
        key[0] = (ulong)count;
        key[1] = (ulong)Bayesian.Kernel;
        for (var i = 0; i < count; i++)
        {
            key[2 + 2 * i] = (ulong)observations[order[i]].Number;
            key[3 + 2 * i] = (ulong)BitConverter.DoubleToInt64Bits(losses[order[i]]);
        }

        var hash = StableHash.Mix(key);
        lock (_fitsLock)
        {
            if (_fits.TryGetValue(hash, out var cached))
            {
                return cached;
            }
        }

        // Past FitSubset observations the fit sees the best half of them and an even spread of the rest (trial order):
        // the likelihood's cost grows as n³, and a hundred points pin a handful of length scales down well.
        if (order.Length > FitSubset)
        {
            var byLoss = order.OrderBy(i => losses[i]).ThenBy(i => observations[i].Number).ToArray();
            var best = byLoss.Take(FitSubset / 2).ToHashSet();
            var rest = order.Where(i => !best.Contains(i)).ToArray();
            var spread = Enumerable.Range(0, FitSubset - best.Count).Select(j => rest[j * rest.Length / (FitSubset - best.Count)]);
            order = [.. order.Where(i => best.Contains(i)).Concat(spread).OrderBy(i => observations[i].Number)];
        }

        var fitted = KernelFit.Fit(
            Bayesian.Kernel,
            [.. order.Select(i => x[i])],
            OutputWarping.Warp([.. order.Select(i => losses[i])]),
            Bayesian.Noise,
            new StableRandom(StableHash.Mix((ulong)Seed, (ulong)count, 0x6B65726E656CUL)));
        lock (_fitsLock)
        {
            if (_fits.Count >= 64)
            {
                _fits.Clear();
            }

            _fits[hash] = fitted;
        }

        return fitted;
    }

    /// <summary>How many observations (the first, in trial order) the kernel hyperparameters are fitted on.</summary>
    internal static int FitCount(int observations)
    {
        if (observations <= FullRefitUpTo)
        {
            return observations;
        }

        var count = FullRefitUpTo;
        while (count + Math.Max(1, count / 10) <= observations)
        {
            count += Math.Max(1, count / 10);
        }

        return count;
    }

    private readonly record struct Candidate(double[] Unit, ParameterSet Parameters, string Key, double Score);

    private sealed class Scorer(BayesianSampler sampler, GaussianProcess gp, double best)
    {
        public Candidate Score(double[] unit)
        {
            var parameters = sampler._encoder.Decode(unit);
            var (mean, variance) = gp.Predict(sampler._encoder.Encode(parameters));
            var sigma = Math.Sqrt(variance);
            var options = sampler.Bayesian;
            var score = options.Acquisition switch
            {
                AcquisitionKind.ProbabilityOfImprovement => Acquisition.LogProbabilityOfImprovement(mean, sigma, best, options.Xi),
                AcquisitionKind.LowerConfidenceBound => Acquisition.NegativeLowerConfidenceBound(mean, sigma, options.Kappa),
                _ => Acquisition.LogExpectedImprovement(mean, sigma, best, options.Xi),
            };
            return new Candidate(unit, parameters, parameters.ToJson(), score);
        }
    }
}
