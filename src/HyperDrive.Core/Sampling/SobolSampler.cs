using HyperDrive.Core.History;
using HyperDrive.Core.Parameters;
using HyperDrive.Core.Spaces;
using HyperDrive.Core.Specs;

namespace HyperDrive.Core.Sampling;

/// <summary>
/// Azure v2's <c>rule: sobol</c>: trial n takes point n - 1 of a Sobol sequence with one dimension per
/// expression of the space (branch members included; see <see cref="SpaceSampling"/>), mapped through each
/// expression's inverse CDF. Point 0 is kept, as SciPy keeps it. Scrambled by default (a linear matrix
/// scramble and digital shift drawn from the seed); <c>scramble: false</c> gives the plain sequence, whose
/// point 0 is the lower bound of every dimension (normal ones clamp to about −7σ, see <see cref="Rounding.OpenUnit"/>).
/// </summary>
public sealed class SobolSampler : ISampler
{
    private readonly SobolSequence _sequence;

    public SobolSampler(SearchSpace space, long seed, bool scramble = true, SamplingOptions? options = null)
    {
        Space = space;
        Seed = seed;
        Scramble = scramble;
        Options = options ?? SamplingOptions.Default;
        var dimensions = SpaceSampling.DimensionCount(space);
        if (dimensions > SobolSequence.MaxDimensions)
        {
            throw new SpecException(SpecDiagnostic.Error(
                "search_space",
                $"sobol sampling supports at most {SobolSequence.MaxDimensions} dimensions, but this search space has {dimensions} " +
                "(one per parameter expression, the members of every choice branch included)"));
        }

        _sequence = scramble ? SobolSequence.Scrambled(dimensions, seed) : SobolSequence.Unscrambled(dimensions);
    }

    public string Name => "sobol";

    public SearchSpace Space { get; }

    public long Seed { get; }

    public bool Scramble { get; }

    public SamplingOptions Options { get; }

    public ParameterSet? Propose(SweepHistory history)
    {
        var point = _sequence.Point(history.NextTrialNumber - 1);
        return SpaceSampling.Draw(Space, i => point[i], Options);
    }
}
