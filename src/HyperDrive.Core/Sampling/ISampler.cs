using HyperDrive.Core.History;
using HyperDrive.Core.Parameters;

namespace HyperDrive.Core.Sampling;

/// <summary>
/// Proposes the parameters of the next trial. Pure and deterministic: the same sampler (same space, seed
/// and options) and the same history give the same proposal, in any process. The next trial's number is
/// <see cref="SweepHistory.NextTrialNumber"/>; trials still running are in the history without a result.
/// </summary>
public interface ISampler
{
    /// <summary>The algorithm's name as written in sweep files (<c>random</c>, <c>grid</c>, <c>sobol</c>).</summary>
    string Name { get; }

    /// <summary>The next proposal, or null when the space is exhausted (grid) and the sweep should end.</summary>
    ParameterSet? Propose(SweepHistory history);
}
