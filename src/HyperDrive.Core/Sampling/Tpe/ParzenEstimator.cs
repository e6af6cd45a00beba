namespace HyperDrive.Core.Sampling.Tpe;

/// <summary>
/// Optuna's Parzen estimator (3.1, <c>_ParzenEstimator</c>): a mixture with one component per observation plus a prior
/// component, weighted by <see cref="TpeOptions.Weights"/> (the prior by the prior weight), each component a product
/// over the dimensions of a truncated normal (numeric; a discrete dimension takes the mass of its level's interval) or
/// a categorical distribution. Univariate: a dimension's bandwidth is the larger gap to its neighbours (the range's ends
/// included, Optuna's consider_endpoints false at the ends); multivariate: Scott's rule 0.2·n^(−1/(d+4)) of the range.
/// Both clipped to [range / min(100, components), range] (consider_magic_clip); the prior is centred with the range as
/// its bandwidth. Coordinates are <see cref="EncodedSpace"/>'s: a unit draw, a level or an option index.
/// </summary>
internal sealed class ParzenEstimator
{
    private readonly ParzenDimension[] _dimensions;
    private readonly double[] _weights;
    private readonly double[] _logWeights;
    private readonly double[][] _mus;
    private readonly double[][] _sigmas;
    private readonly double[][] _logNormalizers;
    private readonly double[][] _logSigmas;
    private readonly double[][][] _logCategorical;
    private readonly double[][][] _categorical;

    public ParzenEstimator(ParzenDimension[] dimensions, IReadOnlyList<double[]> observations, TpeOptions options)
    {
        _dimensions = dimensions;
        var n = observations.Count;
        var components = n + 1;
        _weights = new double[components];
        var ramp = TpeOptions.Weights(n);
        Array.Copy(ramp, _weights, n);
        _weights[n] = options.PriorWeight;
        var total = _weights.Sum();
        _logWeights = new double[components];
        for (var j = 0; j < components; j++)
        {
            _weights[j] /= total;
            _logWeights[j] = Math.Log(_weights[j]);
        }

        _mus = new double[dimensions.Length][];
        _sigmas = new double[dimensions.Length][];
        _logNormalizers = new double[dimensions.Length][];
        _logSigmas = new double[dimensions.Length][];
        _logCategorical = new double[dimensions.Length][][];
        _categorical = new double[dimensions.Length][][];
        var sigma0 = 0.2 * Math.Pow(Math.Max(n, 1), -1.0 / (dimensions.Length + 4));
        for (var d = 0; d < dimensions.Length; d++)
        {
            var dimension = dimensions[d];
            if (dimension.IsCategorical)
            {
                (_categorical[d], _logCategorical[d]) = CategoricalWeights(dimension.Categories, observations, d, options.PriorWeight);
                continue;
            }

            var (mus, sigmas) = Bandwidths(dimension, observations, d, options, options.Multivariate ? sigma0 : null);
            _mus[d] = mus;
            _sigmas[d] = sigmas;
            _logNormalizers[d] = new double[components];
            _logSigmas[d] = new double[components];
            for (var j = 0; j < components; j++)
            {
                _logNormalizers[d][j] = TruncatedNormal.LogMass((dimension.Low - mus[j]) / sigmas[j], (dimension.High - mus[j]) / sigmas[j]);
                _logSigmas[d][j] = Math.Log(sigmas[j]);
            }
        }
    }

    public int Components => _weights.Length;

    /// <summary>The normalised component weights (the prior last).</summary>
    public IReadOnlyList<double> ComponentWeights => _weights;

    /// <summary>Component j's centre and bandwidth in numeric dimension d (the prior is the last component).</summary>
    public (double Mu, double Sigma) Component(int d, int j) => (_mus[d][j], _sigmas[d][j]);

    /// <summary>Draws <paramref name="size"/> points: a component by weight, then each dimension from it (levels rounded).</summary>
    public double[][] Sample(StableRandom random, int size)
    {
        var samples = new double[size][];
        for (var i = 0; i < size; i++)
        {
            var j = Pick(_weights, random.NextDouble());
            var point = new double[_dimensions.Length];
            for (var d = 0; d < _dimensions.Length; d++)
            {
                var dimension = _dimensions[d];
                if (dimension.IsCategorical)
                {
                    point[d] = Pick(_categorical[d][j], random.NextDouble());
                    continue;
                }

                var (mu, sigma) = (_mus[d][j], _sigmas[d][j]);
                var z = TruncatedNormal.Quantile((dimension.Low - mu) / sigma, (dimension.High - mu) / sigma, random.NextDouble());
                var x = mu + sigma * z;
                point[d] = dimension.Q is null ? Math.Clamp(x, dimension.Low, dimension.High) : Math.Clamp(Math.Round(x), dimension.Low + 0.5, dimension.High - 0.5);
            }

            samples[i] = point;
        }

        return samples;
    }

    /// <summary>The log density (log mass for levels and options) of the mixture at <paramref name="x"/>.</summary>
    public double LogPdf(double[] x)
    {
        var max = double.NegativeInfinity;
        Span<double> terms = _weights.Length <= 512 ? stackalloc double[_weights.Length] : new double[_weights.Length];
        for (var j = 0; j < _weights.Length; j++)
        {
            var sum = _logWeights[j];
            for (var d = 0; d < _dimensions.Length && !double.IsNegativeInfinity(sum); d++)
            {
                sum += ComponentLogPdf(d, j, x[d]);
            }

            terms[j] = sum;
            max = Math.Max(max, sum);
        }

        if (double.IsNegativeInfinity(max))
        {
            return max;
        }

        var total = 0.0;
        foreach (var term in terms)
        {
            total += Math.Exp(term - max);
        }

        return max + Math.Log(total);
    }

    private double ComponentLogPdf(int d, int j, double x)
    {
        var dimension = _dimensions[d];
        if (dimension.IsCategorical)
        {
            return _logCategorical[d][j][(int)x];
        }

        var (mu, sigma) = (_mus[d][j], _sigmas[d][j]);
        if (dimension.Q is not { } q)
        {
            return TruncatedNormal.LogPdf((x - mu) / sigma) - _logSigmas[d][j] - _logNormalizers[d][j];
        }

        var lower = Math.Max(x - q / 2, dimension.Low);
        var upper = Math.Min(x + q / 2, dimension.High);
        return TruncatedNormal.LogMass((lower - mu) / sigma, (upper - mu) / sigma) - _logNormalizers[d][j];
    }

    private static (double[] Mus, double[] Sigmas) Bandwidths(
        ParzenDimension dimension, IReadOnlyList<double[]> observations, int d, TpeOptions options, double? sigma0)
    {
        var n = observations.Count;
        var (low, high) = (dimension.Low, dimension.High);
        var mus = new double[n + 1];
        for (var i = 0; i < n; i++)
        {
            mus[i] = observations[i][d];
        }

        mus[n] = 0.5 * (low + high);
        var sigmas = new double[n + 1];
        if (sigma0 is { } s0)
        {
            Array.Fill(sigmas, s0 * (high - low));
        }
        else
        {
            var order = Enumerable.Range(0, n + 1).ToArray();
            var keys = (double[])mus.Clone();
            Array.Sort(keys, order);
            var sorted = new double[n + 3];
            sorted[0] = low;
            for (var i = 0; i <= n; i++)
            {
                sorted[i + 1] = mus[order[i]];
            }

            sorted[n + 2] = high;
            var sortedSigmas = new double[n + 1];
            for (var i = 0; i <= n; i++)
            {
                sortedSigmas[i] = Math.Max(sorted[i + 1] - sorted[i], sorted[i + 2] - sorted[i + 1]);
            }

            if (!options.ConsiderEndpoints && sorted.Length >= 4)
            {
                sortedSigmas[0] = sorted[2] - sorted[1];
                sortedSigmas[n] = sorted[n + 1] - sorted[n];
            }

            for (var i = 0; i <= n; i++)
            {
                sigmas[order[i]] = sortedSigmas[i];
            }
        }

        var maxSigma = high - low;
        var minSigma = (high - low) / Math.Min(100.0, 1.0 + mus.Length);
        for (var i = 0; i <= n; i++)
        {
            sigmas[i] = Math.Clamp(sigmas[i], minSigma, maxSigma);
        }

        sigmas[n] = high - low;
        return (mus, sigmas);
    }

    private static (double[][] Weights, double[][] Logs) CategoricalWeights(int categories, IReadOnlyList<double[]> observations, int d, double priorWeight)
    {
        var n = observations.Count;
        var weights = new double[n + 1][];
        var logs = new double[n + 1][];
        for (var j = 0; j <= n; j++)
        {
            var row = new double[categories];
            Array.Fill(row, priorWeight / (n + 1));
            if (j < n)
            {
                row[(int)observations[j][d]] += 1;
            }

            var sum = row.Sum();
            logs[j] = new double[categories];
            for (var c = 0; c < categories; c++)
            {
                row[c] /= sum;
                logs[j][c] = Math.Log(row[c]);
            }

            weights[j] = row;
        }

        return (weights, logs);
    }

    // numpy's choice and Optuna's categorical draw: the first index whose cumulative weight reaches u.
    private static int Pick(double[] weights, double u)
    {
        var cumulative = 0.0;
        for (var i = 0; i < weights.Length; i++)
        {
            cumulative += weights[i];
            if (u < cumulative)
            {
                return i;
            }
        }

        return weights.Length - 1;
    }
}
