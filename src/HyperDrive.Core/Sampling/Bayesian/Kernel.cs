namespace HyperDrive.Core.Sampling.Bayesian;

/// <summary>
/// Stationary ARD kernels as functions of the scaled distance r = √Σ (Δ_d / l_d)². <see cref="Value"/> is k(r) for a
/// unit signal variance; <see cref="LengthScaleFactor"/> is g(r) with ∂k/∂ln l_d = g(r) · Δ_d² / l_d², which has no
/// 1/r and so stays finite at r = 0.
/// </summary>
internal static class Kernel
{
    private static readonly double Sqrt5 = Math.Sqrt(5);
    private static readonly double Sqrt3 = Math.Sqrt(3);

    public static double Value(KernelKind kind, double r) => kind switch
    {
        KernelKind.Matern52 => (1 + Sqrt5 * r + 5.0 / 3.0 * r * r) * Math.Exp(-Sqrt5 * r),
        KernelKind.Matern32 => (1 + Sqrt3 * r) * Math.Exp(-Sqrt3 * r),
        _ => Math.Exp(-0.5 * r * r),
    };

    public static double LengthScaleFactor(KernelKind kind, double r) => kind switch
    {
        KernelKind.Matern52 => 5.0 / 3.0 * (1 + Sqrt5 * r) * Math.Exp(-Sqrt5 * r),
        KernelKind.Matern32 => 3 * Math.Exp(-Sqrt3 * r),
        _ => Math.Exp(-0.5 * r * r),
    };

    public static double ScaledDistance(double[] a, double[] b, double[] lengthScales)
    {
        var sum = 0.0;
        for (var d = 0; d < a.Length; d++)
        {
            var t = (a[d] - b[d]) / lengthScales[d];
            sum += t * t;
        }

        return Math.Sqrt(sum);
    }
}
