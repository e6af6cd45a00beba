using System.Collections.Immutable;
using HyperDrive.Core.Parameters;

namespace HyperDrive.Core.Spaces;

/// <summary>
/// Maps a point of the unit cube onto a search space. Every expression (including the members of every
/// branch of a nested choice) owns one dimension, so the layout never depends on which branch was chosen:
/// samplers that cannot model the condition treat each branch's parameters on their own.
/// </summary>
public static class SpaceSampling
{
    public static ImmutableArray<SpaceDimension> Dimensions(SearchSpace space)
    {
        var result = ImmutableArray.CreateBuilder<SpaceDimension>();
        Collect(space, prefix: "", result);
        return result.ToImmutable();
    }

    /// <summary>Draws a parameter set; <paramref name="unit"/> gives u in [0, 1) for a dimension index.</summary>
    public static ParameterSet Draw(SearchSpace space, Func<int, double> unit, SamplingOptions options)
    {
        var next = 0;
        return new ParameterSet(DrawSpace(space, unit, options, ref next));
    }

    /// <summary>The number of dimensions of a space (every branch counted).</summary>
    public static int DimensionCount(SearchSpace space) => space.Parameters.Sum(p => DimensionCount(p.Expression));

    private static int DimensionCount(ParameterExpression expression) => expression switch
    {
        FixedExpression => 0,
        ChoiceExpression choice => 1 + choice.Options.Sum(o => o.Branch is null ? 0 : DimensionCount(o.Branch)),
        _ => 1,
    };

    private static void Collect(SearchSpace space, string prefix, ImmutableArray<SpaceDimension>.Builder result)
    {
        foreach (var parameter in space.Parameters)
        {
            var path = prefix + parameter.Name;
            if (parameter.Expression is FixedExpression)
            {
                continue;
            }

            result.Add(new SpaceDimension(result.Count, path, parameter.Expression));
            if (parameter.Expression is ChoiceExpression choice)
            {
                for (var i = 0; i < choice.Options.Length; i++)
                {
                    if (choice.Options[i].Branch is { } branch)
                    {
                        Collect(branch, $"{path}[{i}].", result);
                    }
                }
            }
        }
    }

    private static ImmutableArray<KeyValuePair<string, ParameterValue>> DrawSpace(
        SearchSpace space, Func<int, double> unit, SamplingOptions options, ref int next)
    {
        var entries = ImmutableArray.CreateBuilder<KeyValuePair<string, ParameterValue>>(space.Count);
        foreach (var parameter in space.Parameters)
        {
            entries.Add(KeyValuePair.Create(parameter.Name, DrawExpression(parameter.Expression, unit, options, ref next)));
        }

        return entries.MoveToImmutable();
    }

    private static ParameterValue DrawExpression(
        ParameterExpression expression, Func<int, double> unit, SamplingOptions options, ref int next)
    {
        switch (expression)
        {
            case FixedExpression fixedValue:
                return fixedValue.Value;
            case ChoiceExpression choice:
                var chosen = choice.IndexFromUnit(unit(next++));
                ParameterValue value = choice.Options[chosen].Constant ?? NullValue.Instance;
                for (var i = 0; i < choice.Options.Length; i++)
                {
                    if (choice.Options[i].Branch is not { } branch)
                    {
                        continue;
                    }

                    if (i == chosen)
                    {
                        value = new MapValue(DrawSpace(branch, unit, options, ref next));
                    }
                    else
                    {
                        next += DimensionCount(branch);
                    }
                }

                return value;
            default:
                return expression.FromUnit(unit(next++), options);
        }
    }
}
