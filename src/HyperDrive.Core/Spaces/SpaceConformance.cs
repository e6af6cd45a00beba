using System.Collections.Immutable;
using System.Globalization;
using HyperDrive.Core.Parameters;

namespace HyperDrive.Core.Spaces;

/// <summary>
/// Checks a parameter set that came from outside (a sampler plug-in) against the space, and brings its numbers to the
/// space's types: a whole real where an integer is expected (<c>3.0</c> for <c>randint</c>) becomes an integer, an
/// integer where a real is expected becomes a real. Every parameter must be present, no other name may appear, choice
/// values must be among the values (a nested branch must match one of the branches), numbers must lie in the support.
/// </summary>
public static class SpaceConformance
{
    /// <summary>The set in the space's order and types, or null with <paramref name="error"/> naming the parameter and the value.</summary>
    public static ParameterSet? Conform(SearchSpace space, ParameterSet proposal, SamplingOptions options, out string? error)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(proposal);
        ArgumentNullException.ThrowIfNull(options);
        var conformed = ConformMap(space, proposal.Entries, options, "", out error);
        return conformed is null ? null : new ParameterSet(conformed.Value);
    }

    private static ImmutableArray<KeyValuePair<string, ParameterValue>>? ConformMap(
        SearchSpace space, ImmutableArray<KeyValuePair<string, ParameterValue>> entries, SamplingOptions options, string prefix, out string? error)
    {
        var names = space.Parameters.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, _) in entries)
        {
            if (!names.Contains(name))
            {
                error = $"unknown parameter '{prefix}{name}' (the space has {string.Join(", ", space.Parameters.Select(p => prefix + p.Name))})";
                return null;
            }

            if (!seen.Add(name))
            {
                error = $"parameter '{prefix}{name}' is given twice";
                return null;
            }
        }

        var result = ImmutableArray.CreateBuilder<KeyValuePair<string, ParameterValue>>(space.Count);
        foreach (var parameter in space.Parameters)
        {
            var path = prefix + parameter.Name;
            var found = entries.FirstOrDefault(e => e.Key == parameter.Name);
            if (found.Key is null)
            {
                error = $"parameter '{path}' is missing";
                return null;
            }

            var value = ConformValue(parameter.Expression, found.Value, options, path, out error);
            if (value is null)
            {
                return null;
            }

            result.Add(KeyValuePair.Create(parameter.Name, value));
        }

        error = null;
        return result.MoveToImmutable();
    }

    private static ParameterValue? ConformValue(ParameterExpression expression, ParameterValue value, SamplingOptions options, string path, out string? error)
    {
        error = null;
        if (expression is ChoiceExpression choice)
        {
            foreach (var option in choice.Options)
            {
                if (option.Constant is { } constant && ChoiceExpression.ValuesEqual(constant, value))
                {
                    return constant;
                }

                if (option.Branch is { } branch && value is MapValue map && ConformMap(branch, map.Entries, options, path + ".", out _) is { } entries)
                {
                    return new MapValue(entries);
                }
            }

            error = $"parameter '{path}': {Describe(value)} is not one of the values of {choice.ToExpressionString()}";
            return null;
        }

        var typed = value switch
        {
            RealValue { Value: var r } when IsIntegral(expression) && Math.Abs(r) < 9e15 && r == Math.Floor(r) => new IntegerValue((long)r),
            IntegerValue { Value: var i } when !IsIntegral(expression) => new RealValue(i),
            _ => value,
        };
        if (expression.Contains(typed, options))
        {
            return typed;
        }

        error = typed switch
        {
            RealValue when IsIntegral(expression) => $"parameter '{path}': {Describe(value)} is not an integer, as {expression.ToExpressionString()} requires",
            IntegerValue when expression is not RandIntExpression && IsIntegral(expression) =>
                $"parameter '{path}': {Describe(value)} lies outside {expression.ToExpressionString()} (its values are multiples of q within the bounds)",
            RealValue or IntegerValue => $"parameter '{path}': {Describe(value)} lies outside {expression.ToExpressionString()}",
            _ => $"parameter '{path}': {Describe(value)} is not a number, as {expression.ToExpressionString()} requires",
        };
        return null;
    }

    // randint and the q-expressions with an integral q produce integers (QUniform's values are integers in this project).
    private static bool IsIntegral(ParameterExpression expression) => expression is RandIntExpression or QUniformExpression
        or QLogUniformExpression or QNormalExpression or QLogNormalExpression;

    private static string Describe(ParameterValue value) => value switch
    {
        TextValue t => "'" + t.Value + "'",
        RealValue r => r.Value.ToString("R", CultureInfo.InvariantCulture),
        _ => value.ToJson(),
    };
}
