using HyperDrive.Core.History;
using HyperDrive.Core.Policies;

namespace HyperDrive.Core.Tests.Policies;

public class HyperbandPolicyTests
{
    [Fact]
    public void Brackets_should_follow_hyperband_for_81_epochs_and_eta_3()
    {
        var policy = new HyperbandPolicy(81);

        Assert.Equal(4, policy.MaxBracket);

        // Li et al. (2018), table 1 for R = 81, eta = 3: n = 81, 34, 15, 8, 5 configurations starting at r = 1, 3, 9, 27, 81.
        Assert.Equal([(4, 81.0), (3, 34.0), (2, 15.0), (1, 8.0), (0, 5.0)], policy.BracketWeights);
        Assert.Equal([1, 3, 9, 27], policy.RungsOf(4));
        Assert.Equal([3, 9, 27], policy.RungsOf(3));
        Assert.Equal([27], policy.RungsOf(1));
        Assert.Empty(policy.RungsOf(0));
    }

    [Fact]
    public void BracketOf_should_split_trials_in_proportion_to_the_bracket_sizes()
    {
        var policy = new HyperbandPolicy(81);
        const int trials = 1430; // ten cycles of 143
        var counts = Enumerable.Range(1, trials).GroupBy(policy.BracketOf).ToDictionary(g => g.Key, g => g.Count());

        foreach (var (bracket, weight) in policy.BracketWeights)
        {
            var expected = trials * weight / 143;
            Assert.InRange(counts[bracket], expected - 5, expected + 5);
        }

        // Interleaved: the first ten trials already use four of the five brackets.
        Assert.True(Enumerable.Range(1, 10).Select(policy.BracketOf).Distinct().Count() >= 4);
    }

    [Fact]
    public void BracketOf_should_follow_the_golden_ratio_sequence()
    {
        // max 4, eta 2: s_max = 2, sizes 4 (s = 2), 3 (s = 1), 3 (s = 0): s = 2 holds [0, 0.4), s = 1 [0.4, 0.7), s = 0 [0.7, 1).
        // frac(t·0.618034) for t = 1..10: .618 .236 .854 .472 .090 .708 .326 .944 .562 .180.
        var policy = new HyperbandPolicy(4, 1, 2);

        Assert.Equal([1, 2, 0, 1, 2, 0, 2, 0, 1, 2], Enumerable.Range(1, 10).Select(policy.BracketOf));
    }

    [Fact]
    public void Evaluate_should_compare_a_trial_with_its_own_bracket_only()
    {
        // max 4, eta 2: bracket 2 (trials 2, 5, 7, 10) has rungs 1, 2; bracket 1 (trials 1, 4, 9) rung 2; bracket 0 none.
        var policy = new HyperbandPolicy(4, 1, 2);
        double[][] series =
        [
            [0.50, 0.50, 0.50, 0.50], // 1: bracket 1
            [0.90, 0.90, 0.90, 0.90], // 2: bracket 2
            [0.01, 0.01, 0.01, 0.01], // 3: bracket 0, the worst of all
            [0.40, 0.40, 0.40, 0.40], // 4: bracket 1
            [0.80, 0.80, 0.80, 0.80], // 5: bracket 2
            [0.02, 0.02, 0.02, 0.02], // 6: bracket 0
            [0.60, 0.60, 0.60, 0.60], // 7: bracket 2, worst of its bracket but better than trials 1 and 4
        ];
        var history = TestHistories.Running(Goal.Maximize, series);

        Assert.DoesNotContain(Enumerable.Range(1, 4), k => policy.Evaluate(history, 3, k).Stop);
        Assert.Equal([1, 2], Enumerable.Range(1, 4).Where(k => policy.Evaluate(history, 7, k).Stop)); // n = 3, top 1
        Assert.Equal([2], Enumerable.Range(1, 4).Where(k => policy.Evaluate(history, 4, k).Stop)); // n = 2, top 1, rung 2 only
        Assert.DoesNotContain(Enumerable.Range(1, 4), k => policy.Evaluate(history, 1, k).Stop);
    }

    [Fact]
    public void One_bracket_should_decide_as_asha_with_the_smallest_minimum()
    {
        // max 8, eta 2, one bracket: s = 3, min 8·2^-3 = 1: the same rungs as asha (1, 2, 4 below 8).
        var hyperband = new HyperbandPolicy(8, 1, 2, brackets: 1);
        var asha = new AshaPolicy(1, 2, 8);
        var random = new Random(11);
        var decisions = 0;
        for (var round = 0; round < 20; round++)
        {
            var goal = round % 2 == 0 ? Goal.Maximize : Goal.Minimize;
            var trials = Enumerable.Range(0, random.Next(2, 9))
                .Select(_ => (TrialStatus.Running, Enumerable.Range(0, random.Next(1, 9)).Select(_ => random.NextDouble()).ToArray()))
                .ToArray();
            var history = TestHistories.Build(goal, trials);
            foreach (var trial in history.Trials)
            {
                for (var k = 1; k <= trial.LastInterval; k++)
                {
                    var expected = asha.Evaluate(history, trial.Number, k);
                    Assert.Equal(expected.Stop, hyperband.Evaluate(history, trial.Number, k).Stop);
                    decisions += expected.Stop ? 1 : 0;
                }
            }
        }

        Assert.True(decisions > 0);
        Assert.Equal([1, 2, 4], hyperband.RungsOf(3));
    }

    [Fact]
    public void Evaluate_should_stop_the_worst_loss_when_minimizing()
    {
        // One bracket (s_max = 2 of max 4, eta 2): rungs 1, 2.
        var policy = new HyperbandPolicy(4, 1, 2, brackets: 1);
        var history = TestHistories.Running(Goal.Minimize, [0.1, 0.1], [0.9, 0.9], [0.2, 0.2]);

        Assert.True(policy.Evaluate(history, 2, 1).Stop);
        Assert.False(policy.Evaluate(history, 1, 1).Stop);
        Assert.Contains("hyperband bracket 2", policy.Evaluate(history, 2, 2).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_should_refuse_invalid_brackets_and_resources()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new HyperbandPolicy(81, brackets: 6));
        Assert.Throws<ArgumentOutOfRangeException>(() => new HyperbandPolicy(81, brackets: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new HyperbandPolicy(0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new HyperbandPolicy(81, 1, 1));
    }
}
