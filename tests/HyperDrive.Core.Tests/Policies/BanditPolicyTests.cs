using HyperDrive.Core.History;
using HyperDrive.Core.Policies;

namespace HyperDrive.Core.Tests.Policies;

public class BanditPolicyTests
{
    // goal, slack kind, slack, B (the other trial's value), Y (the evaluated trial's value), stop?
    public static TheoryData<Goal, string, double, double, double, bool> Rows => new()
    {
        // REFERENCE: B = 0.8, slack_factor 0.2 → cancel below 0.8 / 1.2 = 0.6667 (docs round it to "0.66").
        { Goal.Maximize, "factor", 0.2, 0.8, 0.66, true },
        { Goal.Maximize, "factor", 0.2, 0.8, 0.6666, true },
        { Goal.Maximize, "factor", 0.2, 0.8, 0.6667, false },
        { Goal.Maximize, "factor", 0.2, 0.8, 0.67, false },
        // REFERENCE: slack_amount 0.2 → cancel below 0.8 − 0.2 = 0.6.
        { Goal.Maximize, "amount", 0.2, 0.8, 0.59, true },
        { Goal.Maximize, "amount", 0.2, 0.8, 0.61, false },
        // REFERENCE: slack_factor 0.1 → "1/(1+0.1) or 91%" of the best.
        { Goal.Maximize, "factor", 0.1, 1.0, 0.90, true },
        { Goal.Maximize, "factor", 0.1, 1.0, 0.91, false },
        { Goal.Maximize, "factor", 0.1, 100, 90.9, true },
        { Goal.Maximize, "factor", 0.1, 100, 91, false },
        // Maximize, B < 0: threshold B·(1+s) = −1.2 (Azure's literal Y·(1+s) < B would cancel −1.1 too).
        { Goal.Maximize, "factor", 0.2, -1.0, -1.1, false },
        { Goal.Maximize, "factor", 0.2, -1.0, -1.19, false },
        { Goal.Maximize, "factor", 0.2, -1.0, -1.21, true },
        { Goal.Maximize, "amount", 0.5, -1.0, -1.4, false },
        { Goal.Maximize, "amount", 0.5, -1.0, -1.6, true },
        // Maximize, B = 0: any negative value is worse than 0 by more than any ratio.
        { Goal.Maximize, "factor", 0.2, 0.0, -0.01, true },
        // Minimize, B > 0: threshold B·(1+s) = 0.24; amount: B + a = 0.3.
        { Goal.Minimize, "factor", 0.2, 0.2, 0.25, true },
        { Goal.Minimize, "factor", 0.2, 0.2, 0.23, false },
        { Goal.Minimize, "amount", 0.1, 0.2, 0.31, true },
        { Goal.Minimize, "amount", 0.1, 0.2, 0.29, false },
        // Minimize, B < 0 (e.g. a negative score): threshold B / (1+s) = −0.8; amount: B + a = −0.5.
        { Goal.Minimize, "factor", 0.25, -1.0, -0.79, true },
        { Goal.Minimize, "factor", 0.25, -1.0, -0.81, false },
        { Goal.Minimize, "amount", 0.5, -1.0, -0.4, true },
        { Goal.Minimize, "amount", 0.5, -1.0, -0.6, false },
        // The evaluated trial is the best: never cancelled, whatever the signs.
        { Goal.Maximize, "factor", 0.2, 0.5, 0.9, false },
        { Goal.Maximize, "factor", 0.2, -0.6, -0.5, false },
        { Goal.Minimize, "factor", 0.2, -0.5, -0.6, false },
        { Goal.Minimize, "amount", 0.2, 0.5, 0.1, false },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void Evaluate_should_cancel_only_beyond_the_slack_when_compared_with_the_best_trial(
        Goal goal, string kind, double slack, double best, double y, bool stop)
    {
        var history = TestHistories.Running(goal, [best], [y]);

        Assert.Equal(stop, Policy(kind, slack).Evaluate(history, 2, 1).Stop);
    }

    // Maximizing a metric decides exactly as minimizing its negation (the rule is symmetric).
    [Theory]
    [MemberData(nameof(Rows))]
    public void Evaluate_should_decide_the_same_when_the_metric_is_negated_and_the_goal_flipped(
        Goal goal, string kind, double slack, double best, double y, bool stop)
    {
        var flipped = goal == Goal.Maximize ? Goal.Minimize : Goal.Maximize;
        var history = TestHistories.Running(flipped, [-best], [-y]);

        Assert.Equal(stop, Policy(kind, slack).Evaluate(history, 2, 1).Stop);
    }

    [Fact]
    public void Evaluate_should_compare_the_best_value_so_far_when_the_trial_dipped()
    {
        // Y = max(0.79, 0.5) = 0.79 and 0.79·1.2 = 0.948 ≥ 0.8: the dip to 0.5 does not cancel.
        var history = TestHistories.Running(Goal.Maximize, [0.5, 0.8], [0.79, 0.5]);

        Assert.False(BanditPolicy.WithSlackFactor(0.2).Evaluate(history, 2, 2).Stop);
    }

    [Fact]
    public void Evaluate_should_take_the_best_trials_best_value_up_to_the_interval()
    {
        // B = max(0.9, 0.3) = 0.9 → threshold 0.75 > 0.7.
        var history = TestHistories.Running(Goal.Maximize, [0.9, 0.3], [0.5, 0.7]);

        Assert.True(BanditPolicy.WithSlackFactor(0.2).Evaluate(history, 2, 2).Stop);
    }

    [Fact]
    public void Evaluate_should_ignore_values_the_other_trials_reported_after_the_interval()
    {
        // At interval 2 the other trial's best is 0.6 (threshold 0.5), not the 0.99 it reached at interval 3.
        var history = TestHistories.Running(Goal.Maximize, [0.5, 0.6, 0.99], [0.5, 0.55]);

        Assert.False(BanditPolicy.WithSlackFactor(0.2).Evaluate(history, 2, 2).Stop);
        Assert.True(BanditPolicy.WithSlackFactor(0.2).Evaluate(history.Report(2, new MetricPoint(3, 0.56)), 2, 3).Stop);
    }

    [Fact]
    public void Evaluate_should_continue_when_no_other_trial_reached_the_interval()
    {
        var history = TestHistories.Running(Goal.Maximize, [0.99], [0.5, 0.4]);

        Assert.False(BanditPolicy.WithSlackFactor(0.2).Evaluate(history, 2, 2).Stop);
        Assert.True(BanditPolicy.WithSlackFactor(0.2).Evaluate(history, 2, 1).Stop);
    }

    [Fact]
    public void Evaluate_should_compare_with_finished_trials_when_they_reached_the_interval()
    {
        var history = TestHistories.Build(
            Goal.Maximize, (TrialStatus.Completed, [0.5, 0.9]), (TrialStatus.Canceled, [0.1, 0.1]), (TrialStatus.Running, [0.5, 0.6]));

        Assert.True(BanditPolicy.WithSlackFactor(0.2).Evaluate(history, 3, 2).Stop);
    }

    [Fact]
    public void Evaluate_should_continue_when_the_trial_has_not_reported_yet_or_is_alone()
    {
        var policy = BanditPolicy.WithSlackAmount(0.01);

        Assert.False(policy.Evaluate(TestHistories.Running(Goal.Maximize, [0.9], []), 2, 1).Stop);
        Assert.False(policy.Evaluate(TestHistories.Running(Goal.Maximize, [0.1]), 1, 1).Stop);
    }

    [Fact]
    public void Evaluate_should_stop_only_at_scheduled_intervals_when_the_trial_is_always_behind()
    {
        var history = TestHistories.Running(Goal.Maximize, [0.9, 0.9, 0.9, 0.9, 0.9, 0.9], [0.1, 0.1, 0.1, 0.1, 0.1, 0.1]);
        var policy = BanditPolicy.WithSlackFactor(0.1, new EvaluationSchedule(2, 3));

        var stops = Enumerable.Range(1, 6).Where(k => policy.Evaluate(history, 2, k).Stop);

        Assert.Equal([4, 6], stops);
    }

    [Theory]
    [InlineData(Goal.Maximize, "factor", 0.2, 0.8, 0.66, "accuracy 0.66 at interval 1 < best 0.8 / (1 + 0.2) = 0.6667 (bandit, slack_factor 0.2; best trial 1)")]
    [InlineData(Goal.Maximize, "amount", 0.2, 0.8, 0.55, "accuracy 0.55 at interval 1 < best 0.8 - 0.2 = 0.6 (bandit, slack_amount 0.2; best trial 1)")]
    [InlineData(Goal.Maximize, "factor", 0.2, -1.0, -1.25, "accuracy -1.25 at interval 1 < best -1 * (1 + 0.2) = -1.2 (bandit, slack_factor 0.2; best trial 1)")]
    [InlineData(Goal.Minimize, "factor", 0.2, 0.2, 0.25, "loss 0.25 at interval 1 > best 0.2 * (1 + 0.2) = 0.24 (bandit, slack_factor 0.2; best trial 1)")]
    [InlineData(Goal.Minimize, "factor", 0.25, -1.0, -0.5, "loss -0.5 at interval 1 > best -1 / (1 + 0.25) = -0.8 (bandit, slack_factor 0.25; best trial 1)")]
    [InlineData(Goal.Minimize, "amount", 0.125, 2.5, 3.123456, "loss 3.123 at interval 1 > best 2.5 + 0.125 = 2.625 (bandit, slack_amount 0.125; best trial 1)")]
    public void Evaluate_should_give_a_reason_with_the_numbers_when_it_stops(
        Goal goal, string kind, double slack, double best, double y, string reason)
    {
        var history = TestHistories.Running(goal, [best], [y]);

        Assert.Equal(TerminationDecision.StopBecause(reason), Policy(kind, slack).Evaluate(history, 2, 1));
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData(0.1, 0.1)]
    public void Constructor_should_refuse_when_not_exactly_one_slack_is_set(double? factor, double? amount)
    {
        var error = Assert.Throws<ArgumentException>(() => new BanditPolicy(factor, amount));

        Assert.Equal("Bandit termination policy expects exactly one of slack factor or slack amount to be set.", error.Message);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(0.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Constructor_should_refuse_a_slack_that_is_not_positive(double slack)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => BanditPolicy.WithSlackFactor(slack));
        Assert.Throws<ArgumentOutOfRangeException>(() => BanditPolicy.WithSlackAmount(slack));
    }

    private static BanditPolicy Policy(string kind, double slack) =>
        kind == "factor" ? BanditPolicy.WithSlackFactor(slack) : BanditPolicy.WithSlackAmount(slack);
}
