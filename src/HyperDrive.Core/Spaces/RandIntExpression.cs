using HyperDrive.Core.Parameters;

namespace HyperDrive.Core.Spaces;

/// <summary><c>randint(upper)</c>: an integer uniform in [0, upper).</summary>
public sealed record RandIntExpression(long Upper) : ParameterExpression
{
    public override string Kind => "randint";

    public override ParameterValue FromUnit(double u, SamplingOptions options) =>
        new IntegerValue(Math.Min((long)Math.Floor(u * Upper), Upper - 1));

    public override bool Contains(ParameterValue value, SamplingOptions options) =>
        value is IntegerValue { Value: var v } && v >= 0 && v < Upper;

    public override string ToExpressionString() => FormattableString.Invariant($"randint({Upper})");
}
