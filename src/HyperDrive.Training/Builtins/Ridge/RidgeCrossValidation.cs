using System.Collections.Immutable;
using MathNet.Numerics.LinearAlgebra;

namespace HyperDrive.Training.Builtins.Ridge;

/// <summary>
/// The splits of one (already scaled) data set, cut once, so that each (alpha, fit_intercept) costs only the solves.
/// Used by the <c>ridge</c> trainer and by the quality benchmark's ridge_diabetes objective.
/// </summary>
public sealed class RidgeCrossValidation
{
    private readonly ImmutableArray<Split> _splits;

    public RidgeCrossValidation(Matrix<double> x, Vector<double> y, RidgeValidation validation)
    {
        _splits = [.. validation.TestRanges(y.Count).Select(range => Split.Cut(x, y, range.Start, range.Count))];
    }

    public int SplitCount => _splits.Length;

    /// <summary>R² on the test rows of split <paramref name="index"/> of a model fitted on its other rows.</summary>
    public double Score(int index, double alpha, bool fitIntercept)
    {
        var split = _splits[index];
        var model = RidgeRegression.Fit(split.TrainX, split.TrainY, alpha, fitIntercept);
        return RidgeRegression.R2(split.TestY, model.Predict(split.TestX));
    }

    /// <summary>The mean R² over all splits.</summary>
    public double MeanScore(double alpha, bool fitIntercept) =>
        Enumerable.Range(0, _splits.Length).Average(i => Score(i, alpha, fitIntercept));

    private sealed record Split(Matrix<double> TrainX, Vector<double> TrainY, Matrix<double> TestX, Vector<double> TestY)
    {
        public static Split Cut(Matrix<double> x, Vector<double> y, int start, int count)
        {
            var test = Enumerable.Range(start, count).ToArray();
            var train = Enumerable.Range(0, y.Count).Where(i => i < start || i >= start + count).ToArray();
            return new Split(Rows(x, train), Entries(y, train), Rows(x, test), Entries(y, test));
        }

        private static Matrix<double> Rows(Matrix<double> x, int[] rows) => Matrix<double>.Build.DenseOfRowVectors(rows.Select(x.Row));

        private static Vector<double> Entries(Vector<double> y, int[] rows) => Vector<double>.Build.DenseOfEnumerable(rows.Select(i => y[i]));
    }
}
