using HyperDrive.Core.History;
using HyperDrive.Core.Parameters;
using HyperDrive.Core.Spaces;

namespace HyperDrive.Core.Sampling;

/// <summary>
/// Azure's random sampling: every dimension of the space (branch members included) gets an independent
/// uniform draw, mapped through its expression's inverse CDF. Trial n draws from
/// <see cref="StableRandom.ForTrial"/>(seed, n) alone, so it does not depend on other trials or their
/// results, and a replay reproduces it.
/// </summary>
public sealed class RandomSampler : ISampler
{
    private readonly int _dimensions;

    public RandomSampler(SearchSpace space, long seed, SamplingOptions? options = null)
    {
        Space = space;
        Seed = seed;
        Options = options ?? SamplingOptions.Default;
        _dimensions = SpaceSampling.DimensionCount(space);
    }

    public string Name => "random";

    public SearchSpace Space { get; }

    public long Seed { get; }

    public SamplingOptions Options { get; }

    public ParameterSet? Propose(SweepHistory history)
    {
        var random = StableRandom.ForTrial(Seed, history.NextTrialNumber);
        var unit = new double[_dimensions];
        for (var i = 0; i < unit.Length; i++)
        {
            unit[i] = random.NextDouble();
        }

        return SpaceSampling.Draw(Space, i => unit[i], Options);
    }
}
