using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using HyperDrive.Core.Parameters;
using HyperDrive.Core.Sampling;
using HyperDrive.Core.Spaces;

namespace HyperDrive.Core.Tests.Spaces;

/// <summary>A valid expression with the sampling options it is drawn under.</summary>
public sealed record ExpressionCase(ParameterExpression Expression, SamplingOptions Options)
{
    public override string ToString() => $"{Expression} (logbase {Options.LogBase})";
}

/// <summary>A unit draw in [0, 1): 0, the largest double below 1, or anything between.</summary>
public sealed record UnitDraw(double Value)
{
    public override string ToString() => Value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>FsCheck generators of valid expression parameters (Azure's validation rules) and unit draws.</summary>
public static class ExpressionArbitraries
{
    private static Gen<double> Tenths(int low, int high) => Gen.Choose(low, high).Select(i => i / 10.0);

    private static Gen<double> Q => Gen.Choose(1, 100).Select(i => (double)i);

    // uniform/quniform: min < max strictly; loguniform family: min <= max, exponents kept where e^x fits easily.
    private static Gen<(double Min, double Max)> Range(int low, int high, int widthLow, int widthHigh) =>
        from min in Tenths(low, high)
        from width in Tenths(widthLow, widthHigh)
        select (min, min + width);

    private static Gen<ParameterExpression> Expression =>
        Gen.OneOf(
            Range(-1000, 1000, 1, 2000).Select(r => (ParameterExpression)new UniformExpression(r.Min, r.Max)),
            Range(-1000, 1000, 1, 2000).Zip(Q).Select(t => (ParameterExpression)new QUniformExpression(t.Item1.Min, t.Item1.Max, t.Item2)),
            Range(-200, 50, 0, 100).Select(r => (ParameterExpression)new LogUniformExpression(r.Min, r.Max)),
            Range(-200, 50, 0, 100).Zip(Q).Select(t => (ParameterExpression)new QLogUniformExpression(t.Item1.Min, t.Item1.Max, t.Item2)),
            Tenths(-1000, 1000).Zip(Tenths(0, 500)).Select(t => (ParameterExpression)new NormalExpression(t.Item1, t.Item2)),
            from mu in Tenths(-1000, 1000) from sigma in Tenths(0, 500) from q in Q select (ParameterExpression)new QNormalExpression(mu, sigma, q),
            Tenths(-50, 50).Zip(Tenths(0, 30)).Select(t => (ParameterExpression)new LogNormalExpression(t.Item1, t.Item2)),
            from mu in Tenths(-50, 50) from sigma in Tenths(0, 30) from q in Q select (ParameterExpression)new QLogNormalExpression(mu, sigma, q),
            Gen.Choose(1, 100_000).Select(u => (ParameterExpression)new RandIntExpression(u)),
            Gen.Choose(1, 8).Select(n => (ParameterExpression)ChoiceExpression.Of(
                [.. Enumerable.Range(0, n).Select(i => i % 3 == 0 ? ParameterValue.Of(i) : i % 3 == 1 ? ParameterValue.Of(i + 0.5) : ParameterValue.Of("v" + i))])));

    public static Arbitrary<ExpressionCase> Expressions() =>
        Expression.Zip(Gen.Elements(Math.E, 2.0, 10.0)).Select(t => new ExpressionCase(t.Item1, new SamplingOptions(t.Item2))).ToArbitrary();

    public static Arbitrary<UnitDraw> Units() =>
        Gen.Frequency(
            (1, Gen.Constant(0.0)),
            (1, Gen.Constant(1 - 1.0 / (1L << 53))),
            (1, Gen.Choose(1, 1000).Select(i => 1 - i / (double)(1L << 53))),
            (6, Gen.Choose(0, int.MaxValue).Select(i => i / 2147483648.0)))
        .Select(u => new UnitDraw(u)).ToArbitrary();
}

[Properties(Arbitrary = [typeof(ExpressionArbitraries)], MaxTest = 500)]
public sealed class ExpressionPropertyTests
{
    [Property]
    public bool Every_expression_should_draw_inside_its_support_when_given_any_unit_draw(ExpressionCase c, UnitDraw u) =>
        c.Expression.Contains(c.Expression.FromUnit(u.Value, c.Options), c.Options);

    [Property]
    public bool Quantized_expressions_should_draw_integer_multiples_of_q_when_given_any_unit_draw(ExpressionCase c, UnitDraw u)
    {
        var value = c.Expression.FromUnit(u.Value, c.Options);
        return c.Expression switch
        {
            QUniformExpression e => value is IntegerValue { Value: var v } && v % (long)e.Q == 0,
            QLogUniformExpression e => value is IntegerValue { Value: var v } && v % (long)e.Q == 0 && v >= 0,
            QNormalExpression e => value is IntegerValue { Value: var v } && v % (long)e.Q == 0,
            QLogNormalExpression e => value is IntegerValue { Value: var v } && v % (long)e.Q == 0 && v >= 0,
            RandIntExpression => value is IntegerValue,
            _ => value is not IntegerValue || c.Expression is ChoiceExpression,
        };
    }

    [Property]
    public bool Quantized_draw_should_be_the_python_rounding_of_the_continuous_draw_when_unclipped(ExpressionCase c, UnitDraw u)
    {
        // round(x / q) * q with ties to even, where x is the matching continuous expression's draw.
        (ParameterExpression Continuous, double Q)? pair = c.Expression switch
        {
            QUniformExpression e => (new UniformExpression(e.Min, e.Max), e.Q),
            QLogUniformExpression e => (new LogUniformExpression(e.Min, e.Max), e.Q),
            QNormalExpression e => (new NormalExpression(e.Mu, e.Sigma), e.Q),
            QLogNormalExpression e => (new LogNormalExpression(e.Mu, e.Sigma), e.Q),
            _ => null,
        };
        if (pair is not { } p)
        {
            return true;
        }

        var x = ((RealValue)p.Continuous.FromUnit(u.Value, c.Options)).Value;
        return c.Expression.FromUnit(u.Value, c.Options) == new IntegerValue((long)(Math.Round(x / p.Q, MidpointRounding.ToEven) * p.Q));
    }

    [Property(MaxTest = 200)]
    public bool Random_sampler_should_draw_inside_the_space_when_the_space_has_several_expressions(ExpressionCase a, ExpressionCase b, int seed)
    {
        var space = SearchSpace.Of(("a", a.Expression), ("b", b.Expression));
        var sampler = new RandomSampler(space, seed, a.Options);
        var history = Core.History.SweepHistory.Empty(new Core.History.Objective("m", Core.History.Goal.Minimize));
        for (var i = 0; i < 5; i++)
        {
            var proposal = sampler.Propose(history)!;
            if (!space.Contains(proposal, a.Options))
            {
                return false;
            }

            history = history.Propose(proposal);
        }

        return true;
    }
}
