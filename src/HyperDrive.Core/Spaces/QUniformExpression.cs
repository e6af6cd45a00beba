using HyperDrive.Core.Parameters;

namespace HyperDrive.Core.Spaces;

/// <summary>
/// <c>quniform(min, max, q)</c> = round(uniform(min, max) / q) · q. q is integral, so the value is an integer;
/// it may fall outside [min, max] (Azure never clips; see docs/decisions.md).
/// </summary>
public sealed record QUniformExpression(double Min, double Max, double Q) : ParameterExpression
{
    public override string Kind => "quniform";

    public long Lowest => Rounding.Quantize(Min, Q);

    public long Highest => Rounding.Quantize(Max, Q);

    public override ParameterValue FromUnit(double u, SamplingOptions options) =>
        new IntegerValue(Rounding.Quantize(Math.Clamp(Min + u * (Max - Min), Min, Max), Q));

    public override bool Contains(ParameterValue value, SamplingOptions options) =>
        value is IntegerValue { Value: var v } && v >= Lowest && v <= Highest && Rounding.IsMultiple(v, Q);

    public override string ToExpressionString() => FormattableString.Invariant($"quniform({Min:R}, {Max:R}, {Q:R})");
}
