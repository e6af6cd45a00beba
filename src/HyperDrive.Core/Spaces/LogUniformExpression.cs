using HyperDrive.Core.Parameters;

namespace HyperDrive.Core.Spaces;

/// <summary>
/// <c>loguniform(min, max)</c> = exp(uniform(min, max)): min and max are exponents (natural log unless
/// the sampling option <c>logbase</c> says otherwise), so values lie in [e^min, e^max].
/// </summary>
public sealed record LogUniformExpression(double Min, double Max) : ParameterExpression
{
    public override string Kind => "loguniform";

    public override ParameterValue FromUnit(double u, SamplingOptions options) =>
        new RealValue(Math.Pow(options.LogBase, Math.Clamp(Min + u * (Max - Min), Min, Max)));

    public override bool Contains(ParameterValue value, SamplingOptions options) =>
        value is RealValue { Value: var v } && Within(v, Math.Pow(options.LogBase, Min), Math.Pow(options.LogBase, Max));

    public override string ToExpressionString() => FormattableString.Invariant($"loguniform({Min:R}, {Max:R})");

    internal static bool Within(double v, double low, double high) =>
        v >= low * (1 - 1e-12) && v <= high * (1 + 1e-12);
}
