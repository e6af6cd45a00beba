using HyperDrive.Core.Parameters;

namespace HyperDrive.Core.Spaces;

/// <summary>A constant inside a nested choice branch (<c>name: yolo</c>); it owns no dimension.</summary>
public sealed record FixedExpression(ParameterValue Value) : ParameterExpression
{
    public override string Kind => "constant";

    public override ParameterValue FromUnit(double u, SamplingOptions options) => Value;

    public override bool Contains(ParameterValue value, SamplingOptions options) => ChoiceExpression.ValuesEqual(Value, value);

    public override string ToExpressionString() => Value.ToInvariantString();
}
