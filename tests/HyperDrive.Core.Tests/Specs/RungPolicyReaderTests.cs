using HyperDrive.Core.Policies;
using HyperDrive.Core.Specs;

namespace HyperDrive.Core.Tests.Specs;

/// <summary>The asha/hyperband options as sweep files write them, WMLA's names included, through the reader and the registry.</summary>
public class RungPolicyReaderTests
{
    private const string Minimal = """
        trial:
          command: python train.py --lr ${{search_space.lr}}
        search_space:
          lr: { type: uniform, min_value: 0.1, max_value: 0.5 }
        objective: { primary_metric: accuracy, goal: maximize }

        """;

    [Fact]
    public void Reader_should_read_wmla_hyperband_sampling_as_random_with_a_hyperband_policy()
    {
        var spec = Read(Minimal + """
            sampling_algorithm:
              type: hyperband
              ResourceName: epochs
              ResourceValue: "27"
              eta: "3"
              RandomSeed: 2

            """);

        Assert.Equal("random", spec.Sampling.Type);
        Assert.Equal(2, spec.Sampling.Seed);
        Assert.Equal(27, spec.EarlyTermination!.MaxResource);
        Assert.Equal(3, spec.EarlyTermination.ReductionFactor);
        Assert.Equal("epochs", spec.EarlyTermination.ResourceName);
        var hyperband = Assert.IsType<HyperbandPolicy>(PolicyRegistry.Create(spec));
        Assert.Equal(3, hyperband.MaxBracket);
    }

    [Fact]
    public void Reader_should_resolve_asha_aliases_onto_the_typed_fields()
    {
        var spec = Read(Minimal + "early_termination: { type: asha, grace_period: 2, max_t: 50, eta: 3 }\n");

        Assert.Equal(2, spec.EarlyTermination!.MinResource);
        Assert.Equal(50, spec.EarlyTermination.MaxResource);
        Assert.Equal(3, spec.EarlyTermination.ReductionFactor);
        Assert.Equal([2, 6, 18], Assert.IsType<AshaPolicy>(PolicyRegistry.Create(spec)).Rungs);
    }

    [Theory]
    [InlineData("{ type: hyperband, ResourceName: batch_size, ResourceValue: 81 }", "early_termination.ResourceName", "'batch_size'")]
    [InlineData("{ type: asha, reduction_factor: 0.5 }", "early_termination.reduction_factor", "got 0.5")]
    [InlineData("{ type: asha, ResourceValue: many }", "early_termination.ResourceValue", "got many")]
    [InlineData("{ type: asha, min_resource: 9, max_resource: 3 }", "early_termination.min_resource", "no greater than max_resource (3)")]
    public void Reader_should_name_the_field_and_value_of_an_invalid_option(string policy, string path, string expected)
    {
        var result = SweepSpecReader.ReadText(Minimal + "early_termination: " + policy + "\n", AppContext.BaseDirectory, "inline");

        var error = Assert.Single(result.Errors);
        Assert.Equal(path, error.Path);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    private static SweepSpec Read(string text)
    {
        var result = SweepSpecReader.ReadText(text, AppContext.BaseDirectory, "inline");
        Assert.True(result.Succeeded, string.Join(Environment.NewLine, result.Errors));
        return result.Spec!;
    }
}
