using System.Collections.Immutable;
using HyperDrive.Core.Parameters;

namespace HyperDrive.Core.Spaces;

/// <summary><c>choice(v1, v2, …)</c>: uniform over the options. An option is a constant or a nested branch.</summary>
public sealed record ChoiceExpression(ImmutableArray<ChoiceOption> Options) : ParameterExpression
{
    public override string Kind => "choice";

    public override bool IsCategorical => true;

    public bool HasBranches => Options.Any(o => o.Branch is not null);

    public int IndexFromUnit(double u) => Math.Min((int)Math.Floor(u * Options.Length), Options.Length - 1);

    /// <summary>The constant of the chosen option; a branch option yields an empty map (see <see cref="SpaceSampling"/>).</summary>
    public override ParameterValue FromUnit(double u, SamplingOptions options)
    {
        var option = Options[IndexFromUnit(u)];
        return option.Constant ?? new MapValue([]);
    }

    public override bool Contains(ParameterValue value, SamplingOptions options) =>
        Options.Any(o => o.Constant is not null ? ValuesEqual(o.Constant, value) : o.Branch!.Contains(value, options));

    public override string ToExpressionString() =>
        "choice(" + string.Join(", ", Options.Select(o => o.Constant is TextValue t ? "'" + t.Value + "'" : o.ToString())) + ")";

    public static ChoiceExpression Of(params ParameterValue[] values) =>
        new([.. values.Select(ChoiceOption.Of)]);

    /// <summary>Numbers compare by value (1 and 1.0 are one option), everything else by equality.</summary>
    internal static bool ValuesEqual(ParameterValue a, ParameterValue b) =>
        a.AsDouble() is { } x && b.AsDouble() is { } y ? x.Equals(y) : a.Equals(b);

    public bool Equals(ChoiceExpression? other) => other is not null && Options.SequenceEqual(other.Options);

    public override int GetHashCode() => Options.Length;
}
