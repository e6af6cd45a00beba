namespace HyperDrive.Core.Placement;

/// <summary>
/// GPU fractions are counted in integer thousandths of a GPU, so sums are exact: 0.5 + 0.5 is 1000 units,
/// and three requests of 1/3 (333 units each) fit on one GPU while a fourth does not.
/// </summary>
public static class GpuUnits
{
    public const int PerGpu = 1000;

    /// <summary>
    /// The units of a <c>gpus</c> value, rounded to the nearest thousandth; a positive value never rounds to 0.
    /// Null when the value is not a finite number ≥ 0.
    /// </summary>
    public static long? FromGpus(double gpus)
    {
        if (!double.IsFinite(gpus) || gpus < 0 || gpus > int.MaxValue / PerGpu)
        {
            return null;
        }

        var units = (long)Math.Round(gpus * PerGpu, MidpointRounding.AwayFromZero);
        return gpus > 0 ? Math.Max(1, units) : 0;
    }

    /// <summary>Units as a GPU count for messages: 500 → "0.5", 2000 → "2".</summary>
    public static string Format(long units) =>
        (units / (decimal)PerGpu).ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);
}
