using HyperDrive.Core.Parameters;

namespace HyperDrive.Core.Spaces;

/// <summary><c>qlognormal(mu, sigma, q)</c> = round(exp(normal(mu, sigma)) / q) · q, an integer ≥ 0.</summary>
public sealed record QLogNormalExpression(double Mu, double Sigma, double Q) : ParameterExpression
{
    public override string Kind => "qlognormal";

    public override ParameterValue FromUnit(double u, SamplingOptions options) =>
        new IntegerValue(Rounding.Quantize(Math.Exp(NormalExpression.Quantile(Mu, Sigma, u)), Q));

    public override bool Contains(ParameterValue value, SamplingOptions options) =>
        value is IntegerValue { Value: var v } && v >= 0 && Rounding.IsMultiple(v, Q);

    public override string ToExpressionString() => FormattableString.Invariant($"qlognormal({Mu:R}, {Sigma:R}, {Q:R})");
}
