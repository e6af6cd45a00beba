namespace HyperDrive.Core.Sampling.Bayesian;

/// <summary>
/// A zero-mean Gaussian process posterior over (already standardised) targets with fixed kernel hyperparameters:
/// the Cholesky factor of K + σₙ²I and α = (K + σₙ²I)⁻¹ y, so a prediction costs one kernel row and one
/// triangular solve. Predictions are of the latent function (no noise added).
/// </summary>
internal sealed class GaussianProcess
{
    // Added to the diagonal (relative to the signal variance) so near-duplicate inputs keep K positive definite.
    private const double Jitter = 1e-9;

    private readonly double[][] _x;
    private readonly double[] _factor;
    private readonly double[] _alpha;

    private GaussianProcess(KernelKind kind, KernelHyperparameters hyperparameters, double[][] x, double[] factor, double[] alpha)
    {
        Kind = kind;
        Hyperparameters = hyperparameters;
        _x = x;
        _factor = factor;
        _alpha = alpha;
    }

    public KernelKind Kind { get; }

    public KernelHyperparameters Hyperparameters { get; }

    public int Count => _x.Length;

    /// <summary>Conditions the process on (x, y); the jitter grows tenfold until K factors (it always does by 1e-3).</summary>
    public static GaussianProcess Condition(KernelKind kind, KernelHyperparameters h, double[][] x, double[] y)
    {
        var n = x.Length;
        for (var jitter = Jitter; ; jitter *= 10)
        {
            var k = new double[n * n];
            for (var i = 0; i < n; i++)
            {
                k[i * n + i] = h.SignalVariance * (1 + jitter) + h.NoiseVariance;
                for (var j = 0; j < i; j++)
                {
                    var v = h.SignalVariance * Kernel.Value(kind, Kernel.ScaledDistance(x[i], x[j], h.LengthScales));
                    k[i * n + j] = v;
                    k[j * n + i] = v;
                }
            }

            if (Cholesky.Factor(k, n) || jitter > 1e-3)
            {
                var alpha = (double[])y.Clone();
                Cholesky.SolveLower(k, n, alpha);
                Cholesky.SolveUpper(k, n, alpha);
                return new GaussianProcess(kind, h, x, k, alpha);
            }
        }
    }

    /// <summary>The posterior mean and variance of the latent function at <paramref name="point"/>.</summary>
    public (double Mean, double Variance) Predict(double[] point)
    {
        var n = _x.Length;
        var h = Hyperparameters;
        var kStar = new double[n];
        var mean = 0.0;
        for (var i = 0; i < n; i++)
        {
            kStar[i] = h.SignalVariance * Kernel.Value(Kind, Kernel.ScaledDistance(point, _x[i], h.LengthScales));
            mean += kStar[i] * _alpha[i];
        }

        Cholesky.SolveLower(_factor, n, kStar);
        var explained = 0.0;
        for (var i = 0; i < n; i++)
        {
            explained += kStar[i] * kStar[i];
        }

        return (mean, Math.Max(h.SignalVariance - explained, 1e-12 * h.SignalVariance));
    }
}
