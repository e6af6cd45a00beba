using HyperDrive.Core.History;
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

    [Theory]
    [InlineData("asha")]
    [InlineData("hyperband")]
    public void Create_should_refuse_a_known_policy_that_is_not_built_yet(string type)
    {
        var error = Refused(new TerminationSpec { Type = type });

        Assert.Equal("early_termination.type", error.Path);
        Assert.Equal(
            $"policy '{type}' is known but not built yet in this version; use bandit, median_stopping or truncation_selection",
            error.Message);
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
