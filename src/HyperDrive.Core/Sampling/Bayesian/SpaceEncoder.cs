using System.Collections.Immutable;
using HyperDrive.Core.Parameters;
using HyperDrive.Core.Spaces;
using MathNet.Numerics.Distributions;

namespace HyperDrive.Core.Sampling.Bayesian;

/// <summary>
/// The Gaussian process's view of a search space. A parameter set maps to a unit position per dimension (the u
/// that <see cref="SpaceSampling"/> would map onto that value: linear for uniform/quniform, linear in log space for
/// loguniform/qloguniform, the CDF for the normal family, the cell centre for randint and choice), and the unit
/// positions map to features: one per ordered dimension, one-hot for a choice. Dimensions inside a branch that was
/// not chosen are inactive: 0.5 for an ordered feature, all zeros for a one-hot group. Candidates are drawn as unit
/// vectors, decoded through <see cref="SpaceSampling.Draw"/> (which rounds integers and q-values) and encoded back,
/// so a candidate is always modelled at the value it would actually propose.
/// </summary>
internal sealed class SpaceEncoder
{
    private readonly SearchSpace _space;
    private readonly SamplingOptions _options;
    private readonly ImmutableArray<SpaceDimension> _dimensions;
    private readonly int[] _featureOffset;
    private readonly int[] _categories;

    public SpaceEncoder(SearchSpace space, SamplingOptions options)
    {
        _space = space;
        _options = options;
        _dimensions = SpaceSampling.Dimensions(space);
        _featureOffset = new int[_dimensions.Length];
        _categories = new int[_dimensions.Length];
        var offset = 0;
        for (var i = 0; i < _dimensions.Length; i++)
        {
            _featureOffset[i] = offset;
            _categories[i] = _dimensions[i].Expression is ChoiceExpression choice ? choice.Options.Length : 0;
            offset += Math.Max(1, _categories[i]);
        }

        FeatureCount = offset;
    }

    public int DimensionCount => _dimensions.Length;

    public int FeatureCount { get; }

    /// <summary>True when dimension <paramref name="index"/> is a choice (its unit position picks a category).</summary>
    public bool IsCategorical(int index) => _categories[index] > 0;

    public ParameterSet Decode(double[] unit) => SpaceSampling.Draw(_space, i => unit[i], _options);

    /// <summary>The unit position of every dimension for a parameter set; NaN for an inactive one.</summary>
    public double[] Units(ParameterSet set)
    {
        var units = new double[_dimensions.Length];
        Array.Fill(units, double.NaN);
        var next = 0;
        UnitsOf(_space, name => set.Find(name), units, ref next);
        return units;
    }

    public double[] Features(double[] units)
    {
        var features = new double[FeatureCount];
        for (var i = 0; i < units.Length; i++)
        {
            var at = _featureOffset[i];
            if (_categories[i] > 0)
            {
                if (!double.IsNaN(units[i]))
                {
                    features[at + Math.Min((int)(units[i] * _categories[i]), _categories[i] - 1)] = 1;
                }
            }
            else
            {
                features[at] = double.IsNaN(units[i]) ? 0.5 : units[i];
            }
        }

        return features;
    }

    public double[] Encode(ParameterSet set) => Features(Units(set));

    private void UnitsOf(SearchSpace space, Func<string, ParameterValue?> lookup, double[] units, ref int next)
    {
        foreach (var parameter in space.Parameters)
        {
            var value = lookup(parameter.Name);
            switch (parameter.Expression)
            {
                case FixedExpression:
                    break;
                case ChoiceExpression choice:
                    var index = value is null ? -1 : EncodedSpace.OptionOf(choice, value, _options);
                    units[next++] = index < 0 ? double.NaN : (index + 0.5) / choice.Options.Length;
                    for (var i = 0; i < choice.Options.Length; i++)
                    {
                        if (choice.Options[i].Branch is not { } branch)
                        {
                            continue;
                        }

                        if (i == index && value is MapValue map)
                        {
                            UnitsOf(branch, name => map[name], units, ref next);
                        }
                        else
                        {
                            next += SpaceSampling.DimensionCount(branch);
                        }
                    }

                    break;
                default:
                    units[next++] = value?.AsDouble() is { } v ? Math.Clamp(UnitOf(parameter.Expression, v), 0, 1) : double.NaN;
                    break;
            }
        }
    }

    private double UnitOf(ParameterExpression expression, double v) => expression switch
    {
        UniformExpression e => Linear(v, e.Min, e.Max),
        QUniformExpression e => Linear(v, e.Min, e.Max),
        LogUniformExpression e => Linear(Log(v), e.Min, e.Max),
        QLogUniformExpression e => v <= 0 ? 0 : Linear(Log(v), e.Min, e.Max),
        RandIntExpression e => (v + 0.5) / e.Upper,
        NormalExpression e => Cdf(v, e.Mu, e.Sigma),
        QNormalExpression e => Cdf(v, e.Mu, e.Sigma),
        LogNormalExpression e => v <= 0 ? 0 : Cdf(Math.Log(v), e.Mu, e.Sigma),
        QLogNormalExpression e => v <= 0 ? 0 : Cdf(Math.Log(v), e.Mu, e.Sigma),
        _ => 0.5,
    };

    private double Log(double v) => _options.LogBase == Math.E ? Math.Log(v) : Math.Log(v) / Math.Log(_options.LogBase);

    private static double Linear(double v, double min, double max) => max > min ? (v - min) / (max - min) : 0.5;

    private static double Cdf(double v, double mu, double sigma) => sigma > 0 ? Normal.CDF(mu, sigma, v) : 0.5;
}
