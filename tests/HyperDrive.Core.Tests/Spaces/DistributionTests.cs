using HyperDrive.Core.Parameters;
using HyperDrive.Core.Sampling;
using HyperDrive.Core.Spaces;
using HyperDrive.Core.Tests.Sampling;
using MathNet.Numerics.Distributions;

namespace HyperDrive.Core.Tests.Spaces;

/// <summary>
/// Seeded goodness-of-fit tests of the draws the samplers make (n = 5000, alpha = 0.001): Kolmogorov–Smirnov for
/// the continuous expressions against the named distribution's CDF, chi-square for the discrete ones against
/// exact bucket probabilities from the continuous CDF and the rounding rule. Fixed seeds make them deterministic.
/// </summary>
public sealed class DistributionTests
{
    private const int N = 5000;
    private const long Seed = 20251122;

    public static TheoryData<string> Samplers => ["random", "sobol"];

    private static ISampler Sampler(string name, ParameterExpression expression, SamplingOptions? options = null)
    {
        var space = SearchSpace.Of(("x", expression));
        return name == "random" ? new RandomSampler(space, Seed, options) : new SobolSampler(space, Seed, scramble: true, options);
    }

    private static double[] Reals(ISampler sampler) =>
        [.. SamplerTestKit.Draws(sampler, N).Select(v => ((RealValue)v).Value)];

    private static long[] Integers(ISampler sampler) =>
        [.. SamplerTestKit.Draws(sampler, N).Select(v => ((IntegerValue)v).Value)];

    private static void AssertFits(double[] sample, Func<double, double> cdf)
    {
        var d = GoodnessOfFit.KolmogorovSmirnov(sample, cdf);
        Assert.True(d < GoodnessOfFit.KolmogorovSmirnovCritical(sample.Length), $"KS D = {d}, critical {GoodnessOfFit.KolmogorovSmirnovCritical(sample.Length)}");
    }

    private static void AssertRejects(double[] sample, Func<double, double> cdf)
    {
        var d = GoodnessOfFit.KolmogorovSmirnov(sample, cdf);
        Assert.True(d > GoodnessOfFit.KolmogorovSmirnovCritical(sample.Length), $"KS D = {d} should exceed {GoodnessOfFit.KolmogorovSmirnovCritical(sample.Length)}");
    }

    private static void AssertChiSquareFits(IReadOnlyList<long> observed, IReadOnlyList<double> probabilities)
    {
        var (statistic, critical, buckets) = GoodnessOfFit.ChiSquare(observed, probabilities);
        Assert.True(buckets >= 2, $"only {buckets} bucket(s)");
        Assert.True(statistic < critical, $"chi-square {statistic} over {buckets} buckets, critical {critical}");
    }

    [Theory]
    [MemberData(nameof(Samplers))]
    public void Uniform_should_fit_the_uniform_cdf_when_sampled(string sampler) =>
        AssertFits(Reals(Sampler(sampler, new UniformExpression(-2, 5))), x => ContinuousUniform.CDF(-2, 5, x));

    [Theory]
    [MemberData(nameof(Samplers))]
    public void Loguniform_should_fit_the_reciprocal_cdf_on_e_to_the_bounds_when_sampled(string sampler) =>
        AssertFits(Reals(Sampler(sampler, new LogUniformExpression(-9.2, -2.3))), x => ContinuousUniform.CDF(-9.2, -2.3, Math.Log(x)));

    [Fact]
    public void Loguniform_should_fit_the_base_10_reciprocal_cdf_when_logbase_is_10() =>
        AssertFits(Reals(Sampler("random", new LogUniformExpression(-4, -1), new SamplingOptions(10))), x => ContinuousUniform.CDF(-4, -1, Math.Log10(x)));

    [Theory]
    [MemberData(nameof(Samplers))]
    public void Normal_should_fit_the_normal_cdf_when_sampled(string sampler) =>
        AssertFits(Reals(Sampler(sampler, new NormalExpression(3, 2))), x => Normal.CDF(3, 2, x));

    [Theory]
    [MemberData(nameof(Samplers))]
    public void Lognormal_should_fit_the_lognormal_cdf_when_sampled(string sampler) =>
        AssertFits(Reals(Sampler(sampler, new LogNormalExpression(0.5, 0.8))), x => LogNormal.CDF(0.5, 0.8, x));

    [Fact]
    public void KolmogorovSmirnov_should_reject_uniform_draws_when_tested_against_a_normal_cdf() =>
        AssertRejects(Reals(Sampler("random", new UniformExpression(0, 1))), x => Normal.CDF(0.5, 0.29, x));

    [Fact]
    public void KolmogorovSmirnov_should_reject_base_10_loguniform_draws_when_tested_against_the_natural_base() =>
        AssertRejects(Reals(Sampler("random", new LogUniformExpression(-4, -1), new SamplingOptions(10))), x => ContinuousUniform.CDF(-4, -1, Math.Log(x)));

    [Fact]
    public void Choice_should_pick_every_option_equally_often_when_sampled()
    {
        var options = new[] { "a", "b", "c", "d", "e", "f", "g" };
        var draws = SamplerTestKit.Draws(Sampler("random", ChoiceExpression.Of([.. options.Select(ParameterValue.Of)])), N)
            .Select(v => v.ToInvariantString()).ToList();

        AssertChiSquareFits([.. options.Select(o => (long)draws.Count(d => d == o))], [.. options.Select(_ => 1.0 / options.Length)]);
    }

    [Fact]
    public void Randint_should_draw_zero_to_upper_minus_one_equally_often_when_sampled()
    {
        var draws = Integers(Sampler("random", new RandIntExpression(13)));

        Assert.Equal(0, draws.Min());
        Assert.Equal(12, draws.Max());
        AssertChiSquareFits(GoodnessOfFit.Counts(draws, 0, 12, 1), [.. Enumerable.Repeat(1.0 / 13, 13)]);
    }

    [Fact]
    public void Quniform_should_fit_the_rounded_uniform_buckets_including_the_unclipped_ends_when_sampled()
    {
        // quniform(3, 47, 5): U(3, 47) rounded to multiples of 5 → 5..45, where 5 gets (7.5 - 3) / 44 and 45 gets (47 - 42.5) / 44.
        var expression = new QUniformExpression(3, 47, 5);
        var draws = Integers(Sampler("random", expression));
        var probabilities = GoodnessOfFit.QuantizedProbabilities(x => ContinuousUniform.CDF(3, 47, x), 5, 45, 5);

        Assert.Equal(4.5 / 44, probabilities[0], 12);
        AssertChiSquareFits(GoodnessOfFit.Counts(draws, 5, 45, 5), probabilities);
    }

    [Fact]
    public void Qloguniform_should_fit_the_rounded_reciprocal_buckets_when_sampled()
    {
        var expression = new QLogUniformExpression(0, 5, 10);
        var draws = Integers(Sampler("random", expression));
        var probabilities = GoodnessOfFit.QuantizedProbabilities(x => x <= 0 ? 0 : ContinuousUniform.CDF(0, 5, Math.Log(x)), 0, 150, 10);

        AssertChiSquareFits(GoodnessOfFit.Counts(draws, 0, 150, 10), probabilities);
    }

    [Fact]
    public void ChiSquare_should_reject_base_10_qloguniform_draws_when_tested_against_natural_base_buckets()
    {
        var draws = Integers(Sampler("random", new QLogUniformExpression(0, 2, 5), new SamplingOptions(10)));
        var probabilities = GoodnessOfFit.QuantizedProbabilities(x => x <= 0 ? 0 : ContinuousUniform.CDF(0, 2, Math.Log(x)), 0, 100, 5);

        var (statistic, critical, _) = GoodnessOfFit.ChiSquare(GoodnessOfFit.Counts(draws, 0, 100, 5), probabilities);

        Assert.True(statistic > critical, $"chi-square {statistic} should exceed {critical}");
    }

    [Fact]
    public void Qnormal_should_fit_the_rounded_normal_buckets_when_sampled()
    {
        var draws = Integers(Sampler("random", new QNormalExpression(10, 7, 3)));
        var probabilities = GoodnessOfFit.QuantizedProbabilities(x => Normal.CDF(10, 7, x), -30, 51, 3);

        AssertChiSquareFits(GoodnessOfFit.Counts(draws, -30, 51, 3), probabilities);
    }

    [Fact]
    public void Qlognormal_should_fit_the_rounded_lognormal_buckets_when_sampled()
    {
        var draws = Integers(Sampler("random", new QLogNormalExpression(2, 0.6, 2)));
        var probabilities = GoodnessOfFit.QuantizedProbabilities(x => x <= 0 ? 0 : LogNormal.CDF(2, 0.6, x), 0, 60, 2);

        Assert.True(draws.Min() >= 0);
        AssertChiSquareFits(GoodnessOfFit.Counts(draws, 0, 60, 2), probabilities);
    }
}
