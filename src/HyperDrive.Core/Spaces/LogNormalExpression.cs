using HyperDrive.Core.Parameters;

namespace HyperDrive.Core.Spaces;

/// <summary><c>lognormal(mu, sigma)</c> = exp(normal(mu, sigma)), a positive real number.</summary>
public sealed record LogNormalExpression(double Mu, double Sigma) : ParameterExpression
{
    public override string Kind => "lognormal";

    public override ParameterValue FromUnit(double u, SamplingOptions options) =>
        new RealValue(Math.Exp(NormalExpression.Quantile(Mu, Sigma, u)));

    public override bool Contains(ParameterValue value, SamplingOptions options) =>
        value is RealValue { Value: var v } && v >= 0 && !double.IsNaN(v);

    public override string ToExpressionString() => FormattableString.Invariant($"lognormal({Mu:R}, {Sigma:R})");
}
