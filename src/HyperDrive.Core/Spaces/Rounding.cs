namespace HyperDrive.Core.Spaces;

/// <summary>
/// The q rounding of quniform, qloguniform, qnormal and qlognormal: round(x / q) · q with ties to even,
/// as Python's <c>round</c> and NumPy's <c>np.round</c> (hyperopt, which Azure follows) do.
/// The result is never clipped to [min, max]; see docs/decisions.md.
/// </summary>
public static class Rounding
{
    public static long Quantize(double x, double q) => (long)(Math.Round(x / q, MidpointRounding.ToEven) * q);

    /// <summary>True when <paramref name="value"/> is an integral multiple of <paramref name="q"/>.</summary>
    public static bool IsMultiple(double value, double q) => Math.Abs(value / q - Math.Round(value / q)) < 1e-9;

    /// <summary>Clamps a unit draw away from 0 and 1 so inverse CDFs stay finite.</summary>
    public static double OpenUnit(double u) => Math.Clamp(u, 1e-12, 1 - 1e-12);
}
