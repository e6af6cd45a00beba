namespace HyperDrive.Core.Spaces;

/// <summary>
/// Options that change how a unit draw maps onto a parameter: Azure v2's <c>logbase</c>
/// (the base of loguniform/qloguniform; <c>e</c> by default).
/// </summary>
public sealed record SamplingOptions(double LogBase)
{
    public static readonly SamplingOptions Default = new(Math.E);

    /// <summary>LogBase^exponent; exactly <see cref="Math.Exp"/> for the default base e, as Azure's exp.</summary>
    public double Power(double exponent) => LogBase == Math.E ? Math.Exp(exponent) : Math.Pow(LogBase, exponent);
}
