using HyperDrive.Core.History;

namespace HyperDrive.Core.Policies;

/// <summary>
/// Azure's Bandit policy (REFERENCE §3.2). At an evaluation interval N, <c>Y</c> is the best value the evaluated
/// trial reported at intervals 1..N and <c>B</c> the best value reported at intervals 1..N by the best trial among
/// all trials that reached N (any status; the evaluated trial included, so it is never cancelled when it is the best).
/// With no other trial at N there is nothing to compare with and the trial continues.
/// <para>
/// slack_amount <c>a</c>: maximize cancels iff <c>Y &lt; B − a</c>, minimize iff <c>Y &gt; B + a</c>.
/// slack_factor <c>s</c> is a ratio: the trial is cancelled when the best is better than it by more than a factor
/// <c>1 + s</c> in magnitude, with the threshold always on the worse side of B.
/// Maximize: <c>Y·(1+s) &lt; B</c> when <c>B ≥ 0</c> (Azure exactly: threshold B/(1+s)); <c>Y &lt; B·(1+s)</c> when <c>B &lt; 0</c>.
/// Minimize: <c>Y &gt; B·(1+s)</c> when <c>B ≥ 0</c>; <c>Y·(1+s) &gt; B</c> when <c>B &lt; 0</c> (threshold B/(1+s)).
/// Azure's literal <c>Y·(1+s) &lt; B</c> would cancel the best trial itself when B &lt; 0; this rule does not, and
/// maximizing a metric decides exactly as minimizing its negation.
/// </para>
/// </summary>
public sealed class BanditPolicy : IEarlyTerminationPolicy
{
    public BanditPolicy(double? slackFactor, double? slackAmount, EvaluationSchedule? schedule = null)
    {
        if ((slackFactor is null) == (slackAmount is null))
        {
            throw new ArgumentException("Bandit termination policy expects exactly one of slack factor or slack amount to be set.");
        }

        if (slackFactor is { } s && !(double.IsFinite(s) && s > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(slackFactor), s, "slack_factor expects a positive number.");
        }

        if (slackAmount is { } a && !(double.IsFinite(a) && a > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(slackAmount), a, "slack_amount expects a positive number.");
        }

        SlackFactor = slackFactor;
        SlackAmount = slackAmount;
        Schedule = schedule ?? EvaluationSchedule.EveryInterval;
    }

    public string Name => "bandit";

    public double? SlackFactor { get; }

    public double? SlackAmount { get; }

    public EvaluationSchedule Schedule { get; }

    public static BanditPolicy WithSlackFactor(double slackFactor, EvaluationSchedule? schedule = null) =>
        new(slackFactor, null, schedule);

    public static BanditPolicy WithSlackAmount(double slackAmount, EvaluationSchedule? schedule = null) =>
        new(null, slackAmount, schedule);

    public TerminationDecision Evaluate(SweepHistory history, int trialNumber, int interval)
    {
        if (PolicySeries.DueTrial(history, trialNumber, interval, Schedule) is not { } trial)
        {
            return TerminationDecision.Continue;
        }

        var objective = history.Objective;
        if (PolicySeries.BestUpTo(trial, interval, objective) is not { } y)
        {
            return TerminationDecision.Continue;
        }

        double? best = null;
        var bestTrial = 0;
        foreach (var other in PolicySeries.OthersThatReached(history, trialNumber, interval))
        {
            if (PolicySeries.BestUpTo(other, interval, objective) is { } value
                && (best is null || objective.IsBetter(value, best.Value)))
            {
                best = value;
                bestTrial = other.Number;
            }
        }

        if (best is not { } b || !objective.IsBetter(b, y))
        {
            return TerminationDecision.Continue;
        }

        var (cancel, threshold, formula) = Compare(objective.Goal, y, b);
        if (!cancel)
        {
            return TerminationDecision.Continue;
        }

        var sign = objective.Goal == Goal.Maximize ? "<" : ">";
        var option = SlackFactor is { } s
            ? $"slack_factor {PolicyFormat.Number(s)}"
            : $"slack_amount {PolicyFormat.Number(SlackAmount!.Value)}";
        return TerminationDecision.StopBecause(
            $"{objective.PrimaryMetric} {PolicyFormat.Number(y)} at interval {interval} {sign} best {formula} = "
            + $"{PolicyFormat.Number(threshold)} (bandit, {option}; best trial {bestTrial})");
    }

    private (bool Cancel, double Threshold, string Formula) Compare(Goal goal, double y, double b)
    {
        var bText = PolicyFormat.Number(b);
        if (SlackAmount is { } a)
        {
            var aText = PolicyFormat.Number(a);
            return goal == Goal.Maximize
                ? ((y < b - a), b - a, $"{bText} - {aText}")
                : ((y > b + a), b + a, $"{bText} + {aText}");
        }

        var s = SlackFactor!.Value;
        var ratio = 1 + s;
        var sText = PolicyFormat.Number(s);
        var dividedText = $"{bText} / (1 + {sText})";
        var multipliedText = $"{bText} * (1 + {sText})";

        // The comparisons are written multiplied out, as Azure writes Y·(1+s) < B, so the positive cases match it bit for bit.
        if (goal == Goal.Maximize)
        {
            return b >= 0
                ? ((y * ratio < b), b / ratio, dividedText)
                : ((y < b * ratio), b * ratio, multipliedText);
        }

        return b >= 0
            ? ((b * ratio < y), b * ratio, multipliedText)
            : ((b < y * ratio), b / ratio, dividedText);
    }
}
