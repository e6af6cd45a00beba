using HyperDrive.Core.Parameters;
using MathNet.Numerics.Distributions;

namespace HyperDrive.Core.Spaces;

/// <summary><c>normal(mu, sigma)</c>: a real number drawn from N(mu, sigma²); unbounded.</summary>
public sealed record NormalExpression(double Mu, double Sigma) : ParameterExpression
{
    public override string Kind => "normal";

    public override ParameterValue FromUnit(double u, SamplingOptions options) => new RealValue(Quantile(Mu, Sigma, u));

    public override bool Contains(ParameterValue value, SamplingOptions options) =>
        value is RealValue { Value: var v } && double.IsFinite(v);

    public override string ToExpressionString() => FormattableString.Invariant($"normal({Mu:R}, {Sigma:R})");

    /// <summary>The inverse CDF of N(mu, sigma²) at u, finite for every u (sigma 0 gives mu).</summary>
    internal static double Quantile(double mu, double sigma, double u) =>
        sigma == 0 ? mu : Normal.InvCDF(mu, sigma, Rounding.OpenUnit(u));
}
