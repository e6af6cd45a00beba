using MathNet.Numerics.Distributions;

namespace HyperDrive.Core.Tests.Spaces;

/// <summary>Kolmogorov–Smirnov and chi-square goodness-of-fit statistics with critical values at a given alpha.</summary>
internal static class GoodnessOfFit
{
    public const double Alpha = 0.001;

    /// <summary>D = sup |F_n(x) - F(x)|, over the sorted sample.</summary>
    public static double KolmogorovSmirnov(IEnumerable<double> sample, Func<double, double> cdf)
    {
        var sorted = sample.Order().ToArray();
        var n = sorted.Length;
        var d = 0.0;
        for (var i = 0; i < n; i++)
        {
            var f = cdf(sorted[i]);
            d = Math.Max(d, Math.Max((i + 1.0) / n - f, f - (double)i / n));
        }

        return d;
    }

    /// <summary>The asymptotic critical value c(alpha) / sqrt(n), c = sqrt(-ln(alpha / 2) / 2) (1.95 at alpha = 0.001).</summary>
    public static double KolmogorovSmirnovCritical(int n) => Math.Sqrt(-Math.Log(Alpha / 2) / 2) / Math.Sqrt(n);

    /// <summary>
    /// Chi-square statistic and critical value of observed counts against bucket probabilities. Buckets with an
    /// expected count below 5 are merged with their neighbours (left to right; a small remainder joins the last).
    /// </summary>
    public static (double Statistic, double Critical, int Buckets) ChiSquare(IReadOnlyList<long> observed, IReadOnlyList<double> probabilities)
    {
        var n = observed.Sum();
        var total = probabilities.Sum();
        var merged = new List<(double Expected, long Observed)>();
        double expected = 0;
        long count = 0;
        for (var i = 0; i < observed.Count; i++)
        {
            expected += n * probabilities[i] / total;
            count += observed[i];
            if (expected >= 5)
            {
                merged.Add((expected, count));
                expected = 0;
                count = 0;
            }
        }

        if (expected > 0 || count > 0)
        {
            if (merged.Count == 0)
            {
                merged.Add((expected, count));
            }
            else
            {
                merged[^1] = (merged[^1].Expected + expected, merged[^1].Observed + count);
            }
        }

        var statistic = merged.Sum(b => (b.Observed - b.Expected) * (b.Observed - b.Expected) / b.Expected);
        var freedom = Math.Max(merged.Count - 1, 1);
        return (statistic, ChiSquared.InvCDF(freedom, 1 - Alpha), merged.Count);
    }

    /// <summary>
    /// The probabilities of the multiples of q from <paramref name="lowest"/> to <paramref name="highest"/> under
    /// round(X / q) · q, X with CDF <paramref name="cdf"/>: P(k·q) = F((k + ½)q) − F((k − ½)q); the end buckets
    /// take the tails. Ties have probability 0 for a continuous X, so the rounding mode does not matter here.
    /// </summary>
    public static double[] QuantizedProbabilities(Func<double, double> cdf, long lowest, long highest, double q)
    {
        var count = (int)((highest - lowest) / (long)q) + 1;
        var result = new double[count];
        for (var i = 0; i < count; i++)
        {
            var center = lowest + (i * q);
            var low = i == 0 ? 0 : cdf(center - (q / 2));
            var high = i == count - 1 ? 1 : cdf(center + (q / 2));
            result[i] = high - low;
        }

        return result;
    }

    /// <summary>Counts of integer draws in buckets lowest, lowest + q, …; draws beyond the ends go to the end buckets.</summary>
    public static long[] Counts(IEnumerable<long> draws, long lowest, long highest, double q)
    {
        var count = (int)((highest - lowest) / (long)q) + 1;
        var result = new long[count];
        foreach (var draw in draws)
        {
            var index = (int)Math.Clamp((draw - lowest) / (long)q, 0, count - 1);
            result[index]++;
        }

        return result;
    }
}
