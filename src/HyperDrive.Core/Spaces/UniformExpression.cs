using HyperDrive.Core.Parameters;

namespace HyperDrive.Core.Spaces;

/// <summary><c>uniform(min, max)</c>: a real number uniform in [min, max].</summary>
public sealed record UniformExpression(double Min, double Max) : ParameterExpression
{
    public override string Kind => "uniform";

    public override ParameterValue FromUnit(double u, SamplingOptions options) =>
        new RealValue(Math.Clamp(Min + u * (Max - Min), Min, Max));

    public override bool Contains(ParameterValue value, SamplingOptions options) =>
        value is RealValue { Value: var v } && v >= Min && v <= Max;

    public override string ToExpressionString() => FormattableString.Invariant($"uniform({Min:R}, {Max:R})");
}
