namespace HyperDrive.Core.Sampling.Bayesian;

/// <summary>
/// The log marginal likelihood of standardised targets under a zero-mean GP, and its gradient with respect to
/// θ = (ln l₁ … ln l_F, ln σ_f², ln σₙ²): log p(y | θ) = −½ yᵀα − Σ ln L_ii − n/2 ln 2π, and
/// ∂/∂θ_j = ½ tr((ααᵀ − K⁻¹) ∂K/∂θ_j). The squared feature differences of every pair are computed once.
/// </summary>
internal sealed class MarginalLikelihood
{
    private readonly KernelKind _kind;
    private readonly double[] _y;
    private readonly int _n;
    private readonly int _features;
    private readonly double[] _differences;

    public MarginalLikelihood(KernelKind kind, double[][] x, double[] y)
    {
        _kind = kind;
        _y = y;
        _n = x.Length;
        _features = x.Length == 0 ? 0 : x[0].Length;
        _differences = new double[_n * (_n - 1) / 2 * _features];
        var p = 0;
        for (var i = 0; i < _n; i++)
        {
            for (var j = 0; j < i; j++)
            {
                for (var d = 0; d < _features; d++)
                {
                    var t = x[i][d] - x[j][d];
                    _differences[p++] = t * t;
                }
            }
        }
    }

    public int Features => _features;

    /// <summary>log p(y | θ) and its gradient; NegativeInfinity when K does not factor.</summary>
    public (double Value, double[] Gradient) Evaluate(double[] theta)
    {
        var n = _n;
        var f = _features;
        var inverseSquares = new double[f];
        for (var d = 0; d < f; d++)
        {
            inverseSquares[d] = Math.Exp(-2 * theta[d]);
        }

        var signal = Math.Exp(theta[f]);
        var noise = Math.Exp(theta[f + 1]);
        var pairs = n * (n - 1) / 2;
        var kernel = new double[pairs];
        var factor = new double[pairs];
        var k = new double[n * n];
        var p = 0;
        for (var i = 0; i < n; i++)
        {
            k[i * n + i] = signal * (1 + 1e-9) + noise;
            for (var j = 0; j < i; j++, p++)
            {
                var r2 = 0.0;
                var at = p * f;
                for (var d = 0; d < f; d++)
                {
                    r2 += _differences[at + d] * inverseSquares[d];
                }

                var r = Math.Sqrt(r2);
                kernel[p] = signal * Kernel.Value(_kind, r);
                factor[p] = signal * Kernel.LengthScaleFactor(_kind, r);
                k[i * n + j] = kernel[p];
            }
        }

        var gradient = new double[f + 2];
        if (!Cholesky.Factor(k, n))
        {
            return (double.NegativeInfinity, gradient);
        }

        var alpha = (double[])_y.Clone();
        Cholesky.SolveLower(k, n, alpha);
        var fit = 0.0;
        for (var i = 0; i < n; i++)
        {
            fit += alpha[i] * alpha[i];
        }

        Cholesky.SolveUpper(k, n, alpha);
        var logDeterminant = 0.0;
        for (var i = 0; i < n; i++)
        {
            logDeterminant += Math.Log(k[i * n + i]);
        }

        var value = -0.5 * fit - logDeterminant - 0.5 * n * Math.Log(2 * Math.PI);
        var inverse = Cholesky.Inverse(k, n);
        var diagonal = 0.0;
        for (var i = 0; i < n; i++)
        {
            diagonal += alpha[i] * alpha[i] - inverse[i * n + i];
        }

        var signalGradient = diagonal * signal;
        p = 0;
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < i; j++, p++)
            {
                // Off-diagonal pairs count twice in the trace.
                var w = 2 * (alpha[i] * alpha[j] - inverse[i * n + j]);
                signalGradient += w * kernel[p];
                var wg = w * factor[p];
                var at = p * f;
                for (var d = 0; d < f; d++)
                {
                    gradient[d] += wg * _differences[at + d];
                }
            }
        }

        for (var d = 0; d < f; d++)
        {
            gradient[d] *= 0.5 * inverseSquares[d];
        }

        gradient[f] = 0.5 * signalGradient;
        gradient[f + 1] = 0.5 * diagonal * noise;
        return (value, gradient);
    }
}
