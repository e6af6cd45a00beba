using HyperDrive.Core.Parameters;

namespace HyperDrive.Core.Spaces;

/// <summary><c>qnormal(mu, sigma, q)</c> = round(normal(mu, sigma) / q) · q, an integer.</summary>
public sealed record QNormalExpression(double Mu, double Sigma, double Q) : ParameterExpression
{
    public override string Kind => "qnormal";

    public override ParameterValue FromUnit(double u, SamplingOptions options) =>
        new IntegerValue(Rounding.Quantize(NormalExpression.Quantile(Mu, Sigma, u), Q));

    public override bool Contains(ParameterValue value, SamplingOptions options) =>
        value is IntegerValue { Value: var v } && Rounding.IsMultiple(v, Q);

    public override string ToExpressionString() => FormattableString.Invariant($"qnormal({Mu:R}, {Sigma:R}, {Q:R})");
}
