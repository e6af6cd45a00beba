using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;

namespace HyperDrive.Core.Sampling.CmaEs;

/// <summary>
/// The (μ/μ_w, λ)-CMA-ES of Hansen's tutorial (arXiv:1604.00772, 2016), default parameters and active (negative)
/// weights as there (and as the <c>cmaes</c> package Optuna uses): the mean, step size σ, covariance C and the two
/// evolution paths. <see cref="Tell"/> updates them from one generation; <see cref="Sample"/> draws a candidate in
/// [0, 1]^d by resampling (up to 100 draws, then clipping). Solutions are read back from what was run, so a told
/// y = (x − m)/σ whose Mahalanobis norm exceeds √d + 2d/(d + 2) is shortened to it (the tutorial's rule for injected
/// solutions), which keeps rounded or repaired points from inflating σ and C.
/// </summary>
internal sealed class CmaEsState
{
    private const int MaxResampling = 100;
    private const double Epsilon = 1e-8;

    private readonly double[] _pSigma;
    private readonly double[] _pc;
    private double[,] _c;
    private double[,]? _b;
    private double[]? _d;

    public CmaEsState(double[] mean, double sigma, int lambda)
    {
        Dimensions = mean.Length;
        Lambda = lambda;
        Mu = lambda / 2;
        var n = (double)Dimensions;

        var prime = new double[lambda];
        for (var i = 0; i < lambda; i++)
        {
            prime[i] = Math.Log((lambda + 1) / 2.0) - Math.Log(i + 1);
        }

        var positive = prime.Take(Mu).ToArray();
        var negative = prime.Skip(Mu).ToArray();
        MuEff = Math.Pow(positive.Sum(), 2) / positive.Sum(w => w * w);
        var muEffMinus = negative.Length == 0 ? 0 : Math.Pow(negative.Sum(), 2) / negative.Sum(w => w * w);

        C1 = 2 / (Math.Pow(n + 1.3, 2) + MuEff);
        Cmu = Math.Min(1 - C1 - 1e-8, 2 * (MuEff - 2 + 1 / MuEff) / (Math.Pow(n + 2, 2) + MuEff));
        var alphaMin = Math.Min(Math.Min(1 + C1 / Cmu, 1 + 2 * muEffMinus / (MuEff + 2)), (1 - C1 - Cmu) / (n * Cmu));
        var positiveSum = prime.Where(w => w > 0).Sum();
        var negativeSum = prime.Where(w => w < 0).Sum(w => -w);
        Weights = [.. prime.Select(w => w >= 0 ? w / positiveSum : alphaMin / negativeSum * w)];

        CSigma = (MuEff + 2) / (n + MuEff + 5);
        DSigma = 1 + 2 * Math.Max(0, Math.Sqrt((MuEff - 1) / (n + 1)) - 1) + CSigma;
        Cc = (4 + MuEff / n) / (n + 4 + 2 * MuEff / n);
        ChiN = Math.Sqrt(n) * (1 - 1 / (4 * n) + 1 / (21 * n * n));

        Mean = (double[])mean.Clone();
        Sigma = sigma;
        _c = new double[Dimensions, Dimensions];
        for (var i = 0; i < Dimensions; i++)
        {
            _c[i, i] = 1;
        }

        _pSigma = new double[Dimensions];
        _pc = new double[Dimensions];
    }

    public int Dimensions { get; }

    public int Lambda { get; }

    public int Mu { get; }

    public double MuEff { get; }

    public double[] Weights { get; }

    public double C1 { get; }

    public double Cmu { get; }

    public double CSigma { get; }

    public double DSigma { get; }

    public double Cc { get; }

    public double ChiN { get; }

    public double[] Mean { get; private set; }

    public double Sigma { get; private set; }

    /// <summary>Generations told so far.</summary>
    public int Generation { get; private set; }

    public double Covariance(int i, int j) => _c[i, j];

    public IReadOnlyList<double> SigmaPath => _pSigma;

    public IReadOnlyList<double> CovariancePath => _pc;

    /// <summary>A candidate in [0, 1]^d: x = m + σ·B·D·z, z ~ N(0, I), redrawn while outside the cube, then clipped.</summary>
    public double[] Sample(StableRandom random)
    {
        var (b, d) = Eigen();
        var x = new double[Dimensions];
        for (var attempt = 0; attempt <= MaxResampling; attempt++)
        {
            var z = new double[Dimensions];
            for (var i = 0; i < Dimensions; i++)
            {
                z[i] = Gaussian(random) * d[i];
            }

            var inside = true;
            for (var i = 0; i < Dimensions; i++)
            {
                var y = 0.0;
                for (var k = 0; k < Dimensions; k++)
                {
                    y += b[i, k] * z[k];
                }

                x[i] = Mean[i] + Sigma * y;
                inside &= x[i] is >= 0 and <= 1;
            }

            if (inside)
            {
                return x;
            }
        }

        for (var i = 0; i < Dimensions; i++)
        {
            x[i] = Math.Clamp(x[i], 0, 1);
        }

        return x;
    }

    /// <summary>Updates the distribution from one generation: λ solutions and their losses (lower is better).</summary>
    public void Tell(IReadOnlyList<(double[] X, double Loss)> solutions)
    {
        if (solutions.Count != Lambda)
        {
            throw new ArgumentException($"a generation has {Lambda} solutions, got {solutions.Count}", nameof(solutions));
        }

        Generation++;
        var sorted = solutions.Select((s, i) => (s.X, s.Loss, i)).OrderBy(s => s.Loss).ThenBy(s => s.i).ToArray();
        var (b, d) = Eigen();
        var n = Dimensions;

        // C^(-1/2) = B D^(-1) Bᵀ
        var inverseRoot = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                var sum = 0.0;
                for (var k = 0; k < n; k++)
                {
                    sum += b[i, k] / d[k] * b[j, k];
                }

                inverseRoot[i, j] = sum;
            }
        }

        var clip = Math.Sqrt(n) + 2.0 * n / (n + 2);
        var ys = new double[Lambda][];
        var mahalanobis = new double[Lambda];
        for (var k = 0; k < Lambda; k++)
        {
            var y = new double[n];
            for (var i = 0; i < n; i++)
            {
                y[i] = (sorted[k].X[i] - Mean[i]) / Sigma;
            }

            var norm = Norm(Multiply(inverseRoot, y));
            if (norm > clip)
            {
                for (var i = 0; i < n; i++)
                {
                    y[i] *= clip / norm;
                }

                norm = clip;
            }

            ys[k] = y;
            mahalanobis[k] = norm;
        }

        var yw = new double[n];
        for (var k = 0; k < Mu; k++)
        {
            for (var i = 0; i < n; i++)
            {
                yw[i] += Weights[k] * ys[k][i];
            }
        }

        var mean = new double[n];
        for (var i = 0; i < n; i++)
        {
            mean[i] = Mean[i] + Sigma * yw[i];
        }

        var cy = Multiply(inverseRoot, yw);
        var sigmaRate = Math.Sqrt(CSigma * (2 - CSigma) * MuEff);
        for (var i = 0; i < n; i++)
        {
            _pSigma[i] = (1 - CSigma) * _pSigma[i] + sigmaRate * cy[i];
        }

        var normP = Norm(_pSigma);
        var sigma = Sigma * Math.Exp(CSigma / DSigma * (normP / ChiN - 1));

        // h_σ as the cmaes package (generation counted after this update).
        var hLeft = normP / Math.Sqrt(1 - Math.Pow(1 - CSigma, 2 * (Generation + 1)));
        var hSigma = hLeft < (1.4 + 2.0 / (n + 1)) * ChiN ? 1.0 : 0.0;
        var pathRate = Math.Sqrt(Cc * (2 - Cc) * MuEff);
        for (var i = 0; i < n; i++)
        {
            _pc[i] = (1 - Cc) * _pc[i] + hSigma * pathRate * yw[i];
        }

        var weightSum = Weights.Sum();
        var deltaH = (1 - hSigma) * Cc * (2 - Cc);
        var c = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                var rankMu = 0.0;
                for (var k = 0; k < Lambda; k++)
                {
                    var w = Weights[k] >= 0 ? Weights[k] : Weights[k] * n / (mahalanobis[k] * mahalanobis[k] + Epsilon);
                    rankMu += w * ys[k][i] * ys[k][j];
                }

                c[i, j] = (1 + C1 * deltaH - C1 - Cmu * weightSum) * _c[i, j] + C1 * _pc[i] * _pc[j] + Cmu * rankMu;
            }
        }

        if (mean.All(double.IsFinite) && double.IsFinite(sigma) && c.Cast<double>().All(double.IsFinite))
        {
            Mean = mean;
            Sigma = Math.Clamp(sigma, 1e-12, 1e12);
            _c = c;
            _b = null;
            _d = null;
        }
    }

    private (double[,] B, double[] D) Eigen()
    {
        if (_b is not null && _d is not null)
        {
            return (_b, _d);
        }

        var n = Dimensions;
        var matrix = Matrix<double>.Build.Dense(n, n, (i, j) => 0.5 * (_c[i, j] + _c[j, i]));
        var evd = matrix.Evd(Symmetricity.Symmetric);
        var b = evd.EigenVectors.ToArray();
        var d = evd.EigenValues.Select(v => Math.Sqrt(v.Real < 0 ? Epsilon : v.Real)).ToArray();

        // C rebuilt from its decomposition, as the cmaes package does, so it stays symmetric and positive definite.
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                var sum = 0.0;
                for (var k = 0; k < n; k++)
                {
                    sum += b[i, k] * d[k] * d[k] * b[j, k];
                }

                _c[i, j] = sum;
            }
        }

        (_b, _d) = (b, d);
        return (b, d);
    }

    private static double[] Multiply(double[,] m, double[] v)
    {
        var result = new double[v.Length];
        for (var i = 0; i < v.Length; i++)
        {
            for (var k = 0; k < v.Length; k++)
            {
                result[i] += m[i, k] * v[k];
            }
        }

        return result;
    }

    private static double Norm(double[] v) => Math.Sqrt(v.Sum(x => x * x));

    // Box–Muller from two uniforms of the trial's own generator.
    private static double Gaussian(StableRandom random)
    {
        var u1 = 1 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
