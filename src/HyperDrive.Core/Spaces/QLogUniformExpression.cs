using HyperDrive.Core.Parameters;

namespace HyperDrive.Core.Spaces;

/// <summary><c>qloguniform(min, max, q)</c> = round(exp(uniform(min, max)) / q) · q, an integer.</summary>
public sealed record QLogUniformExpression(double Min, double Max, double Q) : ParameterExpression
{
    public override string Kind => "qloguniform";

    public override ParameterValue FromUnit(double u, SamplingOptions options) =>
        new IntegerValue(Rounding.Quantize(Math.Pow(options.LogBase, Math.Clamp(Min + u * (Max - Min), Min, Max)), Q));

    public override bool Contains(ParameterValue value, SamplingOptions options) =>
        value is IntegerValue { Value: var v }
        && v >= Rounding.Quantize(Math.Pow(options.LogBase, Min), Q)
        && v <= Rounding.Quantize(Math.Pow(options.LogBase, Max), Q)
        && Rounding.IsMultiple(v, Q);

    public override string ToExpressionString() => FormattableString.Invariant($"qloguniform({Min:R}, {Max:R}, {Q:R})");
}
