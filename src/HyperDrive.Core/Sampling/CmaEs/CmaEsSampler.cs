using HyperDrive.Core.History;
using HyperDrive.Core.Parameters;
using HyperDrive.Core.Spaces;

namespace HyperDrive.Core.Sampling.CmaEs;

/// <summary>
/// CMA-ES (<see cref="CmaEsState"/>) over the numeric top-level parameters in the unit cube of
/// <see cref="EncodedSpace"/> (log parameters in log space), started at the centre with σ0 = 1/6 as Optuna's.
/// Trials 1..s (<see cref="CmaEsOptions.StartupTrials"/>) are random; after them generation g is trials
/// s + g·λ + 1 .. s + (g + 1)·λ. The state is a pure function of the history: every call replays the finished
/// generations in trial order, each told with its trials' parameters read back and their losses (a Failed trial, or one
/// without a result, as the worst). Trial n of generation g draws from <see cref="StableRandom.ForTrial"/>(seed, n) and
/// the state after the last finished generation before g, so the trials of one generation are distinct draws of one
/// distribution; while an earlier generation still has trials running (max_concurrent_trials > λ), its successors draw
/// from the current distribution and are told with their own generation once it is their turn (as injected solutions).
/// Choice parameters and the members of nested branches are drawn at random, as Optuna's CmaEsSampler does with its
/// independent sampler, so every space runs; a space without numeric top-level parameters is random search.
/// </summary>
public sealed class CmaEsSampler : ISampler
{
    private const ulong CandidateStream = 0x434D41UL; // "CMA"

    private readonly EncodedSpace _space;
    private readonly int[] _dimensions;

    public CmaEsSampler(SearchSpace space, long seed, CmaEsOptions? cma = null, SamplingOptions? options = null)
    {
        Space = space;
        Seed = seed;
        Cma = cma ?? CmaEsOptions.Default;
        Options = options ?? SamplingOptions.Default;
        _space = new EncodedSpace(space, Options);
        _dimensions = [.. _space.Dimensions.Where(d => d.IsTopLevel && d.Kind != DimensionKind.Categorical).Select(d => d.Index)];
        Lambda = Cma.Lambda(_dimensions.Length);
    }

    public string Name => "cmaes";

    public SearchSpace Space { get; }

    public long Seed { get; }

    public CmaEsOptions Cma { get; }

    public SamplingOptions Options { get; }

    /// <summary>The population size λ.</summary>
    public int Lambda { get; }

    public ParameterSet? Propose(SweepHistory history)
    {
        var trialNumber = history.NextTrialNumber;
        var random = StableRandom.ForTrial(Seed, trialNumber);
        var unit = new double[_space.Count];
        for (var i = 0; i < unit.Length; i++)
        {
            unit[i] = random.NextDouble();
            if (_space.Dimensions[i].Expression is ChoiceExpression choice)
            {
                unit[i] = choice.IndexFromUnit(unit[i]);
            }
        }

        if (trialNumber > Cma.StartupTrials && _dimensions.Length > 0)
        {
            var generation = (trialNumber - Cma.StartupTrials - 1) / Lambda;
            var x = Replay(history, generation).Sample(StableRandom.ForTrial(Seed, trialNumber, CandidateStream));
            for (var i = 0; i < _dimensions.Length; i++)
            {
                unit[_dimensions[i]] = x[i];
            }
        }

        return _space.Decode(unit, levels: false);
    }

    /// <summary>The state generation <paramref name="generation"/> draws from: every finished generation before it told in order.</summary>
    internal CmaEsState Replay(SweepHistory history, int generation)
    {
        var state = new CmaEsState([.. _dimensions.Select(_ => 0.5)], Cma.Sigma0, Lambda);
        for (var g = 0; g < generation; g++)
        {
            var first = Cma.StartupTrials + g * Lambda + 1;
            var last = first + Lambda - 1;
            if (last > history.Count || Enumerable.Range(first, Lambda).Any(n => !history.Trial(n).IsFinished))
            {
                break;
            }

            var solutions = new List<(double[] X, double Loss)>(Lambda);
            for (var n = first; n <= last; n++)
            {
                var trial = history.Trial(n);
                var coordinates = _space.Encode(trial.Parameters, levels: false);
                var x = new double[_dimensions.Length];
                for (var i = 0; i < x.Length; i++)
                {
                    var value = coordinates[_dimensions[i]];
                    x[i] = double.IsNaN(value) ? state.Mean[i] : value;
                }

                var loss = trial.Status != TrialStatus.Failed && trial.FinalValue is { } final
                    ? history.Objective.ToLoss(final)
                    : double.PositiveInfinity;
                solutions.Add((x, double.IsNaN(loss) ? double.PositiveInfinity : loss));
            }

            // A generation with no result at all carries no information: the distribution stays as it was.
            if (solutions.All(s => double.IsPositiveInfinity(s.Loss)))
            {
                continue;
            }

            state.Tell(solutions);
        }

        return state;
    }
}
