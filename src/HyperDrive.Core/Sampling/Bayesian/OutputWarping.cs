namespace HyperDrive.Core.Sampling.Bayesian;

/// <summary>
/// Makes losses look Gaussian before the GP sees them: standardise, apply the Yeo–Johnson power transform whose λ
/// (a grid over [−2, 2]) maximises the profile likelihood of a normal fit, standardise again (HEBO's approach).
/// Loss surfaces of training runs are skewed (a few diverged runs dwarf the differences between good ones); the
/// transform is monotone, so the best observation stays the best and the acquisition keeps its ordering meaning.
/// </summary>
internal static class OutputWarping
{
    public static double[] Warp(double[] losses)
    {
        var z = Standardise(losses);
        var bestLambda = 1.0;
        var bestLikelihood = double.NegativeInfinity;
        for (var step = 0; step <= 40; step++)
        {
            var lambda = -2 + 0.1 * step;
            var transformed = z.Select(v => YeoJohnson(v, lambda)).ToArray();
            var mean = transformed.Average();
            var variance = transformed.Sum(v => (v - mean) * (v - mean)) / transformed.Length;
            if (!(variance > 0) || !double.IsFinite(variance))
            {
                continue;
            }

            var jacobian = z.Sum(v => Math.Sign(v) * Math.Log(Math.Abs(v) + 1));
            var likelihood = -0.5 * z.Length * Math.Log(variance) + (lambda - 1) * jacobian;
            if (likelihood > bestLikelihood)
            {
                bestLikelihood = likelihood;
                bestLambda = lambda;
            }
        }

        return Standardise([.. z.Select(v => YeoJohnson(v, bestLambda))]);
    }

    public static double YeoJohnson(double y, double lambda)
    {
        if (y >= 0)
        {
            return Math.Abs(lambda) < 1e-9 ? Math.Log(y + 1) : (Math.Pow(y + 1, lambda) - 1) / lambda;
        }

        return Math.Abs(lambda - 2) < 1e-9 ? -Math.Log(1 - y) : -(Math.Pow(1 - y, 2 - lambda) - 1) / (2 - lambda);
    }

    public static double[] Standardise(double[] values)
    {
        var mean = values.Average();
        var variance = values.Sum(v => (v - mean) * (v - mean)) / values.Length;
        var sd = variance > 0 ? Math.Sqrt(variance) : 1;
        return [.. values.Select(v => (v - mean) / sd)];
    }
}
