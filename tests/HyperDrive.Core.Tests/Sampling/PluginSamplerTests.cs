using HyperDrive.Core.History;
using HyperDrive.Core.Parameters;
using HyperDrive.Core.Sampling;
using HyperDrive.Core.Specs;

namespace HyperDrive.Core.Tests.Sampling;

public sealed class PluginSamplerTests
{
    private static SweepSpec Read(string sampling)
    {
        var result = SweepSpecReader.ReadText($$"""
            trial: { command: python3 train.py }
            sampling_algorithm: {{sampling}}
            search_space:
              lr: { type: uniform, min_value: 0, max_value: 1 }
            objective: { primary_metric: accuracy, goal: maximize }
            """);
        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        return result.Spec!;
    }

    [Fact]
    public void Registry_should_build_a_plugin_sampler_with_the_options_of_the_sweep_file()
    {
        var spec = Read("""{ type: plugin, command: "python3 my_sampler.py --fast", code: samplers, timeout: 2.5, environment_variables: { OMP_NUM_THREADS: 1 }, options: { name: gp } }""");

        var sampler = Assert.IsType<PluginSampler>(SamplerRegistry.Create(spec, 9));

        Assert.Equal("plugin", sampler.Name);
        Assert.Equal(9, sampler.Seed);
        Assert.Equal("python3 my_sampler.py --fast", sampler.Plugin.Command);
        Assert.Equal("samplers", sampler.Plugin.Code);
        Assert.Equal(2.5, sampler.Plugin.TimeoutSeconds);
        Assert.Equal("1", sampler.Plugin.EnvironmentVariables["OMP_NUM_THREADS"]);
        Assert.Equal(new TextValue("gp"), sampler.Plugin.Options["name"]);
        Assert.Same(spec.SearchSpace, sampler.Space);
    }

    [Fact]
    public void Plugin_timeout_should_default_to_sixty_seconds()
    {
        var sampler = Assert.IsType<PluginSampler>(SamplerRegistry.Create(Read("{ type: plugin, command: ./s }")));

        Assert.Equal(60, sampler.Plugin.TimeoutSeconds);
        Assert.Null(sampler.Plugin.Code);
        Assert.Empty(sampler.Plugin.Options.Entries);
    }

    [Theory]
    [InlineData("{ type: plugin, command: ./s, timeout: 0 }", "sampling_algorithm.timeout", "timeout expects a positive number of seconds, got 0")]
    [InlineData("{ type: plugin, command: ./s, timeout: soon }", "sampling_algorithm.timeout", "timeout expects a number, got soon")]
    [InlineData("{ type: plugin, command: ./s, options: [1, 2] }", "sampling_algorithm.options", "options expects a mapping")]
    [InlineData("{ type: plugin, command: ./s, environment_variables: [A] }", "sampling_algorithm.environment_variables", "environment_variables expects a mapping")]
    public void Plugin_options_should_be_refused_with_the_field_and_the_value(string sampling, string path, string message)
    {
        var error = Assert.Throws<SpecException>(() => SamplerRegistry.Create(Read(sampling)));

        var diagnostic = Assert.Single(error.Diagnostics);
        Assert.Equal(path, diagnostic.Path);
        Assert.Contains(message, diagnostic.Message);
    }

    [Fact]
    public void Plugin_sampler_should_refuse_to_propose_in_process()
    {
        var sampler = SamplerRegistry.Create(Read("{ type: plugin, command: ./s }"));

        var error = Assert.Throws<InvalidOperationException>(() => sampler.Propose(SweepHistory.Empty(new Objective("accuracy", Goal.Maximize))));

        Assert.Contains("runs as a process (./s)", error.Message);
    }
}
