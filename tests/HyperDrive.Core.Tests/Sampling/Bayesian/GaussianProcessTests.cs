using HyperDrive.Core.Sampling;
using HyperDrive.Core.Sampling.Bayesian;
using MathNet.Numerics.LinearAlgebra;

namespace HyperDrive.Core.Tests.Sampling.Bayesian;

public sealed class GaussianProcessTests
{
    private static readonly double[][] X = [[0.05], [0.2], [0.35], [0.5], [0.7], [0.9]];
    private static readonly double[] Y = [.. X.Select(x => Math.Sin(6 * x[0]))];

    [Fact]
    public void Posterior_should_interpolate_the_data_and_shrink_the_variance_when_the_data_is_noiseless()
    {
        var gp = GaussianProcess.Condition(KernelKind.Matern52, new KernelHyperparameters([0.3], 1, 1e-10), X, Y);

        for (var i = 0; i < X.Length; i++)
        {
            var (mean, variance) = gp.Predict(X[i]);
            Assert.Equal(Y[i], mean, 1e-4);
            Assert.True(variance < 1e-4, $"variance {variance} at an observed point");
        }

        var far = gp.Predict([3.0]);
        Assert.True(far.Variance > 0.99, $"variance {far.Variance} far from the data, where the prior's is 1");
        Assert.Equal(0, far.Mean, 1e-2);
    }

    [Theory]
    [InlineData(KernelKind.Matern52)]
    [InlineData(KernelKind.Matern32)]
    [InlineData(KernelKind.Rbf)]
    public void Marginal_likelihood_should_match_a_dense_computation_and_its_gradient_finite_differences(KernelKind kind)
    {
        var random = new StableRandom(5);
        var x = Enumerable.Range(0, 12).Select(_ => new[] { random.NextDouble(), random.NextDouble(), random.NextDouble() }).ToArray();
        var y = x.Select(p => Math.Sin(3 * p[0]) + p[1] * p[2]).ToArray();
        double[] theta = [Math.Log(0.4), Math.Log(0.7), Math.Log(1.3), Math.Log(1.5), Math.Log(0.01)];
        var likelihood = new MarginalLikelihood(kind, x, y);

        var (value, gradient) = likelihood.Evaluate(theta);

        Assert.Equal(Dense(kind, x, y, theta), value, 1e-8);
        for (var j = 0; j < theta.Length; j++)
        {
            const double h = 1e-5;
            var up = (double[])theta.Clone();
            var down = (double[])theta.Clone();
            up[j] += h;
            down[j] -= h;
            var numeric = (likelihood.Evaluate(up).Value - likelihood.Evaluate(down).Value) / (2 * h);
            Assert.Equal(numeric, gradient[j], 1e-5 * Math.Max(1, Math.Abs(numeric)));
        }
    }

    [Fact]
    public void Kernel_fit_should_reach_the_best_likelihood_of_a_brute_force_grid_when_the_noise_is_fixed()
    {
        var likelihood = new MarginalLikelihood(KernelKind.Matern52, X, Y);
        var grid = double.NegativeInfinity;
        for (var a = 0; a <= 60; a++)
        {
            for (var b = 0; b <= 60; b++)
            {
                var lengthScale = Math.Log(0.01) + a * (Math.Log(20) - Math.Log(0.01)) / 60;
                var signal = Math.Log(0.05) + b * (Math.Log(20) - Math.Log(0.05)) / 60;
                grid = Math.Max(grid, likelihood.Evaluate([lengthScale, signal, Math.Log(1e-4)]).Value);
            }
        }

        var fit = KernelFit.Fit(KernelKind.Matern52, X, Y, 1e-4, new StableRandom(1));
        var fitted = likelihood.Evaluate([Math.Log(fit.LengthScales[0]), Math.Log(fit.SignalVariance), Math.Log(1e-4)]).Value;

        Assert.True(fitted >= grid - 1e-6, $"fitted log likelihood {fitted} is below the grid's best {grid}");
    }

    // log N(y; 0, K + σₙ²I) with MathNet's dense matrices, written from the definition.
    private static double Dense(KernelKind kind, double[][] x, double[] y, double[] theta)
    {
        var f = x[0].Length;
        var lengthScales = theta.Take(f).Select(Math.Exp).ToArray();
        var (signal, noise) = (Math.Exp(theta[f]), Math.Exp(theta[f + 1]));
        var k = Matrix<double>.Build.Dense(x.Length, x.Length, (i, j) =>
        {
            var r = Math.Sqrt(Enumerable.Range(0, f).Sum(d => Math.Pow((x[i][d] - x[j][d]) / lengthScales[d], 2)));
            var unit = kind switch
            {
                KernelKind.Matern52 => (1 + Math.Sqrt(5) * r + 5 * r * r / 3) * Math.Exp(-Math.Sqrt(5) * r),
                KernelKind.Matern32 => (1 + Math.Sqrt(3) * r) * Math.Exp(-Math.Sqrt(3) * r),
                _ => Math.Exp(-r * r / 2),
            };
            return signal * unit + (i == j ? noise + 1e-9 * signal : 0);
        });
        var v = Vector<double>.Build.DenseOfArray(y);
        return -0.5 * v.DotProduct(k.Solve(v)) - 0.5 * Math.Log(k.Determinant()) - 0.5 * x.Length * Math.Log(2 * Math.PI);
    }
}
