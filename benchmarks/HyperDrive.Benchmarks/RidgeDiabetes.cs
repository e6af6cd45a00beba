using System.Globalization;
using System.IO.Compression;
using MathNet.Numerics.LinearAlgebra;

namespace HyperDrive.Benchmarks;

/// <summary>
/// The ridge_diabetes objective of ../shared/bench/README.md §1: −(mean 5-fold CV R²) of ridge regression (penalty
/// α‖w‖², intercept not penalised) on data/diabetes, each feature centred and divided by its population standard
/// deviation and by √442; folds are contiguous rows 0–88, 89–177, 178–265, 266–353, 354–441 (scikit-learn's KFold(5)).
/// </summary>
public sealed class RidgeDiabetes
{
    private static readonly int[] FoldStarts = [0, 89, 178, 266, 354, 442];

    private readonly Matrix<double> _x;
    private readonly Vector<double> _y;

    public RidgeDiabetes(Matrix<double> x, Vector<double> y)
    {
        _x = x;
        _y = y;
    }

    public static RidgeDiabetes Load(string folder)
    {
        var rows = ReadLines(Path.Combine(folder, "diabetes_data_raw.csv.gz"))
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(Parse).ToArray()).ToArray();
        var target = ReadLines(Path.Combine(folder, "diabetes_target.csv.gz")).Select(Parse).ToArray();
        var x = Matrix<double>.Build.DenseOfRowArrays(rows);
        for (var c = 0; c < x.ColumnCount; c++)
        {
            var column = x.Column(c);
            var mean = column.Average();
            var sd = Math.Sqrt(column.Sum(v => (v - mean) * (v - mean)) / column.Count);
            x.SetColumn(c, column.Subtract(mean).Divide(sd * Math.Sqrt(column.Count)));
        }

        return new RidgeDiabetes(x, Vector<double>.Build.DenseOfArray(target));
    }

    /// <summary>The objective to minimise: −(mean cross-validated R²).</summary>
    public double Loss(double alpha, bool fitIntercept)
    {
        var total = 0.0;
        for (var f = 0; f < 5; f++)
        {
            var test = Enumerable.Range(FoldStarts[f], FoldStarts[f + 1] - FoldStarts[f]).ToArray();
            var train = Enumerable.Range(0, _y.Count).Where(i => i < FoldStarts[f] || i >= FoldStarts[f + 1]).ToArray();
            var xTrain = Rows(_x, train);
            var yTrain = Vector<double>.Build.DenseOfEnumerable(train.Select(i => _y[i]));
            var xMean = Vector<double>.Build.Dense(_x.ColumnCount);
            var yMean = 0.0;
            if (fitIntercept)
            {
                xMean = xTrain.ColumnSums() / train.Length;
                yMean = yTrain.Average();
                for (var r = 0; r < xTrain.RowCount; r++)
                {
                    xTrain.SetRow(r, xTrain.Row(r) - xMean);
                }

                yTrain = yTrain - yMean;
            }

            var gram = xTrain.TransposeThisAndMultiply(xTrain) + alpha * Matrix<double>.Build.DenseIdentity(_x.ColumnCount);
            var w = gram.Cholesky().Solve(xTrain.TransposeThisAndMultiply(yTrain));
            var intercept = yMean - xMean.DotProduct(w);
            var xTest = Rows(_x, test);
            var yTest = Vector<double>.Build.DenseOfEnumerable(test.Select(i => _y[i]));
            var predicted = xTest * w + intercept;
            var residual = (yTest - predicted).DotProduct(yTest - predicted);
            var testMean = yTest.Average();
            var spread = yTest.Sum(v => (v - testMean) * (v - testMean));
            total += 1 - residual / spread;
        }

        return -total / 5;
    }

    private static Matrix<double> Rows(Matrix<double> x, int[] rows) =>
        Matrix<double>.Build.DenseOfRowVectors(rows.Select(x.Row));

    private static double Parse(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    private static IEnumerable<string> ReadLines(string path)
    {
        using var stream = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            if (line.Trim().Length > 0)
            {
                yield return line;
            }
        }
    }
}
