using HyperDrive.Core.History;
using HyperDrive.Core.Policies;

namespace HyperDrive.Core.Tests.Policies;

public class AshaPolicyTests
{
    [Theory]
    [InlineData(1, 3, null, new[] { 1, 3, 9, 27, 81, 243 })]
    [InlineData(1, 3, 27.0, new[] { 1, 3, 9 })] // a rung at the maximum could only stop a finished trial
    [InlineData(1, 2, 20.0, new[] { 1, 2, 4, 8, 16 })]
    [InlineData(2, 3, 27.0, new[] { 2, 6, 18 })]
    [InlineData(1, 2.5, 20.0, new[] { 1, 3, 7, 16 })] // 2.5, 6.25, 15.625 rounded up
    [InlineData(0.5, 1.5, 4.0, new[] { 1, 2, 3 })] // 0.5, 0.75 → 1 (merged), 1.125 → 2, 1.69 → 2 (merged), 2.53 → 3, 3.8 → 4 = max
    public void Rungs_should_be_min_resource_times_powers_of_eta_below_the_maximum(double min, double eta, double? max, int[] expected)
    {
        var rungs = new AshaPolicy(min, eta, max).Rungs;

        Assert.Equal(expected, rungs.Take(expected.Length));
        if (max is not null)
        {
            Assert.Equal(expected.Length, rungs.Count);
        }
    }

    // Five others at rung 1 with 0.9..0.5 and the evaluated trial: n = 6, eta 3 keeps floor(6/3) = 2, eta 2 keeps 3.
    [Theory]
    [InlineData(3, 0.85, false)] // rank 2 of 6
    [InlineData(3, 0.75, true)] // rank 3
    [InlineData(2, 0.75, false)] // rank 3, top 3 kept
    [InlineData(2, 0.65, true)] // rank 4
    [InlineData(3, 0.8, false)] // ties with 0.8 share rank 2
    public void Evaluate_should_keep_the_top_one_over_eta_of_the_rung(double eta, double evaluated, bool stop)
    {
        var history = TestHistories.Running(Goal.Maximize, [0.9], [0.8], [0.7], [0.6], [0.5], [evaluated]);

        var decision = new AshaPolicy(1, eta).Evaluate(history, 6, 1);

        Assert.Equal(stop, decision.Stop);
    }

    [Fact]
    public void Evaluate_should_keep_the_lowest_loss_when_minimizing()
    {
        var history = TestHistories.Running(Goal.Minimize, [0.1], [0.2], [0.3], [0.4], [0.5], [0.25]);
        var policy = new AshaPolicy(1, 3);

        Assert.True(policy.Evaluate(history, 6, 1).Stop); // rank 3 of 6, top 2 kept
        Assert.False(policy.Evaluate(history, 2, 1).Stop); // 0.2: rank 2
        Assert.True(policy.Evaluate(history, 5, 1).Stop);
    }

    [Fact]
    public void Evaluate_should_not_stop_while_fewer_than_eta_trials_reached_the_rung()
    {
        var two = TestHistories.Running(Goal.Maximize, [0.9], [0.1]);
        var three = TestHistories.Running(Goal.Maximize, [0.9], [0.5], [0.1]);

        Assert.False(new AshaPolicy(1, 3).Evaluate(two, 2, 1).Stop); // floor(2/3) = 0: nothing to keep yet
        Assert.True(new AshaPolicy(1, 3).Evaluate(three, 3, 1).Stop); // floor(3/3) = 1: only the best
        Assert.True(new AshaPolicy(1, 3).Evaluate(three, 2, 1).Stop);
        Assert.False(new AshaPolicy(1, 3).Evaluate(three, 1, 1).Stop);
    }

    [Fact]
    public void Evaluate_should_respect_the_grace_period_and_judge_only_at_rungs()
    {
        // min_resource 3, eta 2: rungs 3, 6, 12. The last trial is the worst at every interval.
        double[] worst = [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1];
        var history = TestHistories.Running(
            Goal.Maximize, [0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9], [0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8], [0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7], worst);
        var policy = new AshaPolicy(3, 2);

        var stops = Enumerable.Range(1, 7).Where(k => policy.Evaluate(history, 4, k).Stop).ToArray();

        Assert.Equal([3, 6], stops);
    }

    [Fact]
    public void Evaluate_should_not_stop_at_or_beyond_max_resource()
    {
        // eta 2, max 4: rungs 1 and 2 only.
        var history = TestHistories.Running(Goal.Maximize, [0.9, 0.9, 0.9, 0.9, 0.9], [0.8, 0.8, 0.8, 0.8, 0.8], [0.1, 0.1, 0.1, 0.1, 0.1]);
        var bounded = new AshaPolicy(1, 2, 4);
        var unbounded = new AshaPolicy(1, 2);

        Assert.Equal([1, 2], Enumerable.Range(1, 5).Where(k => bounded.Evaluate(history, 3, k).Stop));
        Assert.Equal([1, 2, 4], Enumerable.Range(1, 5).Where(k => unbounded.Evaluate(history, 3, k).Stop));
    }

    [Fact]
    public void Evaluate_should_rank_by_the_best_value_up_to_the_rung()
    {
        // Rung 3 (min 3, eta 2). The evaluated trial peaked at 0.95 and fell to 0.1 at the rung: its best, 0.95, ranks first.
        var history = TestHistories.Running(Goal.Maximize, [0.5, 0.6, 0.7], [0.4, 0.5, 0.6], [0.95, 0.3, 0.1]);

        Assert.False(new AshaPolicy(3, 2).Evaluate(history, 3, 3).Stop);
        Assert.True(new AshaPolicy(3, 2).Evaluate(history, 2, 3).Stop);
    }

    [Fact]
    public void Evaluate_should_compare_with_the_values_others_had_at_the_rung_not_later()
    {
        // Rung 1, eta 2, n = 3 keeps 1. At interval 1 the others had 0.1 and 0.2; they reached 0.99 later.
        var history = TestHistories.Running(Goal.Maximize, [0.1, 0.99], [0.2, 0.99], [0.25]);

        Assert.False(new AshaPolicy(1, 2).Evaluate(history, 3, 1).Stop);
    }

    [Fact]
    public void Evaluate_should_count_trials_that_reached_the_rung_whatever_their_status()
    {
        var history = TestHistories.Build(
            Goal.Maximize, (TrialStatus.Completed, [0.9, 0.9]), (TrialStatus.Failed, [0.8]), (TrialStatus.Canceled, [0.7]), (TrialStatus.Running, [0.5]));

        Assert.True(new AshaPolicy(1, 2).Evaluate(history, 4, 1).Stop); // rank 4 of 4, top 2 kept
    }

    [Fact]
    public void Evaluate_should_judge_a_trial_at_its_first_value_when_it_reported_nan_at_the_rung()
    {
        var history = TestHistories.Running(Goal.Maximize, [0.9, 0.9], [0.8, 0.8], [0.7, 0.7], [double.NaN, 0.1]);
        var policy = new AshaPolicy(1, 3); // rungs 1, 3, 9

        Assert.False(policy.Evaluate(history, 4, 1).Stop); // NaN carries no value
        var decision = policy.Evaluate(history, 4, 2); // first value at or after rung 1

        Assert.True(decision.Stop);
        Assert.Contains("rung 1", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_should_ignore_trials_whose_only_report_at_the_rung_is_nan()
    {
        // Without the NaN trial n = 2 < eta 3: nothing is stopped.
        var history = TestHistories.Running(Goal.Maximize, [0.9], [double.NaN], [0.1]);

        Assert.False(new AshaPolicy(1, 3).Evaluate(history, 3, 1).Stop);
    }

    [Fact]
    public void Evaluate_should_give_a_reason_naming_the_rung_value_and_cut_off()
    {
        var history = TestHistories.Running(Goal.Maximize, [0.9, 0.9, 0.9], [0.8, 0.8, 0.8], [0.7, 0.7, 0.7], [0.6, 0.5, 0.4]);

        var decision = new AshaPolicy(1, 2).Evaluate(history, 4, 2);

        Assert.True(decision.Stop);
        Assert.Equal(
            "accuracy best 0.6 at interval 2 < cut-off 0.8 of rung 2: rank 4 of 4, the top 2 continue (asha, reduction_factor 2, min_resource 1)",
            decision.Reason);
    }

    [Fact]
    public void Constructor_should_refuse_invalid_resources()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new AshaPolicy(0, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AshaPolicy(1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AshaPolicy(5, 3, 4));
    }
}
