namespace HyperDrive.Core.Sampling.Bayesian;

/// <summary>The Bayesian sampler's <c>acquisition_function</c>: log expected improvement (default), log probability of improvement, or lower confidence bound.</summary>
public enum AcquisitionKind
{
    ExpectedImprovement,
    ProbabilityOfImprovement,
    LowerConfidenceBound,
}
