using HyperDrive.Core.History;
using HyperDrive.Core.Parameters;
using HyperDrive.Core.Policies;
using HyperDrive.Core.Spaces;
using HyperDrive.Core.Specs;

namespace HyperDrive.Core.Tests.Policies;

public class PolicyRegistryTests
{
    [Fact]
    public void Create_should_return_null_when_the_spec_has_no_policy()
    {
        Assert.Null(PolicyRegistry.Create(Spec(null)));
    }

    [Theory]
    [InlineData("none")]
    [InlineData("default")]
    [InlineData("Default")]
    public void Create_should_return_null_when_the_policy_is_none(string type)
    {
        Assert.Null(PolicyRegistry.Create(Spec(new TerminationSpec { Type = type })));
    }

    [Fact]
    public void Create_should_build_a_bandit_with_its_schedule_when_the_file_asks_for_one()
    {
        var termination = new TerminationSpec { Type = "bandit", SlackFactor = 0.1, EvaluationInterval = 2, DelayEvaluation = 5 };

        var bandit = Assert.IsType<BanditPolicy>(PolicyRegistry.Create(Spec(termination)));

        Assert.Equal("bandit", bandit.Name);
        Assert.Equal(0.1, bandit.SlackFactor);
        Assert.Null(bandit.SlackAmount);
        Assert.Equal(new EvaluationSchedule(2, 5), bandit.Schedule);
    }

    [Theory]
    [InlineData(0.2, null, 0.2, null)]
    [InlineData(null, 0.3, null, 0.3)]
    [InlineData(0.2, 0.3, 0.2, null)] // both set: slack_factor wins (the reader warns)
    [InlineData(0.0, 0.3, null, 0.3)] // Azure's check is truthiness-based: 0 counts as unset
    public void Create_should_pick_the_bandit_slack_when_one_is_set(double? factor, double? amount, double? expectedFactor, double? expectedAmount)
    {
        var termination = new TerminationSpec { Type = "bandit", SlackFactor = factor, SlackAmount = amount };

        var bandit = Assert.IsType<BanditPolicy>(PolicyRegistry.Create(Spec(termination)));

        Assert.Equal(expectedFactor, bandit.SlackFactor);
        Assert.Equal(expectedAmount, bandit.SlackAmount);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData(0.0, 0.0)]
    public void Create_should_refuse_a_bandit_without_slack(double? factor, double? amount)
    {
        var error = Refused(new TerminationSpec { Type = "bandit", SlackFactor = factor, SlackAmount = amount });

        Assert.Equal("early_termination.slack_factor", error.Path);
        Assert.Equal("Bandit termination policy expects exactly one of slack factor or slack amount to be set.", error.Message);
    }

    [Theory]
    [InlineData(-0.1, null, "early_termination.slack_factor")]
    [InlineData(null, -0.2, "early_termination.slack_amount")]
    [InlineData(double.NaN, null, "early_termination.slack_factor")]
    public void Create_should_refuse_a_negative_or_invalid_slack(double? factor, double? amount, string path)
    {
        Assert.Equal(path, Refused(new TerminationSpec { Type = "bandit", SlackFactor = factor, SlackAmount = amount }).Path);
    }

    [Theory]
    [InlineData("median_stopping")]
    [InlineData("MedianStopping")]
    public void Create_should_build_median_stopping_when_named_either_way(string type)
    {
        var policy = PolicyRegistry.Create(Spec(new TerminationSpec { Type = type, DelayEvaluation = 5 }));

        Assert.Equal(5, Assert.IsType<MedianStoppingPolicy>(policy).Schedule.DelayEvaluation);
    }

    [Fact]
    public void Create_should_build_truncation_selection_with_its_options()
    {
        var termination = new TerminationSpec { Type = "truncation_selection", TruncationPercentage = 20, ExcludeFinishedJobs = true };

        var policy = Assert.IsType<TruncationSelectionPolicy>(PolicyRegistry.Create(Spec(termination)));

        Assert.Equal(20, policy.TruncationPercentage);
        Assert.True(policy.ExcludeFinishedJobs);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(0)]
    [InlineData(100)]
    public void Create_should_refuse_a_truncation_percentage_outside_1_to_99(int? percentage)
    {
        var error = Refused(new TerminationSpec { Type = "truncation_selection", TruncationPercentage = percentage });

        Assert.Equal("early_termination.truncation_percentage", error.Path);
        Assert.StartsWith("truncation_percentage expects value to be between 1 and 99.", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1, 0, "early_termination.evaluation_interval")]
    [InlineData(1, -1, "early_termination.delay_evaluation")]
    public void Create_should_refuse_a_negative_schedule(int evaluationInterval, int delay, string path)
    {
        var termination = new TerminationSpec { Type = "median_stopping", EvaluationInterval = evaluationInterval, DelayEvaluation = delay };

        Assert.Equal(path, Refused(termination).Path);
    }

    [Fact]
    public void Create_should_read_evaluation_interval_zero_as_one()
    {
        var policy = PolicyRegistry.Create(Spec(new TerminationSpec { Type = "median_stopping", EvaluationInterval = 0 }));

        Assert.Equal(1, Assert.IsType<MedianStoppingPolicy>(policy).Schedule.EvaluationInterval);
    }

    [Fact]
    public void Create_should_build_asha_with_ray_and_optuna_defaults()
    {
        var asha = Assert.IsType<AshaPolicy>(PolicyRegistry.Create(Spec(new TerminationSpec { Type = "asha" })));

        Assert.Equal(4, asha.ReductionFactor);
        Assert.Equal(1, asha.MinResource);
        Assert.Null(asha.MaxResource);
        Assert.Equal([1, 4, 16, 64], asha.Rungs.Take(4));
    }

    [Fact]
    public void Create_should_read_asha_aliases_from_the_options()
    {
        var termination = new TerminationSpec { Type = "asha", Options = Options(("grace_period", new IntegerValue(2)), ("eta", new IntegerValue(3)), ("max_t", new IntegerValue(54))) };

        var asha = Assert.IsType<AshaPolicy>(PolicyRegistry.Create(Spec(termination)));

        Assert.Equal([2, 6, 18], asha.Rungs);
    }

    [Fact]
    public void Create_should_read_wmla_hyperband_names_with_string_values()
    {
        var termination = new TerminationSpec
        {
            Type = "hyperband",
            Options = Options(("ResourceName", new TextValue("epochs")), ("ResourceValue", new TextValue("81")), ("eta", new TextValue("3"))),
        };

        var hyperband = Assert.IsType<HyperbandPolicy>(PolicyRegistry.Create(Spec(termination)));

        Assert.Equal(81, hyperband.MaxResource);
        Assert.Equal(3, hyperband.ReductionFactor);
        Assert.Equal(4, hyperband.MaxBracket);
    }

    [Fact]
    public void Create_should_prefer_the_typed_fields_and_keep_the_most_aggressive_brackets()
    {
        var termination = new TerminationSpec { Type = "hyperband", MaxResource = 27, ReductionFactor = 3, Brackets = 2 };

        var hyperband = Assert.IsType<HyperbandPolicy>(PolicyRegistry.Create(Spec(termination)));

        Assert.Equal([3, 2], hyperband.BracketWeights.Select(b => b.Bracket));
    }

    [Theory]
    [InlineData("hyperband", "ResourceName", "batch_size", "early_termination.ResourceName", "'batch_size'")]
    [InlineData("asha", "eta", "1", "early_termination.eta", "got 1")]
    [InlineData("asha", "min_resource", "-2", "early_termination.min_resource", "got -2")]
    [InlineData("hyperband", "brackets", "9", "early_termination.brackets", "got 9")]
    [InlineData("asha", "brackets", "3", "early_termination.brackets", "got brackets 3")]
    [InlineData("hyperband", "reduction_factor", "1.01", "early_termination.reduction_factor", "reduction_factor 1.01 gives more than 32 brackets")]
    public void Create_should_name_the_field_and_value_of_an_invalid_resource_option(string type, string key, string value, string path, string expected)
    {
        var options = type == "hyperband" && key != "max_resource"
            ? Options(("max_resource", new IntegerValue(81)), (key, new TextValue(value)))
            : Options((key, new TextValue(value)));

        var error = Refused(new TerminationSpec { Type = type, Options = options });

        Assert.Equal(path, error.Path);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_should_require_max_resource_for_hyperband()
    {
        var error = Refused(new TerminationSpec { Type = "hyperband", ReductionFactor = 3 });

        Assert.Equal("early_termination.max_resource", error.Path);
        Assert.Contains("ResourceValue", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_should_refuse_two_names_for_one_option()
    {
        var error = Refused(new TerminationSpec { Type = "asha", Options = Options(("max_resource", new IntegerValue(27)), ("max_t", new IntegerValue(81))) });

        Assert.Equal("early_termination.max_t", error.Path);
        Assert.Equal("max_t and max_resource are the same option; give one", error.Message);
    }

    [Theory]
    [InlineData(2, 0, "early_termination.evaluation_interval")]
    [InlineData(1, 5, "early_termination.delay_evaluation")]
    public void Create_should_refuse_an_evaluation_schedule_for_rung_policies(int evaluationInterval, int delay, string path)
    {
        var error = Refused(new TerminationSpec { Type = "asha", EvaluationInterval = evaluationInterval, DelayEvaluation = delay });

        Assert.Equal(path, error.Path);
    }

    [Fact]
    public void Create_should_list_the_valid_names_when_the_policy_is_unknown()
    {
        var error = Refused(new TerminationSpec { Type = "percentile" });

        Assert.Equal("early_termination.type", error.Path);
        Assert.Contains("'percentile'", error.Message, StringComparison.Ordinal);
        foreach (var name in new[] { "bandit", "median_stopping", "truncation_selection", "none" })
        {
            Assert.Contains(name, error.Message, StringComparison.Ordinal);
        }
    }

    private static MapValue Options(params (string Key, ParameterValue Value)[] entries) =>
        new([.. entries.Select(e => KeyValuePair.Create(e.Key, e.Value))]);

    private static SpecDiagnostic Refused(TerminationSpec termination) =>
        Assert.Single(Assert.Throws<SpecException>(() => PolicyRegistry.Create(Spec(termination))).Diagnostics);

    private static SweepSpec Spec(TerminationSpec? termination) => new()
    {
        Trial = new TrialSpec { Builtin = "fictitious" },
        Sampling = new SamplingSpec(),
        SearchSpace = SearchSpace.Of(),
        Objective = new Objective("accuracy", Goal.Maximize),
        EarlyTermination = termination,
    };
}
