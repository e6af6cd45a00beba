using HyperDrive.Core.Parameters;
using HyperDrive.Core.Sampling;
using HyperDrive.Core.Spaces;
using HyperDrive.Core.Specs;

namespace HyperDrive.Core.Tests.Sampling;

public sealed class SamplerRegistryTests
{
    private static SweepSpec Spec(SamplingSpec sampling, SearchSpace? space = null) =>
        SamplerTestKit.Spec(sampling, space ?? SamplerTestKit.AllTen);

    [Theory]
    [InlineData("random", "random", typeof(RandomSampler))]
    [InlineData("random", "sobol", typeof(SobolSampler))]
    [InlineData("sobol", "random", typeof(SobolSampler))]
    [InlineData("RANDOM", "Sobol", typeof(SobolSampler))]
    public void Create_should_build_the_named_sampler_when_it_is_built(string type, string rule, Type expected)
    {
        Assert.IsType(expected, SamplerRegistry.Create(Spec(new SamplingSpec { Type = type, Rule = rule })));
    }

    [Fact]
    public void Create_should_build_a_grid_when_every_parameter_is_a_choice()
    {
        Assert.IsType<GridSampler>(SamplerRegistry.Create(Spec(new SamplingSpec { Type = "grid" }, SamplerTestKit.ChoiceOnly)));
    }

    [Theory]
    [InlineData("hyperband")]
    public void Create_should_refuse_and_say_so_when_the_sampler_is_known_but_not_built(string type)
    {
        var error = Assert.Throws<SpecException>(() => SamplerRegistry.Create(Spec(new SamplingSpec { Type = type })));

        var diagnostic = Assert.Single(error.Diagnostics);
        Assert.Equal("sampling_algorithm.type", diagnostic.Path);
        Assert.Equal($"sampler '{type}' is known but not built yet in this version; use random, grid, sobol, bayesian, tpe, cmaes or plugin", diagnostic.Message);
    }

    [Fact]
    public void Create_should_list_the_valid_names_when_the_sampler_is_unknown()
    {
        var error = Assert.Throws<SpecException>(() => SamplerRegistry.Create(Spec(new SamplingSpec { Type = "annealing" })));

        var diagnostic = Assert.Single(error.Diagnostics);
        Assert.Equal("sampling_algorithm.type", diagnostic.Path);
        Assert.Contains("'annealing'", diagnostic.Message);
        foreach (var name in new[] { "random", "grid", "sobol", "bayesian", "tpe", "cmaes", "plugin", "hyperband" })
        {
            Assert.Contains(name, diagnostic.Message);
        }
    }

    [Fact]
    public void Create_should_refuse_an_unknown_rule_when_sampling_is_random()
    {
        var error = Assert.Throws<SpecException>(() => SamplerRegistry.Create(Spec(new SamplingSpec { Rule = "halton" })));

        Assert.Equal("sampling_algorithm.rule", Assert.Single(error.Diagnostics).Path);
    }

    [Fact]
    public void Create_should_pass_seed_rule_scramble_and_logbase_to_the_sampler_when_given()
    {
        var sampling = new SamplingSpec
        {
            Type = "random",
            Rule = "sobol",
            Seed = 17,
            LogBase = 10,
            Options = SamplerTestKit.Map(("scramble", ParameterValue.Of(false))),
        };

        var sampler = Assert.IsType<SobolSampler>(SamplerRegistry.Create(Spec(sampling)));

        Assert.Equal(17, sampler.Seed);
        Assert.False(sampler.Scramble);
        Assert.Equal(10, sampler.Options.LogBase);
    }

    [Fact]
    public void Create_should_scramble_sobol_and_use_seed_0_when_the_spec_names_neither()
    {
        var sampler = Assert.IsType<SobolSampler>(SamplerRegistry.Create(Spec(new SamplingSpec { Type = "sobol" })));

        Assert.True(sampler.Scramble);
        Assert.Equal(0, sampler.Seed);
        Assert.Equal(33, Assert.IsType<RandomSampler>(SamplerRegistry.Create(Spec(new SamplingSpec()), 33)).Seed);
    }

    [Fact]
    public void Create_should_refuse_a_scramble_option_that_is_not_a_boolean()
    {
        var sampling = new SamplingSpec { Type = "sobol", Options = SamplerTestKit.Map(("scramble", ParameterValue.Of(3))) };

        var error = Assert.Throws<SpecException>(() => SamplerRegistry.Create(Spec(sampling)));

        Assert.Equal("sampling_algorithm.scramble", Assert.Single(error.Diagnostics).Path);
    }

    [Fact]
    public void Create_should_refuse_sobol_naming_the_count_and_the_limit_when_the_space_has_too_many_dimensions()
    {
        var space = new SearchSpace([.. Enumerable.Range(0, 65).Select(i => new SearchParameter($"p{i}", new UniformExpression(0, 1)))]);

        var error = Assert.Throws<SpecException>(() => SamplerRegistry.Create(Spec(new SamplingSpec { Type = "sobol" }, space)));

        var diagnostic = Assert.Single(error.Diagnostics);
        Assert.Equal("search_space", diagnostic.Path);
        Assert.Contains("at most 64", diagnostic.Message);
        Assert.Contains("has 65", diagnostic.Message);
    }
}
