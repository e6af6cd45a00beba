using HyperDrive.Core.Sampling.Bayesian;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.Integration;

namespace HyperDrive.Core.Tests.Sampling.Bayesian;

public sealed class AcquisitionTests
{
    [Theory]
    [InlineData(4.0)]
    [InlineData(1.0)]
    [InlineData(0.0)]
    [InlineData(-1.5)]
    [InlineData(-4.9)]
    [InlineData(-5.1)]
    [InlineData(-6.5)]
    [InlineData(-8.0)]
    public void Log_h_should_match_the_direct_formula_when_both_are_stable(double z)
    {
        var direct = Math.Log(Normal.PDF(0, 1, z) + z * Normal.CDF(0, 1, z));

        Assert.Equal(direct, Acquisition.LogH(z), 1e-7 * Math.Max(1, Math.Abs(direct)));
    }

    [Fact]
    public void Log_expected_improvement_should_equal_the_integral_of_the_improvement_when_computed_directly()
    {
        const double mean = 0.3, sigma = 0.4, best = 0.1;

        // EI = ∫ max(0, best − f) N(f; μ, σ²) df, integrated over f < best.
        var integral = GaussLegendreRule.Integrate(f => (best - f) * Normal.PDF(mean, sigma, f), mean - 12 * sigma, best, 64);

        Assert.Equal(Math.Log(integral), Acquisition.LogExpectedImprovement(mean, sigma, best, 0), 1e-8);
    }

    [Fact]
    public void Log_h_should_stay_finite_ordered_and_continuous_when_far_from_the_incumbent()
    {
        double[] zs = [-4.9999, -5.0001, -29.9999, -30.0001, -40, -100, -1e4];
        var values = zs.Select(Acquisition.LogH).ToArray();

        Assert.All(values, v => Assert.True(double.IsFinite(v)));
        Assert.Equal(values[0], values[1], 1e-2);
        Assert.Equal(values[2], values[3], 1e-2);
        for (var i = 1; i < values.Length; i++)
        {
            Assert.True(values[i] < values[i - 1], $"log h({zs[i]}) = {values[i]} is not below log h({zs[i - 1]}) = {values[i - 1]}");
        }

        // Asymptotically h(z) ≈ φ(z) / z².
        Assert.Equal(-0.5 * 1e4 - 0.5 * Math.Log(2 * Math.PI) - 2 * Math.Log(100), Acquisition.LogH(-100), 1e-3);
    }
}
