using HyperDrive.Core.Parameters;

namespace HyperDrive.Core.Spaces;

/// <summary><c>qloguniform(min, max, q)</c> = round(exp(uniform(min, max)) / q) · q, an integer.</summary>
public sealed record QLogUniformExpression(double Min, double Max, double Q) : ParameterExpression
{
    public override string Kind => "qloguniform";

    public override ParameterValue FromUnit(double u, SamplingOptions options) =>
        new IntegerValue(Rounding.Quantize(options.Power(Math.Clamp(Min + u * (Max - Min), Min, Max)), Q));

    public override bool Contains(ParameterValue value, SamplingOptions options) =>
        value is IntegerValue { Value: var v } && Bounds(options) is var (low, high) && v >= low && v <= high && Rounding.IsMultiple(v, Q);

    /// <summary>The least and greatest values it can produce (a base below 1 reverses the exponents).</summary>
    public (long Low, long High) Bounds(SamplingOptions options)
    {
        var a = Rounding.Quantize(options.Power(Min), Q);
        var b = Rounding.Quantize(options.Power(Max), Q);
        return (Math.Min(a, b), Math.Max(a, b));
    }

    public override string ToExpressionString() => FormattableString.Invariant($"qloguniform({Min:R}, {Max:R}, {Q:R})");
}
