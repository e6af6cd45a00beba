using HyperDrive.Core.History;
using HyperDrive.Core.Policies;

namespace HyperDrive.Core.Tests.Policies;

/// <summary>One contract every early-termination policy passes, over generated histories with mixed signs and statuses.</summary>
public class PolicyContractTests
{
    private const int Seeds = 60;

    public static TheoryData<string> Policies => ["bandit_factor", "bandit_amount", "median_stopping", "truncation_selection", "truncation_exclude_finished", "asha", "asha_eta3", "hyperband"];

    /// <summary>The policies with an Azure evaluation schedule (asha and hyperband judge at their rungs instead).</summary>
    public static TheoryData<string> ScheduledPolicies => ["bandit_factor", "bandit_amount", "median_stopping", "truncation_selection", "truncation_exclude_finished"];

    [Theory]
    [MemberData(nameof(Policies))]
    public void Policy_should_decide_the_same_when_the_history_is_replayed(string name)
    {
        var policy = Create(name, EvaluationSchedule.EveryInterval);
        for (var seed = 0; seed < Seeds; seed++)
        {
            var (goal, trials) = Generate(seed);
            var history = TestHistories.Build(goal, trials);
            var replayed = TestHistories.Build(goal, trials);
            var fresh = Create(name, EvaluationSchedule.EveryInterval);
            foreach (var trial in history.Trials)
            {
                for (var k = 1; k <= trial.LastInterval; k++)
                {
                    var decision = policy.Evaluate(history, trial.Number, k);
                    Assert.Equal(decision, policy.Evaluate(history, trial.Number, k));
                    Assert.Equal(decision, fresh.Evaluate(replayed, trial.Number, k));
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Policies))]
    public void Policy_should_never_stop_the_trial_holding_the_best_value_when_it_reports_it(string name)
    {
        var policy = Create(name, EvaluationSchedule.EveryInterval);
        var stopsOfOthers = 0;
        for (var seed = 0; seed < Seeds; seed++)
        {
            var (goal, trials) = Generate(seed);
            var all = trials.SelectMany(t => t.Series).ToList();
            var record = goal == Goal.Maximize ? all.Max() + 0.5 : all.Min() - 0.5;
            var evaluated = trials.Length - 1;
            trials[evaluated] = (TrialStatus.Running, [.. trials[evaluated].Series, record]);
            var history = TestHistories.Build(goal, trials);
            var interval = trials[evaluated].Series.Length;

            var decision = policy.Evaluate(history, evaluated + 1, interval);

            Assert.False(decision.Stop, $"seed {seed}: {decision.Reason}");
            stopsOfOthers += history.Trials.Count(t => t.Number != evaluated + 1 && policy.Evaluate(history, t.Number, t.LastInterval).Stop);
        }

        Assert.True(stopsOfOthers > 0, "the generated histories never made the policy stop anything");
    }

    [Theory]
    [MemberData(nameof(ScheduledPolicies))]
    public void Policy_should_stop_only_at_multiples_of_the_interval_from_the_delay_on(string name)
    {
        var schedule = new EvaluationSchedule(3, 4);
        var policy = Create(name, schedule);
        var scheduledStops = 0;
        for (var seed = 0; seed < Seeds; seed++)
        {
            var (goal, trials) = Generate(seed, maxLength: 12);
            var history = TestHistories.Build(goal, trials);
            foreach (var trial in history.Trials)
            {
                for (var k = 1; k <= trial.LastInterval; k++)
                {
                    var stop = policy.Evaluate(history, trial.Number, k).Stop;
                    Assert.False(stop && (k < 4 || k % 3 != 0), $"seed {seed}, trial {trial.Number} stopped at interval {k}");
                    scheduledStops += stop ? 1 : 0;
                }
            }
        }

        Assert.True(scheduledStops > 0, "the policy never stopped anything at a scheduled interval");
    }

    [Theory]
    [MemberData(nameof(Policies))]
    public void Policy_should_give_a_reason_naming_the_metric_and_interval_when_it_stops(string name)
    {
        var history = TestHistories.Running(Goal.Maximize, [0.9, 0.9], [0.8, 0.85], [0.7, 0.75], [0.1, 0.05]);

        var decision = Create(name, EvaluationSchedule.EveryInterval).Evaluate(history, 4, 2);

        Assert.True(decision.Stop);
        Assert.StartsWith("accuracy ", decision.Reason, StringComparison.Ordinal);
        Assert.Contains("at interval 2", decision.Reason, StringComparison.Ordinal);
        Assert.Contains(name.StartsWith("bandit", StringComparison.Ordinal) ? "bandit" : name.Replace("_exclude_finished", "", StringComparison.Ordinal).Replace("_eta3", "", StringComparison.Ordinal), decision.Reason, StringComparison.Ordinal);
    }

    private static IEarlyTerminationPolicy Create(string name, EvaluationSchedule schedule) => name switch
    {
        "bandit_factor" => BanditPolicy.WithSlackFactor(0.1, schedule),
        "bandit_amount" => BanditPolicy.WithSlackAmount(0.05, schedule),
        "median_stopping" => new MedianStoppingPolicy(schedule),
        "truncation_selection" => new TruncationSelectionPolicy(40, false, schedule),
        "truncation_exclude_finished" => new TruncationSelectionPolicy(50, true, schedule),
        "asha" => new AshaPolicy(1, 2),
        "asha_eta3" => new AshaPolicy(2, 3, 8),
        "hyperband" => new HyperbandPolicy(8, 1, 2),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    private static (Goal Goal, (TrialStatus Status, double[] Series)[] Trials) Generate(int seed, int maxLength = 8)
    {
        var random = new Random(seed);
        var goal = random.Next(2) == 0 ? Goal.Maximize : Goal.Minimize;
        var offset = random.NextDouble() * 2 - 1;
        TrialStatus[] statuses = [TrialStatus.Running, TrialStatus.Running, TrialStatus.Completed, TrialStatus.Canceled, TrialStatus.Failed];
        var trials = new (TrialStatus, double[])[random.Next(3, 8)];
        for (var i = 0; i < trials.Length; i++)
        {
            var series = Enumerable.Range(0, random.Next(1, maxLength + 1)).Select(_ => offset + random.NextDouble()).ToArray();
            trials[i] = (i == trials.Length - 1 ? TrialStatus.Running : statuses[random.Next(statuses.Length)], series);
        }

        return (goal, trials);
    }
}
