using HyperDrive.Core.History;
using HyperDrive.Core.Parameters;

namespace HyperDrive.Core.Tests.Policies;

/// <summary>Hand-made sweep histories: one series per trial, value i at interval i + 1.</summary>
internal static class TestHistories
{
    public static SweepHistory Running(Goal goal, params double[][] series) =>
        Build(goal, series.Select(s => (TrialStatus.Running, s)).ToArray());

    public static SweepHistory Build(Goal goal, params (TrialStatus Status, double[] Series)[] trials) =>
        Build(new Objective(goal == Goal.Maximize ? "accuracy" : "loss", goal), trials);

    public static SweepHistory Build(Objective objective, params (TrialStatus Status, double[] Series)[] trials)
    {
        var history = SweepHistory.Empty(objective);
        foreach (var (status, series) in trials)
        {
            history = history.Propose(ParameterSet.Empty);
            var number = history.Count;
            for (var i = 0; i < series.Length; i++)
            {
                history = history.Report(number, new MetricPoint(i + 1, series[i]));
            }

            if (status != TrialStatus.Running || series.Length == 0)
            {
                history = history.Finish(number, status);
            }
        }

        return history;
    }
}
