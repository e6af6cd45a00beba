using System.Collections.Immutable;
using MathNet.Numerics.LinearAlgebra;

namespace HyperDrive.Training.Builtins.Ridge;

/// <summary>
/// The feature scaling of DESIGN §7, fitted on all rows of a data set: every column is centred and divided by
/// <see cref="Scales"/>. <c>sum_of_squares</c> (the default) divides by the population standard deviation times √n,
/// so each column has sum of squares 1 as scikit-learn's <c>load_diabetes</c> ships it; <c>zscore</c> divides by the
/// population standard deviation alone. A constant column keeps scale 1 (it stays all zeros).
/// </summary>
public sealed record FeatureScaling(string Method, ImmutableArray<double> Means, ImmutableArray<double> Scales)
{
    public const string SumOfSquares = "sum_of_squares";
    public const string ZScore = "zscore";

    public static readonly ImmutableArray<string> Methods = [SumOfSquares, ZScore];

    public static FeatureScaling Fit(Matrix<double> x, string method)
    {
        if (!Methods.Contains(method))
        {
            throw new RidgeDataException($"ridge: scaling '{method}' is unknown; expected one of {string.Join(", ", Methods)}");
        }

        var means = ImmutableArray.CreateBuilder<double>(x.ColumnCount);
        var scales = ImmutableArray.CreateBuilder<double>(x.ColumnCount);
        for (var c = 0; c < x.ColumnCount; c++)
        {
            var column = x.Column(c);
            var mean = column.Average();
            var sd = Math.Sqrt(column.Sum(v => (v - mean) * (v - mean)) / column.Count);
            var scale = method == SumOfSquares ? sd * Math.Sqrt(column.Count) : sd;
            means.Add(mean);
            scales.Add(scale > 0 ? scale : 1);
        }

        return new FeatureScaling(method, means.MoveToImmutable(), scales.MoveToImmutable());
    }

    /// <summary>A scaled copy of <paramref name="x"/>.</summary>
    public Matrix<double> Apply(Matrix<double> x)
    {
        var scaled = x.Clone();
        for (var c = 0; c < x.ColumnCount; c++)
        {
            scaled.SetColumn(c, x.Column(c).Subtract(Means[c]).Divide(Scales[c]));
        }

        return scaled;
    }
}
