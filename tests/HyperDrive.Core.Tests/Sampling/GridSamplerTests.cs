using HyperDrive.Core.History;
using HyperDrive.Core.Parameters;
using HyperDrive.Core.Sampling;
using HyperDrive.Core.Spaces;
using HyperDrive.Core.Specs;

namespace HyperDrive.Core.Tests.Sampling;

public sealed class GridSamplerTests
{
    [Fact]
    public void Grid_should_walk_the_cartesian_product_with_the_first_parameter_slowest_when_proposing()
    {
        var space = SearchSpace.Of(
            ("a", ChoiceExpression.Of(ParameterValue.Of(1), ParameterValue.Of(2))),
            ("b", ChoiceExpression.Of(ParameterValue.Of("x"), ParameterValue.Of("y"), ParameterValue.Of("z"))));

        var proposals = SamplerTestKit.Run(new GridSampler(space), 100).Proposals
            .Select(p => $"{p.Find("a")}{p.Find("b")}").ToList();

        Assert.Equal(["1x", "1y", "1z", "2x", "2y", "2z"], proposals);
    }

    [Fact]
    public void Grid_should_return_null_when_every_point_was_proposed()
    {
        var sampler = new GridSampler(SamplerTestKit.ChoiceOnly);
        var (proposals, history) = SamplerTestKit.Run(sampler, 1000);

        Assert.Equal(12, sampler.Size);
        Assert.Equal(12, proposals.Count);
        Assert.Equal(12, proposals.Select(p => p.ToJson()).Distinct().Count());
        Assert.Null(sampler.Propose(history));
    }

    [Fact]
    public void Grid_should_expand_each_branch_of_a_nested_choice_when_the_branches_have_choices()
    {
        var sampler = new GridSampler(SamplerTestKit.NestedChoice);
        var proposals = SamplerTestKit.Run(sampler, 1000).Proposals.Select(p => p.ToJson()).ToList();

        // model: yolo × 2 lr + rcnn × 3 optimizers + "none" = 6 options; batch: 2.
        Assert.Equal(12, proposals.Count);
        Assert.Equal(12, proposals.Distinct().Count());
        Assert.Equal("""{"model":{"name":"yolo","lr":0.1},"batch":16}""", proposals[0]);
        Assert.Equal("""{"model":{"name":"yolo","lr":0.1},"batch":32}""", proposals[1]);
        Assert.Equal("""{"model":{"name":"yolo","lr":0.01},"batch":16}""", proposals[2]);
        Assert.Equal("""{"model":{"name":"rcnn","optimizer":"sgd"},"batch":16}""", proposals[4]);
        Assert.Equal("""{"model":"none","batch":32}""", proposals[11]);
    }

    [Fact]
    public void Grid_should_take_the_point_from_the_history_count_when_trials_failed_or_still_run()
    {
        var sampler = new GridSampler(SamplerTestKit.ChoiceOnly);
        var history = SweepHistory.Empty(SamplerTestKit.Objective)
            .Propose(sampler.PointAt(0)!).Propose(sampler.PointAt(1)!).Finish(1, TrialStatus.Failed);

        Assert.Equal(sampler.PointAt(2), sampler.Propose(history));
    }

    [Fact]
    public void Grid_should_refuse_with_azures_message_and_each_parameter_path_when_a_parameter_is_not_a_choice()
    {
        var space = SearchSpace.Of(
            ("lr", new UniformExpression(0, 1)),
            ("batch", ChoiceExpression.Of(ParameterValue.Of(16))),
            ("model", new ChoiceExpression([ChoiceOption.Of(SearchSpace.Of(("depth", new RandIntExpression(5))))])));

        var error = Assert.Throws<SpecException>(() => new GridSampler(space));

        Assert.Equal(["search_space.lr", "search_space.model.values[0].depth"], error.Diagnostics.Select(d => d.Path));
        Assert.All(error.Diagnostics, d => Assert.StartsWith(
            "This sampling method expects only the following distributions: [choice]", d.Message));
        Assert.Contains("uniform", error.Diagnostics[0].Message);
    }

    [Fact]
    public void Grid_should_refuse_an_empty_choice_with_azures_message()
    {
        var error = Assert.Throws<SpecException>(() => new GridSampler(SearchSpace.Of(("a", new ChoiceExpression([])))));

        var diagnostic = Assert.Single(error.Diagnostics);
        Assert.Equal("search_space.a", diagnostic.Path);
        Assert.Equal("Please specify an input for choice.", diagnostic.Message);
    }
}
