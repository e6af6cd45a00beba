using MathNet.Numerics;
using MathNet.Numerics.Distributions;

namespace HyperDrive.Core.Sampling.Bayesian;

/// <summary>
/// Acquisition functions for minimisation, as logarithms where they underflow: log EI stays finite and ordered
/// arbitrarily far from the incumbent, where EI itself is 0 in double precision and every candidate would tie.
/// </summary>
internal static class Acquisition
{
    private static readonly double LogSqrtTwoPi = 0.5 * Math.Log(2 * Math.PI);
    private static readonly double SqrtHalfPi = Math.Sqrt(Math.PI / 2);

    /// <summary>
    /// log EI for minimisation: EI = σ · h(z), z = (best − μ − ξ) / σ, h(z) = φ(z) + z Φ(z).
    /// </summary>
    public static double LogExpectedImprovement(double mean, double sigma, double best, double xi)
    {
        var z = (best - mean - xi) / sigma;
        return Math.Log(sigma) + LogH(z);
    }

    /// <summary>log h(z), h(z) = φ(z) + z Φ(z) (EI of a standard normal), accurate for every finite z.</summary>
    public static double LogH(double z)
    {
        if (z > -5)
        {
            // Direct: at z = −5 the two terms cancel by a factor of about 25, which leaves 14 digits.
            return Math.Log(Normal.PDF(0, 1, z) + z * Normal.CDF(0, 1, z));
        }

        var t = -z;
        var logPhi = -0.5 * t * t - LogSqrtTwoPi;
        if (t < 30)
        {
            // h(z) = φ(z) (1 − t·m(t)) with Mills' ratio m(t) = √(π/2)·erfcx(t/√2), erfcx(x) = e^{x²} erfc(x).
            var x = t / Math.Sqrt(2);
            var erfcx = Math.Exp(x * x) * SpecialFunctions.Erfc(x);
            return logPhi + Math.Log(1 - t * SqrtHalfPi * erfcx);
        }

        // 1 − t·m(t) = t⁻² − 3t⁻⁴ + 15t⁻⁶ − 105t⁻⁸ + …; four terms are exact to 1e-10 at t ≥ 30.
        var u = 1 / (t * t);
        return logPhi + Math.Log(u * (1 - u * (3 - u * (15 - 105 * u))));
    }

    /// <summary>log PI for minimisation: log Φ((best − μ − ξ) / σ).</summary>
    public static double LogProbabilityOfImprovement(double mean, double sigma, double best, double xi)
    {
        var z = (best - mean - xi) / sigma;
        if (z > -30)
        {
            return Math.Log(Normal.CDF(0, 1, z));
        }

        // Φ(z) ≈ φ(z)/t · (1 − t⁻² + 3t⁻⁴) for t = −z large.
        var t = -z;
        var u = 1 / (t * t);
        return -0.5 * t * t - LogSqrtTwoPi - Math.Log(t) + Math.Log(1 - u * (1 - 3 * u));
    }

    /// <summary>The negated lower confidence bound (larger is better): −(μ − κσ).</summary>
    public static double NegativeLowerConfidenceBound(double mean, double sigma, double kappa) => -(mean - kappa * sigma);
}
