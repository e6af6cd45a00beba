using MathNet.Numerics;
using MathNet.Numerics.Distributions;

namespace HyperDrive.Core.Sampling.Tpe;

/// <summary>
/// The standard normal restricted to [a, b], in log space where it matters: the Parzen estimator's components are
/// truncated to the parameter's range, and a candidate far from a component must give a finite log density.
/// </summary>
internal static class TruncatedNormal
{
    private const double HalfLogTwoPi = 0.91893853320467274178;

    /// <summary>log φ(z), the standard normal log density.</summary>
    public static double LogPdf(double z) => -0.5 * z * z - HalfLogTwoPi;

    /// <summary>log Φ(z), finite for every finite z (asymptotic series in the far left tail).</summary>
    public static double LogCdf(double z)
    {
        if (z > -30)
        {
            return Math.Log(0.5 * SpecialFunctions.Erfc(-z / Math.Sqrt(2)));
        }

        var z2 = z * z;
        return -0.5 * z2 - Math.Log(-z) - HalfLogTwoPi + Math.Log(1 - 1 / z2 + 3 / (z2 * z2));
    }

    private static double Cdf(double z) => 0.5 * SpecialFunctions.Erfc(-z / Math.Sqrt(2));

    /// <summary>log(Φ(b) − Φ(a)) for a ≤ b: the log mass of [a, b].</summary>
    public static double LogMass(double a, double b)
    {
        if (a > 0)
        {
            return LogMass(-b, -a);
        }

        // Near the mode the plain difference is exact enough and much cheaper than the log-space path.
        if (a > -8)
        {
            var mass = b <= 0 ? Cdf(b) - Cdf(a) : 1 - Cdf(a) - Cdf(-b);
            if (mass > 1e-9)
            {
                return Math.Log(mass);
            }
        }

        if (b <= 0)
        {
            var logB = LogCdf(b);
            var logA = LogCdf(a);
            return logA >= logB ? double.NegativeInfinity : logB + Math.Log(1 - Math.Exp(logA - logB));
        }

        // a ≤ 0 < b: 1 − Φ(a) − Φ(−b) without cancellation.
        var tails = Math.Exp(LogCdf(a)) + Math.Exp(LogCdf(-b));
        return Math.Log(Math.Max(1 - tails, double.Epsilon));
    }

    /// <summary>The point of [a, b] whose truncated CDF is <paramref name="u"/> (inverse-CDF sampling).</summary>
    public static double Quantile(double a, double b, double u)
    {
        if (a > 0)
        {
            return -Quantile(-b, -a, 1 - u);
        }

        var low = Normal.CDF(0, 1, a);
        var high = Normal.CDF(0, 1, b);
        if (high - low <= 0)
        {
            // Both bounds so far in the tail that the mass underflows: the bound nearest the mode.
            return b <= 0 ? b : a;
        }

        var p = Math.Clamp(low + u * (high - low), low, high);
        if (p <= 0)
        {
            return b <= 0 ? b : a;
        }

        return Math.Clamp(Normal.InvCDF(0, 1, Math.Min(p, 1 - 1e-16)), a, b);
    }
}
