namespace HyperDrive.Core.Sampling.Bayesian;

/// <summary>The stationary kernels the Bayesian sampler offers (<c>kernel:</c> option); Matérn 5/2 by default.</summary>
public enum KernelKind
{
    Matern52,
    Matern32,
    Rbf,
}
