namespace HyperDrive.Core.Sampling.Bayesian;

/// <summary>A kernel's fitted hyperparameters: one length scale per feature (ARD), the signal and the noise variance.</summary>
internal sealed record KernelHyperparameters(double[] LengthScales, double SignalVariance, double NoiseVariance);
