using System.Globalization;

namespace HyperDrive.Core.Policies;

/// <summary>Numbers in stop reasons: invariant culture, 4 significant digits, no exponent for ordinary magnitudes.</summary>
internal static class PolicyFormat
{
    public static string Number(double value)
    {
        if (value == 0 || !double.IsFinite(value))
        {
            return value == 0 ? "0" : value.ToString(CultureInfo.InvariantCulture);
        }

        var magnitude = Math.Abs(value);
        if (magnitude < 1e-3 || magnitude >= 1e7)
        {
            return value.ToString("G4", CultureInfo.InvariantCulture);
        }

        var decimals = Math.Max(0, 3 - (int)Math.Floor(Math.Log10(magnitude)));
        return Math.Round(value, decimals, MidpointRounding.AwayFromZero).ToString("0.##########", CultureInfo.InvariantCulture);
    }
}
