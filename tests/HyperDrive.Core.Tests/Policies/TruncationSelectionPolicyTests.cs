using HyperDrive.Core.History;
using HyperDrive.Core.Policies;

namespace HyperDrive.Core.Tests.Policies;

public class TruncationSelectionPolicyTests
{
    // Five trials at interval 1 with values 0.1..0.5; the evaluated trial has the given value (rank from the top).
    [Theory]
    [InlineData(20, 0.1, true)] // floor(20% × 5) = 1 trial cut: the worst
    [InlineData(20, 0.2, false)]
    [InlineData(40, 0.2, true)] // 2 cut
    [InlineData(40, 0.3, false)]
    [InlineData(19, 0.1, false)] // 0.95 → nothing cut
    [InlineData(99, 0.4, true)] // 4.95 → 4 cut
    [InlineData(99, 0.5, false)] // the best is never cut
    public void Evaluate_should_cut_the_lowest_percentage_rounded_down(int percentage, double evaluated, bool stop)
    {
        double[] others = [0.1, 0.2, 0.3, 0.4, 0.5];
        var series = others.Where(v => v != evaluated).Select(v => new[] { v }).Append([evaluated]).ToArray();
        var history = TestHistories.Running(Goal.Maximize, series);

        Assert.Equal(stop, new TruncationSelectionPolicy(percentage).Evaluate(history, 5, 1).Stop);
    }

    [Theory]
    [InlineData(25, new[] { 0.9, 0.8, 0.7 }, 0.1, true)] // 4 trials, 25% → 1 cut
    [InlineData(24, new[] { 0.9, 0.8, 0.7 }, 0.1, false)]
    [InlineData(99, new double[0], 0.1, false)] // one trial: nothing to cut
    [InlineData(50, new[] { 0.5, 0.5, 0.5 }, 0.5, false)] // ties share the best rank
    public void Evaluate_should_cut_by_count_when_trials_differ(int percentage, double[] others, double evaluated, bool stop)
    {
        var history = TestHistories.Running(Goal.Maximize, others.Select(v => new[] { v }).Append([evaluated]).ToArray());

        Assert.Equal(stop, new TruncationSelectionPolicy(percentage).Evaluate(history, history.Count, 1).Stop);
    }

    [Theory]
    [InlineData(false, false)] // ranked with the finished trials: 2nd of 5, not in the lowest 50%
    [InlineData(true, true)] // ranked with the running trial only: 2nd of 2, the lowest 50%
    public void Evaluate_should_leave_finished_trials_out_when_exclude_finished_jobs_is_set(bool exclude, bool stop)
    {
        var history = TestHistories.Build(
            Goal.Maximize,
            (TrialStatus.Completed, [0.1]),
            (TrialStatus.Failed, [0.2]),
            (TrialStatus.Canceled, [0.3]),
            (TrialStatus.Running, [0.6]),
            (TrialStatus.Running, [0.5]));

        Assert.Equal(stop, new TruncationSelectionPolicy(50, exclude).Evaluate(history, 5, 1).Stop);
    }

    [Fact]
    public void Evaluate_should_truncate_trials_that_went_further_to_their_value_at_the_interval()
    {
        // At interval 2: others 0.4 (its later 0.99 does not count) and 0.6; 0.5 is 2nd of 3, not in the lowest 34%.
        // At interval 3 the 0.99 counts and 0.5 is 3rd of 3.
        var history = TestHistories.Running(Goal.Maximize, [0.4, 0.4, 0.99], [0.6, 0.6, 0.6], [0.45, 0.5]);

        Assert.False(new TruncationSelectionPolicy(34).Evaluate(history, 3, 2).Stop);
        Assert.True(new TruncationSelectionPolicy(34).Evaluate(history.Report(3, new MetricPoint(3, 0.5)), 3, 3).Stop);
    }

    [Fact]
    public void Evaluate_should_rank_by_the_value_at_the_interval_not_the_best_so_far()
    {
        var history = TestHistories.Running(Goal.Maximize, [0.5, 0.5], [0.6, 0.6], [0.9, 0.3]);

        Assert.True(new TruncationSelectionPolicy(34).Evaluate(history, 3, 2).Stop);
    }

    [Fact]
    public void Evaluate_should_leave_out_trials_that_have_not_reached_the_interval()
    {
        // At interval 2 only [0.5, 0.5] and the evaluated trial take part: 2 trials, 40% → nothing cut.
        var history = TestHistories.Running(Goal.Maximize, [0.5, 0.5], [0.9], [0.9], [0.9], [0.4, 0.3]);

        Assert.False(new TruncationSelectionPolicy(40).Evaluate(history, 5, 2).Stop);
        Assert.True(new TruncationSelectionPolicy(40).Evaluate(history, 5, 1).Stop);
    }

    [Theory]
    [InlineData(3.0, true)]
    [InlineData(0.5, false)]
    public void Evaluate_should_rank_high_losses_lowest_when_minimizing(double evaluated, bool stop)
    {
        var history = TestHistories.Running(Goal.Minimize, [1.0], [2.0], [evaluated]);

        Assert.Equal(stop, new TruncationSelectionPolicy(34).Evaluate(history, 3, 1).Stop);
    }

    [Fact]
    public void Evaluate_should_not_stop_at_intervals_off_the_schedule()
    {
        var history = TestHistories.Running(Goal.Maximize, [0.9, 0.9, 0.9, 0.9], [0.1, 0.1, 0.1, 0.1]);
        var policy = new TruncationSelectionPolicy(50, schedule: new EvaluationSchedule(2, 0));

        Assert.Equal([2, 4], Enumerable.Range(1, 4).Where(k => policy.Evaluate(history, 2, k).Stop));
    }

    [Fact]
    public void Evaluate_should_give_a_reason_with_the_numbers_when_it_stops()
    {
        var history = TestHistories.Running(Goal.Maximize, [0.9], [0.8], [0.7], [0.6], [0.1, 0.2, 0.3, 0.4, 0.42]);
        var extended = history;
        for (var n = 1; n <= 4; n++)
        {
            for (var k = 2; k <= 5; k++)
            {
                extended = extended.Report(n, new MetricPoint(k, 0.9 - (0.1 * (n - 1))));
            }
        }

        Assert.Equal(
            "accuracy 0.42 at interval 5 is in the lowest 20% (rank 5 of 5) (truncation_selection)",
            new TruncationSelectionPolicy(20).Evaluate(extended, 5, 5).Reason);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(100)]
    public void Constructor_should_refuse_a_percentage_outside_1_to_99(int percentage)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new TruncationSelectionPolicy(percentage));

        Assert.Contains("truncation_percentage expects value to be between 1 and 99.", error.Message, StringComparison.Ordinal);
    }
}
