namespace HyperDrive.Core.Spaces;

/// <summary>
/// Options that change how a unit draw maps onto a parameter: Azure v2's <c>logbase</c>
/// (the base of loguniform/qloguniform; <c>e</c> by default).
/// </summary>
public sealed record SamplingOptions(double LogBase)
{
    public static readonly SamplingOptions Default = new(Math.E);
}
