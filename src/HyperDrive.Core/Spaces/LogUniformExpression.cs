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
        new RealValue(options.Power(Math.Clamp(Min + u * (Max - Min), Min, Max)));

    public override bool Contains(ParameterValue value, SamplingOptions options) =>
        value is RealValue { Value: var v } && Within(v, options.Power(Min), options.Power(Max));

    public override string ToExpressionString() => FormattableString.Invariant($"loguniform({Min:R}, {Max:R})");

    // A base below 1 reverses the bounds.
    internal static bool Within(double v, double a, double b) =>
        v >= Math.Min(a, b) * (1 - 1e-12) && v <= Math.Max(a, b) * (1 + 1e-12);
}
