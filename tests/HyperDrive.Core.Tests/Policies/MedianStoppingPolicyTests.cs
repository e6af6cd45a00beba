using HyperDrive.Core.History;
using HyperDrive.Core.Policies;

namespace HyperDrive.Core.Tests.Policies;

public class MedianStoppingPolicyTests
{
    private static readonly MedianStoppingPolicy Policy = new();

    // Others' running averages at interval 3: [0.6,0.6,0.6] → 0.6, [0.5,0.7,0.9] → 0.7, [0.2,0.3,0.4] → 0.3; median 0.6.
    [Theory]
    [InlineData(new[] { 0.55, 0.58, 0.59 }, true)]
    [InlineData(new[] { 0.40, 0.61, 0.50 }, false)] // best so far 0.61 is above the median although the latest is not
    [InlineData(new[] { 0.60, 0.10, 0.10 }, false)] // equal to the median is not worse
    public void Evaluate_should_compare_best_so_far_with_the_median_when_the_count_is_odd(double[] evaluated, bool stop)
    {
        var history = TestHistories.Running(Goal.Maximize, [0.6, 0.6, 0.6], [0.5, 0.7, 0.9], [0.2, 0.3, 0.4], evaluated);

        Assert.Equal(stop, Policy.Evaluate(history, 4, 3).Stop);
    }

    // With [0.8,0.8,0.8] (average 0.8) added the averages are 0.3, 0.6, 0.7, 0.8: median (0.6 + 0.7) / 2 = 0.65.
    [Theory]
    [InlineData(new[] { 0.1, 0.2, 0.64 }, true)]
    [InlineData(new[] { 0.1, 0.2, 0.66 }, false)]
    public void Evaluate_should_take_the_mean_of_the_middle_two_when_the_count_is_even(double[] evaluated, bool stop)
    {
        var history = TestHistories.Running(
            Goal.Maximize, [0.6, 0.6, 0.6], [0.5, 0.7, 0.9], [0.2, 0.3, 0.4], [0.8, 0.8, 0.8], evaluated);

        Assert.Equal(stop, Policy.Evaluate(history, 5, 3).Stop);
    }

    [Fact]
    public void Evaluate_should_leave_the_evaluated_trial_out_of_the_median()
    {
        // Others: 0.6, 0.7, 0.8 → median 0.7 and 0.65 < 0.7. With its own average 0.3 included the median would be 0.65.
        var history = TestHistories.Running(Goal.Maximize, [0.6, 0.6, 0.6], [0.7, 0.7, 0.7], [0.8, 0.8, 0.8], [0.1, 0.15, 0.65]);

        Assert.True(Policy.Evaluate(history, 4, 3).Stop);
    }

    [Fact]
    public void Evaluate_should_average_other_trials_over_intervals_one_to_n_only()
    {
        // At interval 2 the other's running average is (0.2 + 0.4) / 2 = 0.3, not 0.65 over all it reported;
        // at interval 1 it is 0.2.
        var history = TestHistories.Running(Goal.Maximize, [0.2, 0.4, 1.0, 1.0], [0.15, 0.35]);

        Assert.False(Policy.Evaluate(history, 2, 2).Stop);
        Assert.True(Policy.Evaluate(history, 2, 1).Stop);
    }

    [Fact]
    public void Evaluate_should_leave_out_trials_that_have_not_reached_the_interval()
    {
        // The young trial's 0.99 at interval 1 takes no part at interval 2: the median is 0.3 alone.
        var history = TestHistories.Build(
            Goal.Maximize,
            (TrialStatus.Completed, [0.2, 0.4]),
            (TrialStatus.Running, [0.99]),
            (TrialStatus.Running, [0.31, 0.1]));

        Assert.False(Policy.Evaluate(history, 3, 2).Stop);
        Assert.True(Policy.Evaluate(history, 3, 1).Stop);
    }

    // Minimize: others average 1, 2 and 3 → median 2; a loss is worse when higher. Negative scores likewise.
    [Theory]
    [InlineData(1.0, 2.1, true)]
    [InlineData(1.0, 1.9, false)]
    [InlineData(-1.0, -1.9, true)]
    [InlineData(-1.0, -2.1, false)]
    public void Evaluate_should_stop_a_trial_above_the_median_when_minimizing(double scale, double evaluated, bool stop)
    {
        var history = TestHistories.Running(
            Goal.Minimize, [scale, scale], [2 * scale, 2 * scale], [3 * scale, 3 * scale], [10, evaluated]);

        Assert.Equal(stop, Policy.Evaluate(history, 4, 2).Stop);
    }

    [Fact]
    public void Evaluate_should_continue_when_no_other_trial_reported()
    {
        Assert.False(Policy.Evaluate(TestHistories.Running(Goal.Maximize, [0.1, 0.1]), 1, 2).Stop);
        Assert.False(Policy.Evaluate(TestHistories.Running(Goal.Maximize, [0.9], []), 2, 1).Stop);
    }

    [Fact]
    public void Evaluate_should_not_stop_before_the_delay()
    {
        var history = TestHistories.Running(Goal.Maximize, [0.9, 0.9, 0.9, 0.9, 0.9, 0.9], [0.1, 0.1, 0.1, 0.1, 0.1, 0.1]);
        var policy = new MedianStoppingPolicy(new EvaluationSchedule(1, 5));

        Assert.Equal([5, 6], Enumerable.Range(1, 6).Where(k => policy.Evaluate(history, 2, k).Stop));
    }

    [Fact]
    public void Evaluate_should_give_a_reason_with_the_numbers_when_it_stops()
    {
        var history = TestHistories.Running(Goal.Maximize, [0.6, 0.6, 0.6], [0.5, 0.7, 0.9], [0.2, 0.3, 0.4], [0.55, 0.58, 0.59]);

        Assert.Equal(
            "accuracy best 0.59 at interval 3 < median of running averages 0.6 over 3 trials (median_stopping)",
            Policy.Evaluate(history, 4, 3).Reason);
    }
}
