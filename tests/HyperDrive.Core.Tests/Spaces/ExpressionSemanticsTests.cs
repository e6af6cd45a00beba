using HyperDrive.Core.Parameters;
using HyperDrive.Core.Spaces;

namespace HyperDrive.Core.Tests.Spaces;

/// <summary>Azure's exact semantics (REFERENCE §2.1, §5) at hand-computed points.</summary>
public sealed class ExpressionSemanticsTests
{
    private const double JustBelowOne = 1 - 1.0 / (1L << 53);
    private static readonly SamplingOptions Natural = SamplingOptions.Default;

    [Theory]
    [InlineData(2.5, 1, 2)]
    [InlineData(3.5, 1, 4)]
    [InlineData(-2.5, 1, -2)]
    [InlineData(0.5, 1, 0)]
    [InlineData(25, 10, 20)]
    [InlineData(35, 10, 40)]
    [InlineData(2.4999, 1, 2)]
    [InlineData(7.5, 5, 10)]
    [InlineData(12.5, 5, 10)]
    public void Quantize_should_round_half_to_even_like_python_when_x_over_q_is_a_tie(double x, double q, long expected)
    {
        Assert.Equal(expected, Rounding.Quantize(x, q));
    }

    [Fact]
    public void Quniform_should_not_clip_when_rounding_leaves_the_range()
    {
        // quniform(0.05, 0.75, q=1) can only give 0 or 1, and 1 lies above max (REFERENCE §2.1).
        var expression = new QUniformExpression(0.05, 0.75, 1);

        Assert.Equal(new IntegerValue(0), expression.FromUnit(0, Natural));
        Assert.Equal(new IntegerValue(1), expression.FromUnit(JustBelowOne, Natural));
        Assert.Equal(new IntegerValue(0), expression.FromUnit(0.64, Natural)); // 0.498 → 0
        Assert.Equal(new IntegerValue(1), expression.FromUnit(0.65, Natural)); // 0.505 → 1
        Assert.True(expression.Contains(new IntegerValue(1), Natural));
        Assert.False(expression.Contains(new IntegerValue(2), Natural));
        Assert.False(expression.Contains(new RealValue(1), Natural));
    }

    [Fact]
    public void Randint_should_draw_from_zero_to_upper_minus_one_when_the_draw_spans_the_unit_interval()
    {
        var expression = new RandIntExpression(10);

        Assert.Equal(new IntegerValue(0), expression.FromUnit(0, Natural));
        Assert.Equal(new IntegerValue(9), expression.FromUnit(JustBelowOne, Natural));
        Assert.Equal(new IntegerValue(3), expression.FromUnit(0.35, Natural));
        Assert.False(expression.Contains(new IntegerValue(10), Natural));
        Assert.False(expression.Contains(new IntegerValue(-1), Natural));
    }

    [Fact]
    public void Loguniform_should_treat_bounds_as_natural_log_exponents_when_logbase_is_default()
    {
        var expression = new LogUniformExpression(-9.2, -2.3);

        Assert.Equal(new RealValue(Math.Exp(-9.2)), expression.FromUnit(0, Natural));
        Assert.Equal(Math.Exp(-5.75), ((RealValue)expression.FromUnit(0.5, Natural)).Value, 15);
        Assert.True(expression.Contains(new RealValue(0.05), Natural));
        Assert.False(expression.Contains(new RealValue(0.2), Natural)); // e^-2.3 ≈ 0.1003
        Assert.False(expression.Contains(new RealValue(-9.2), Natural));
    }

    [Fact]
    public void Loguniform_should_use_the_logbase_when_the_sampling_options_name_one()
    {
        var expression = new LogUniformExpression(-3, 0);
        var base10 = new SamplingOptions(10);

        Assert.Equal(0.001, ((RealValue)expression.FromUnit(0, base10)).Value, 15);
        Assert.Equal(Math.Pow(10, -1.5), ((RealValue)expression.FromUnit(0.5, base10)).Value, 15);
        Assert.True(expression.Contains(new RealValue(0.01), base10));
        Assert.False(expression.Contains(new RealValue(0.01), Natural)); // e^-3 ≈ 0.0498
    }

    [Fact]
    public void Qloguniform_should_round_exp_of_the_uniform_to_a_multiple_of_q_when_drawn()
    {
        // round(exp(U(0, 5)) / 10) * 10: u = 0.5 → exp(2.5) = 12.18 → 10; u → 1 → exp(5) = 148.4 → 150.
        var expression = new QLogUniformExpression(0, 5, 10);

        Assert.Equal(new IntegerValue(0), expression.FromUnit(0, Natural));
        Assert.Equal(new IntegerValue(10), expression.FromUnit(0.5, Natural));
        Assert.Equal(new IntegerValue(150), expression.FromUnit(JustBelowOne, Natural));
        Assert.False(expression.Contains(new IntegerValue(160), Natural));
        Assert.False(expression.Contains(new IntegerValue(15), Natural));
    }

    [Fact]
    public void Normal_family_should_map_the_median_draw_to_mu_and_quantize_without_clipping()
    {
        Assert.Equal(new RealValue(3), new NormalExpression(3, 2).FromUnit(0.5, Natural));
        Assert.Equal(3 + 2 * 1.2815515655446004, ((RealValue)new NormalExpression(3, 2).FromUnit(0.9, Natural)).Value, 12);
        Assert.Equal(new IntegerValue(-6), new QNormalExpression(-5, 1, 3).FromUnit(0.5, Natural)); // -5/3 = -1.67 → -2 → -6
        Assert.Equal(new RealValue(Math.Exp(1)), new LogNormalExpression(1, 0.7).FromUnit(0.5, Natural));
        Assert.Equal(new IntegerValue(0), new QLogNormalExpression(0, 0.1, 5).FromUnit(0.5, Natural)); // e^0 = 1 → 0
        // sigma 0 makes exact ties: exp(0) / 2 = 0.5 → 0; 5 / 2 = 2.5 → 2; 3 / 2 = 1.5 → 2 (half to even).
        Assert.Equal(new IntegerValue(0), new QLogNormalExpression(0, 0, 2).FromUnit(0.3, Natural));
        Assert.Equal(new IntegerValue(4), new QNormalExpression(5, 0, 2).FromUnit(0.3, Natural));
        Assert.Equal(new IntegerValue(4), new QNormalExpression(3, 0, 2).FromUnit(0.3, Natural));
    }

    [Fact]
    public void Normal_should_stay_finite_when_the_draw_is_zero()
    {
        var value = ((RealValue)new NormalExpression(0, 1).FromUnit(0, Natural)).Value;

        Assert.True(double.IsFinite(value));
        Assert.InRange(value, -7.1, -7.0);
    }

    [Fact]
    public void Choice_should_pick_option_floor_u_times_count_when_drawn()
    {
        var expression = ChoiceExpression.Of(ParameterValue.Of("a"), ParameterValue.Of("b"), ParameterValue.Of("c"));

        Assert.Equal(ParameterValue.Of("a"), expression.FromUnit(0, Natural));
        Assert.Equal(ParameterValue.Of("b"), expression.FromUnit(0.34, Natural));
        Assert.Equal(ParameterValue.Of("c"), expression.FromUnit(JustBelowOne, Natural));
        Assert.False(expression.Contains(ParameterValue.Of("d"), Natural));
    }

    [Fact]
    public void Uniform_should_span_min_to_max_when_drawn()
    {
        var expression = new UniformExpression(-1, 3);

        Assert.Equal(new RealValue(-1), expression.FromUnit(0, Natural));
        Assert.Equal(new RealValue(1), expression.FromUnit(0.5, Natural));
        Assert.False(expression.Contains(new RealValue(3.0000001), Natural));
    }
}
