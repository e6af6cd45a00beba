using HyperDrive.Core.History;
using HyperDrive.Core.Parameters;

namespace HyperDrive.Core.Sampling;

/// <summary>
/// Proposes the parameters of the next trial. Pure and deterministic: the same sampler (same space, seed
/// and options) and the same history give the same proposal, in any process. The next trial's number is
/// <see cref="SweepHistory.NextTrialNumber"/>; trials still running are in the history without a result.
/// <para>
/// Seeding: the engine builds the sampler once per sweep with <see cref="SamplerRegistry.Create(Specs.SweepSpec)"/>,
/// which takes <c>sampling_algorithm.seed</c> (0 when the file names none and the reader recorded none), or with
/// <see cref="SamplerRegistry.Create(Specs.SweepSpec, long)"/> and a seed it derived and persisted with the sweep.
/// A sampler draws trial n from <see cref="StableRandom.ForTrial"/>(seed, n) or from point n − 1 of a sequence,
/// never from a generator that advances between calls, so it keeps no hidden state: after a recovery the engine
/// rebuilds the history from its events, builds the sampler again from the same spec and seed, and the next
/// proposal is the one it would have been. A proposal already recorded is never asked for again.
/// </para>
/// </summary>
public interface ISampler
{
    /// <summary>The algorithm's name as written in sweep files (<c>random</c>, <c>grid</c>, <c>sobol</c>).</summary>
    string Name { get; }

    /// <summary>The next proposal, or null when the space is exhausted (grid) and the sweep should end.</summary>
    ParameterSet? Propose(SweepHistory history);
}
