using System.Collections.Immutable;
using HyperDrive.Core.Parameters;
using HyperDrive.Core.Spaces;
using MathNet.Numerics.Distributions;

namespace HyperDrive.Core.Sampling;

/// <summary>
/// A search space as the model-based samplers (tpe, cmaes) see it: one coordinate per dimension of
/// <see cref="SpaceSampling"/>'s unit cube. A numeric dimension's coordinate is the unit draw u in [0, 1] that
/// produces its value, so uniform is linear, loguniform and qloguniform are linear in the exponent (log space), and
/// normal, lognormal, qnormal and qlognormal are their CDF (the prior of the model is the user's distribution).
/// quniform and randint are also discrete: <see cref="EncodedDimension.Levels"/> values, level k the k-th smallest.
/// A choice's coordinate is its option index. A trial's parameters are encoded back, so a model is always built from
/// what was run (warm-started or replayed trials included), never from a remembered draw.
/// </summary>
internal sealed class EncodedSpace
{
    public EncodedSpace(SearchSpace space, SamplingOptions options)
    {
        Space = space;
        Options = options;
        var dimensions = ImmutableArray.CreateBuilder<EncodedDimension>();
        Collect(space, parent: -1, option: -1, dimensions);
        Dimensions = dimensions.ToImmutable();
    }

    public SearchSpace Space { get; }

    public SamplingOptions Options { get; }

    public ImmutableArray<EncodedDimension> Dimensions { get; }

    public int Count => Dimensions.Length;

    /// <summary>
    /// The coordinates of a parameter set: the unit draw of a numeric dimension (a discrete one's level when
    /// <paramref name="levels"/>), a choice's option index; NaN for a dimension the set does not use (a branch not
    /// chosen) or a value that is not in the space.
    /// </summary>
    public double[] Encode(ParameterSet parameters, bool levels)
    {
        var coordinates = new double[Count];
        Array.Fill(coordinates, double.NaN);
        var next = 0;
        EncodeSpace(Space, name => parameters.Find(name), coordinates, levels, ref next);
        return coordinates;
    }

    /// <summary>
    /// The parameter set of the coordinates: unit draws (or levels when <paramref name="levels"/>) and option
    /// indices, one per dimension (those of branches not chosen are ignored).
    /// </summary>
    public ParameterSet Decode(double[] coordinates, bool levels) =>
        SpaceSampling.Draw(Space, i => Dimensions[i].ToUnit(coordinates[i], levels), Options);

    private void EncodeSpace(SearchSpace space, Func<string, ParameterValue?> find, double[] coordinates, bool levels, ref int next)
    {
        foreach (var parameter in space.Parameters)
        {
            if (parameter.Expression is FixedExpression)
            {
                continue;
            }

            var dimension = Dimensions[next++];
            var value = find(parameter.Name);
            if (parameter.Expression is not ChoiceExpression choice)
            {
                coordinates[dimension.Index] = value is null ? double.NaN : dimension.Encode(value, levels, Options);
                continue;
            }

            var chosen = value is null ? -1 : OptionOf(choice, value, Options);
            coordinates[dimension.Index] = chosen < 0 ? double.NaN : chosen;
            for (var i = 0; i < choice.Options.Length; i++)
            {
                if (choice.Options[i].Branch is not { } branch)
                {
                    continue;
                }

                if (i == chosen && value is MapValue map)
                {
                    EncodeSpace(branch, name => map[name], coordinates, levels, ref next);
                }
                else
                {
                    next += SpaceSampling.DimensionCount(branch);
                }
            }
        }
    }

    /// <summary>The index of the option of <paramref name="choice"/> that <paramref name="value"/> is; −1 when none.</summary>
    internal static int OptionOf(ChoiceExpression choice, ParameterValue value, SamplingOptions options)
    {
        for (var i = 0; i < choice.Options.Length; i++)
        {
            var option = choice.Options[i];
            if (option.Constant is not null ? ChoiceExpression.ValuesEqual(option.Constant, value) : option.Branch!.Contains(value, options))
            {
                return i;
            }
        }

        return -1;
    }

    private static void Collect(SearchSpace space, int parent, int option, ImmutableArray<EncodedDimension>.Builder result)
    {
        foreach (var parameter in space.Parameters)
        {
            if (parameter.Expression is FixedExpression)
            {
                continue;
            }

            var index = result.Count;
            result.Add(EncodedDimension.Of(index, parameter.Name, parameter.Expression, parent, option));
            if (parameter.Expression is ChoiceExpression choice)
            {
                for (var i = 0; i < choice.Options.Length; i++)
                {
                    if (choice.Options[i].Branch is { } branch)
                    {
                        Collect(branch, index, i, result);
                    }
                }
            }
        }
    }
}

/// <summary>How a dimension is modelled.</summary>
internal enum DimensionKind
{
    Continuous,
    Discrete,
    Categorical,
}

/// <summary>One dimension of an <see cref="EncodedSpace"/>; <see cref="Parent"/> is the choice whose option <see cref="Option"/> holds it (−1 at top level).</summary>
internal sealed record EncodedDimension(int Index, string Name, ParameterExpression Expression, DimensionKind Kind, long Levels, int Parent, int Option)
{
    public bool IsTopLevel => Parent < 0;

    public static EncodedDimension Of(int index, string name, ParameterExpression expression, int parent, int option)
    {
        var (kind, levels) = expression switch
        {
            ChoiceExpression choice => (DimensionKind.Categorical, (long)choice.Options.Length),
            RandIntExpression r => (DimensionKind.Discrete, Math.Max(1, r.Upper)),
            QUniformExpression q => (DimensionKind.Discrete, Math.Max(1, (long)Math.Round((q.Highest - q.Lowest) / q.Q) + 1)),
            _ => (DimensionKind.Continuous, 0L),
        };
        return new EncodedDimension(index, name, expression, kind, levels, parent, option);
    }

    /// <summary>The coordinate of a value (see <see cref="EncodedSpace.Encode"/>); NaN when it is not one of this dimension's.</summary>
    public double Encode(ParameterValue value, bool levels, SamplingOptions options)
    {
        if (value.AsDouble() is not { } v || double.IsNaN(v))
        {
            return double.NaN;
        }

        if (Kind == DimensionKind.Discrete)
        {
            var level = Expression switch
            {
                RandIntExpression => v,
                QUniformExpression q => Math.Round((v - q.Lowest) / q.Q),
                _ => double.NaN,
            };
            level = Math.Clamp(level, 0, Levels - 1);
            return levels ? level : ToUnit(level, levels: true);
        }

        var u = Expression switch
        {
            UniformExpression e => e.Max == e.Min ? 0.5 : (v - e.Min) / (e.Max - e.Min),
            LogUniformExpression e => Exponent(v, e.Min, e.Max, options),
            QLogUniformExpression e => Exponent(v, e.Min, e.Max, options),
            NormalExpression e => Cdf(v, e.Mu, e.Sigma),
            QNormalExpression e => Cdf(v, e.Mu, e.Sigma),
            LogNormalExpression e => v <= 0 ? 0 : Cdf(Math.Log(v), e.Mu, e.Sigma),
            QLogNormalExpression e => v <= 0 ? 0 : Cdf(Math.Log(v), e.Mu, e.Sigma),
            _ => double.NaN,
        };
        return Math.Clamp(u, 0, 1);
    }

    /// <summary>The unit draw for a coordinate: a level (when <paramref name="levels"/>) or unit draw of a numeric dimension, an option index of a choice.</summary>
    public double ToUnit(double coordinate, bool levels)
    {
        if (double.IsNaN(coordinate))
        {
            return 0.5;
        }

        switch (Kind)
        {
            case DimensionKind.Categorical:
                return (Math.Clamp(Math.Round(coordinate), 0, Levels - 1) + 0.5) / Levels;
            case DimensionKind.Discrete when levels:
                var level = Math.Clamp(Math.Round(coordinate), 0, Levels - 1);
                return Expression switch
                {
                    // The value on the grid, then the draw that gives it (quniform rounds min + u·(max − min)).
                    QUniformExpression q => q.Max == q.Min ? 0.5 : Math.Clamp((q.Lowest + level * q.Q - q.Min) / (q.Max - q.Min), 0, 1),
                    _ => (level + 0.5) / Levels,
                };
            default:
                return Math.Clamp(coordinate, 0, 1);
        }
    }

    private static double Exponent(double v, double min, double max, SamplingOptions options)
    {
        if (v <= 0)
        {
            return options.LogBase > 1 ? 0 : 1;
        }

        var exponent = Math.Log(v) / Math.Log(options.LogBase);
        return max == min ? 0.5 : (exponent - min) / (max - min);
    }

    private static double Cdf(double v, double mu, double sigma) =>
        sigma == 0 ? 0.5 : Normal.CDF(mu, sigma, v);
}
