using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;

namespace HyperDrive.Core.Sampling.Bayesian;

/// <summary>
/// Fits a kernel's hyperparameters by maximising the log marginal likelihood (<see cref="MarginalLikelihood"/>) with
/// MathNet's bounded BFGS in log space, from a fixed start and <see cref="RandomStarts"/> starts drawn from the given
/// generator; the best of all evaluations wins. Bounds (inputs in the unit cube, targets standardised):
/// length scales 0.01–20, signal variance 0.05–20, noise variance 1e-8–1 unless fixed.
/// </summary>
internal static class KernelFit
{
    public const int RandomStarts = 2;
    public const int MaxIterations = 60;

    private static readonly double LengthLow = Math.Log(0.01);
    private static readonly double LengthHigh = Math.Log(20);
    private static readonly double SignalLow = Math.Log(0.05);
    private static readonly double SignalHigh = Math.Log(20);
    private static readonly double NoiseLow = Math.Log(1e-8);
    private static readonly double NoiseHigh = Math.Log(1);

    /// <param name="fixedNoise">The noise variance to keep, or null to fit it.</param>
    public static KernelHyperparameters Fit(KernelKind kind, double[][] x, double[] y, double? fixedNoise, Random random)
    {
        var likelihood = new MarginalLikelihood(kind, x, y);
        var f = likelihood.Features;
        var free = fixedNoise is null ? f + 2 : f + 1;
        var lower = new double[free];
        var upper = new double[free];
        for (var d = 0; d < f; d++)
        {
            lower[d] = LengthLow;
            upper[d] = LengthHigh;
        }

        lower[f] = SignalLow;
        upper[f] = SignalHigh;
        if (fixedNoise is null)
        {
            lower[f + 1] = NoiseLow;
            upper[f + 1] = NoiseHigh;
        }

        var fixedLogNoise = fixedNoise is { } fn ? Math.Log(Math.Max(fn, 1e-12)) : 0;
        double[]? best = null;
        var bestValue = double.NegativeInfinity;

        (double, Vector<double>) Objective(Vector<double> point)
        {
            var theta = new double[f + 2];
            for (var i = 0; i < free; i++)
            {
                theta[i] = Math.Clamp(point[i], lower[i], upper[i]);
            }

            if (fixedNoise is not null)
            {
                theta[f + 1] = fixedLogNoise;
            }

            var (value, gradient) = likelihood.Evaluate(theta);
            if (!double.IsFinite(value))
            {
                return (1e10, Vector<double>.Build.Dense(free));
            }

            if (value > bestValue)
            {
                bestValue = value;
                best = theta;
            }

            var negative = Vector<double>.Build.Dense(free);
            for (var i = 0; i < free; i++)
            {
                negative[i] = -gradient[i];
            }

            return (-value, negative);
        }

        var starts = new List<double[]>();
        var first = new double[free];
        for (var d = 0; d < f; d++)
        {
            first[d] = Math.Log(0.5);
        }

        first[f] = 0;
        if (fixedNoise is null)
        {
            first[f + 1] = Math.Log(1e-3);
        }

        starts.Add(first);
        for (var s = 0; s < RandomStarts; s++)
        {
            var start = new double[free];
            for (var i = 0; i < free; i++)
            {
                start[i] = lower[i] + random.NextDouble() * (upper[i] - lower[i]);
            }

            starts.Add(start);
        }

        var minimizer = new BfgsBMinimizer(1e-5, 1e-6, 1e-8, MaxIterations);
        var objective = ObjectiveFunction.Gradient(Objective);
        var lowerVector = Vector<double>.Build.DenseOfArray(lower);
        var upperVector = Vector<double>.Build.DenseOfArray(upper);
        foreach (var start in starts)
        {
            try
            {
                minimizer.FindMinimum(objective, lowerVector, upperVector, Vector<double>.Build.DenseOfArray(start));
            }
            catch (Exception e) when (e is MaximumIterationsException or OptimizationException or ArgumentException)
            {
                // The best point evaluated so far is kept; a line search that gives up near the optimum is normal.
            }
        }

        best ??= [.. Enumerable.Repeat(Math.Log(0.5), f), 0, fixedNoise is null ? Math.Log(1e-3) : fixedLogNoise];
        return new KernelHyperparameters(
            [.. best.Take(f).Select(Math.Exp)],
            Math.Exp(best[f]),
            Math.Exp(best[f + 1]));
    }
}
