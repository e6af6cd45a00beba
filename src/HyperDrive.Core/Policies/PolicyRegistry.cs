using System.Globalization;
using HyperDrive.Core.Specs;

namespace HyperDrive.Core.Policies;

/// <summary>
/// Turns <c>early_termination</c> into an <see cref="IEarlyTerminationPolicy"/> (null when the file names none).
/// A policy that is known but not built yet is refused with a <see cref="SpecException"/> that says so; it is never
/// replaced by another. Options are validated again here, so a spec built in code fails as a file would.
/// </summary>
public static class PolicyRegistry
{
    /// <summary>The policies this version builds, as written in sweep files.</summary>
    public static readonly IReadOnlyList<string> BuiltNames = ["bandit", "median_stopping", "truncation_selection", "asha", "hyperband"];

    /// <summary>Policies the sweep file accepts but this version cannot run yet.</summary>
    public static readonly IReadOnlyList<string> NotBuiltNames = [];

    /// <summary>Names that mean "no policy": every trial runs to completion.</summary>
    public static readonly IReadOnlyList<string> NoneNames = ["none", "default"];

    public static IEarlyTerminationPolicy? Create(SweepSpec spec) => Create(spec.EarlyTermination);

    public static IEarlyTerminationPolicy? Create(TerminationSpec? termination)
    {
        if (termination is null)
        {
            return null;
        }

        // Azure v1 wire names (Bandit, MedianStopping, TruncationSelection, Default) read as the v2 ones.
        var key = (termination.Type ?? "").Trim().Replace("_", "", StringComparison.Ordinal)
            .Replace("-", "", StringComparison.Ordinal).ToLowerInvariant();
        switch (key)
        {
            case "none" or "default":
                return null;
            case "bandit":
                return CreateBandit(termination);
            case "medianstopping":
                return new MedianStoppingPolicy(Schedule(termination));
            case "truncationselection":
                return CreateTruncation(termination);
            case "asha" or "hyperband":
                return CreateSuccessiveHalving(key, termination);
            default:
                throw Error(
                    "early_termination.type",
                    $"unknown early termination policy '{termination.Type}'; valid: {string.Join(", ", BuiltNames)}, "
                    + $"{string.Join(", ", NoneNames)}");
        }
    }

    private static BanditPolicy CreateBandit(TerminationSpec termination)
    {
        var schedule = Schedule(termination);

        // Azure's check is truthiness-based: 0 counts as unset. When both are set, slack_factor wins (the reader warns).
        var factor = termination.SlackFactor is { } f && f != 0 ? f : (double?)null;
        var amount = termination.SlackAmount is { } a && a != 0 ? a : (double?)null;
        if (factor is null && amount is null)
        {
            throw Error(
                "early_termination.slack_factor",
                "Bandit termination policy expects exactly one of slack factor or slack amount to be set.");
        }

        if (factor is { } s)
        {
            RequirePositive("early_termination.slack_factor", "slack_factor", s);
            return BanditPolicy.WithSlackFactor(s, schedule);
        }

        RequirePositive("early_termination.slack_amount", "slack_amount", amount!.Value);
        return BanditPolicy.WithSlackAmount(amount.Value, schedule);
    }

    private static TruncationSelectionPolicy CreateTruncation(TerminationSpec termination)
    {
        var schedule = Schedule(termination);
        if (termination.TruncationPercentage is not (>= 1 and <= 99) and var p)
        {
            throw Error(
                "early_termination.truncation_percentage",
                "truncation_percentage expects value to be between 1 and 99." + (p is null ? " It is missing." : $" Got {p}."));
        }

        return new TruncationSelectionPolicy(termination.TruncationPercentage!.Value, termination.ExcludeFinishedJobs, schedule);
    }

    private static IEarlyTerminationPolicy CreateSuccessiveHalving(string type, TerminationSpec termination)
    {
        // Rungs decide when a trial is judged: a schedule on top would skip rungs silently.
        if (termination.EvaluationInterval > 1)
        {
            throw Error(
                "early_termination.evaluation_interval",
                $"{type} judges trials at its rungs (min_resource·reduction_factor^k); evaluation_interval does not apply (got {termination.EvaluationInterval})");
        }

        if (termination.DelayEvaluation != 0)
        {
            throw Error(
                "early_termination.delay_evaluation",
                $"{type} does not use delay_evaluation (got {termination.DelayEvaluation}); set min_resource (grace_period), the first rung");
        }

        var (resolved, errors) = ResourceOptions.Resolve(termination);
        if (errors.Count > 0)
        {
            throw new SpecException([.. errors.Select(e => SpecDiagnostic.Error($"early_termination.{e.Key}", e.Message))]);
        }

        var min = resolved.MinResource;
        var factor = resolved.ReductionFactor;
        if (type == "asha")
        {
            if (resolved.Brackets is { } b && b != 1)
            {
                throw Error("early_termination.brackets", $"asha has one bracket (got brackets {b}); use type: hyperband for several");
            }

            return new AshaPolicy(min ?? AshaPolicy.DefaultMinResource, factor ?? AshaPolicy.DefaultReductionFactor, resolved.MaxResource);
        }

        if (resolved.MaxResource is not { } max)
        {
            throw Error(
                "early_termination.max_resource",
                "hyperband needs max_resource (alias max_t, max_iter, WMLA's ResourceValue): the intervals (epochs) of a full trial");
        }

        if (max < (min ?? HyperbandPolicy.DefaultMinResource))
        {
            throw Error("early_termination.max_resource", $"max_resource ({max}) expects a value no smaller than min_resource ({min ?? HyperbandPolicy.DefaultMinResource})");
        }

        HyperbandPolicy probe;
        try
        {
            probe = new HyperbandPolicy(max, min ?? HyperbandPolicy.DefaultMinResource, factor ?? HyperbandPolicy.DefaultReductionFactor);
        }
        catch (ArgumentOutOfRangeException tooMany)
        {
            throw Error("early_termination.reduction_factor", tooMany.Message.Split(" (Parameter")[0]);
        }

        if (resolved.Brackets is { } brackets && brackets > probe.MaxBracket + 1)
        {
            throw Error(
                "early_termination.brackets",
                $"brackets expects at most s_max + 1 = {probe.MaxBracket + 1} for these resources (got {brackets})");
        }

        return resolved.Brackets is null
            ? probe
            : new HyperbandPolicy(max, probe.MinResource, probe.ReductionFactor, resolved.Brackets);
    }

    private static EvaluationSchedule Schedule(TerminationSpec termination)
    {
        if (termination.EvaluationInterval < 0)
        {
            throw Error(
                "early_termination.evaluation_interval",
                $"evaluation_interval expects a non-negative integer (0 is read as 1), got {termination.EvaluationInterval}.");
        }

        if (termination.DelayEvaluation < 0)
        {
            throw Error(
                "early_termination.delay_evaluation",
                $"delay_evaluation expects a non-negative integer, got {termination.DelayEvaluation}.");
        }

        return EvaluationSchedule.From(termination);
    }

    private static void RequirePositive(string path, string name, double value)
    {
        if (!(double.IsFinite(value) && value > 0))
        {
            throw Error(path, $"{name} expects a positive number, got {value.ToString(CultureInfo.InvariantCulture)}.");
        }
    }

    private static SpecException Error(string path, string message) => new(SpecDiagnostic.Error(path, message));
}
