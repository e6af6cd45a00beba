using HyperDrive.Training.Builtins.Ridge;
using MathNet.Numerics.LinearAlgebra;

namespace HyperDrive.Training.Tests.Builtins;

public sealed class RidgeRegressionTests
{
    [Fact]
    public void TestRanges_should_be_scikit_learns_contiguous_folds_when_442_rows_are_cut_in_5()
    {
        // ../shared/bench/README.md §1: rows 0–88, 89–177, 178–265, 266–353, 354–441.
        var ranges = RidgeValidation.KFold(5).TestRanges(442);

        Assert.Equal([(0, 89), (89, 89), (178, 88), (266, 88), (354, 88)], ranges.ToArray());
    }

    [Fact]
    public void TestRanges_should_hold_out_the_last_rows_when_a_fraction_is_given()
    {
        Assert.Equal([(80, 20)], RidgeValidation.HeldOut(0.2).TestRanges(100).ToArray());
    }

    [Fact]
    public void Fit_should_leave_the_intercept_unpenalised_as_the_augmented_normal_equations_do()
    {
        var (x, y) = Sample(rows: 30, seed: 3);
        const double alpha = 2.5;

        var model = RidgeRegression.Fit(x, y, alpha, fitIntercept: true);

        // Independent route: [X 1] with penalty diag(α, …, α, 0), solved by LU rather than centring and Cholesky.
        var augmented = x.Append(Matrix<double>.Build.Dense(x.RowCount, 1, 1.0));
        var penalty = Matrix<double>.Build.DenseDiagonal(x.ColumnCount + 1, alpha);
        penalty[x.ColumnCount, x.ColumnCount] = 0;
        var solution = (augmented.TransposeThisAndMultiply(augmented) + penalty).LU().Solve(augmented.TransposeThisAndMultiply(y));
        for (var i = 0; i < x.ColumnCount; i++)
        {
            Assert.Equal(solution[i], model.Coefficients[i], 1e-9);
        }

        Assert.Equal(solution[x.ColumnCount], model.Intercept, 1e-9);
    }

    [Fact]
    public void Fit_should_shrink_the_coefficients_towards_zero_when_alpha_grows()
    {
        var (x, y) = Sample(rows: 40, seed: 5);

        var norms = new[] { 1e-3, 1, 1e3, 1e6 }.Select(a => RidgeRegression.Fit(x, y, a, fitIntercept: true).Coefficients.L2Norm()).ToList();

        Assert.Equal(norms.OrderDescending(), norms);
        Assert.True(norms[^1] < 1e-3 * norms[0], string.Join(", ", norms));
        // Fully shrunk, only the unpenalised intercept is left: the mean of y.
        Assert.Equal(y.Average(), RidgeRegression.Fit(x, y, 1e12, fitIntercept: true).Intercept, 1e-6);
    }

    [Fact]
    public void R2_should_be_one_for_an_exact_prediction_and_zero_for_the_mean()
    {
        var y = Vector<double>.Build.DenseOfArray([1.0, 2, 4, 8]);

        Assert.Equal(1, RidgeRegression.R2(y, y));
        Assert.Equal(0, RidgeRegression.R2(y, Vector<double>.Build.Dense(4, 3.75)), 12);
    }

    [Fact]
    public void FeatureScaling_should_give_each_column_mean_zero_and_sum_of_squares_one_by_default()
    {
        var (x, _) = Sample(rows: 25, seed: 9);

        var scaled = FeatureScaling.Fit(x, FeatureScaling.SumOfSquares).Apply(x);
        var zscored = FeatureScaling.Fit(x, FeatureScaling.ZScore).Apply(x);

        for (var c = 0; c < x.ColumnCount; c++)
        {
            Assert.Equal(0, scaled.Column(c).Sum(), 9);
            Assert.Equal(1, scaled.Column(c).DotProduct(scaled.Column(c)), 9);
            Assert.Equal(x.RowCount, zscored.Column(c).DotProduct(zscored.Column(c)), 9);
        }
    }

    private static (Matrix<double> X, Vector<double> Y) Sample(int rows, int seed)
    {
        var random = new Random(seed);
        var x = Matrix<double>.Build.Dense(rows, 3, (_, _) => random.NextDouble() * 10 - 5);
        var y = Vector<double>.Build.Dense(rows, r => 4 + 1.5 * x[r, 0] - 2 * x[r, 1] + 0.3 * x[r, 2] + random.NextDouble() - 0.5);
        return (x, y);
    }
}
