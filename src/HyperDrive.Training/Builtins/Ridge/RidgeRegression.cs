using MathNet.Numerics.LinearAlgebra;

namespace HyperDrive.Training.Builtins.Ridge;

/// <summary>Closed-form ridge regression and the coefficient of determination, as scikit-learn's Ridge and r2_score compute them.</summary>
public static class RidgeRegression
{
    /// <summary>
    /// Minimises ‖y − Xw − b‖² + α‖w‖² by the Cholesky factor of XᵀX + αI. With an intercept, X and y are centred
    /// on their training means first, which leaves the intercept b = ȳ − x̄·w unpenalised.
    /// </summary>
    public static RidgeModel Fit(Matrix<double> x, Vector<double> y, double alpha, bool fitIntercept)
    {
        var xMean = Vector<double>.Build.Dense(x.ColumnCount);
        var yMean = 0.0;
        if (fitIntercept)
        {
            xMean = x.ColumnSums() / x.RowCount;
            yMean = y.Average();
            var centred = x.Clone();
            for (var r = 0; r < centred.RowCount; r++)
            {
                centred.SetRow(r, x.Row(r) - xMean);
            }

            x = centred;
            y = y - yMean;
        }

        var gram = x.TransposeThisAndMultiply(x) + alpha * Matrix<double>.Build.DenseIdentity(x.ColumnCount);
        var w = gram.Cholesky().Solve(x.TransposeThisAndMultiply(y));
        return new RidgeModel(w, yMean - xMean.DotProduct(w));
    }

    /// <summary>1 − SS_res/SS_tot around the mean of <paramref name="y"/>; for a constant y, 1 when predicted exactly, else 0.</summary>
    public static double R2(Vector<double> y, Vector<double> predicted)
    {
        var residual = (y - predicted).DotProduct(y - predicted);
        var mean = y.Average();
        var spread = y.Sum(v => (v - mean) * (v - mean));
        if (spread == 0)
        {
            return residual == 0 ? 1 : 0;
        }

        return 1 - residual / spread;
    }
}
