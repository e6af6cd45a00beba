using System.Globalization;
using HyperDrive.Core.Parameters;
using HyperDrive.Core.Specs;

namespace HyperDrive.Core.Policies;

/// <summary>
/// Resolves the asha/hyperband options of <c>early_termination</c> (and of WMLA's <c>sampling_algorithm: hyperband</c>)
/// from <see cref="TerminationSpec.Options"/> onto the typed fields: <c>min_resource</c> = <c>grace_period</c>,
/// <c>max_resource</c> = <c>max_t</c> = <c>max_iter</c> = <c>ResourceValue</c>, <c>reduction_factor</c> = <c>eta</c>,
/// <c>brackets</c>, <c>ResourceName</c>. A typed field already set wins. WMLA sends numbers as strings ("81"), so numeric
/// strings are read as numbers. Every error names the key as written and its value.
/// </summary>
internal static class ResourceOptions
{
    /// <summary>The resource names accepted for WMLA's ResourceName: the interval (epoch) is the only resource.</summary>
    public static readonly IReadOnlyList<string> IntervalResourceNames =
        ["epoch", "epochs", "interval", "intervals", "iteration", "iterations", "training_iteration"];

    private static readonly string[] MinKeys = ["min_resource", "grace_period"];
    private static readonly string[] MaxKeys = ["max_resource", "max_t", "max_iter", "ResourceValue"];
    private static readonly string[] FactorKeys = ["reduction_factor", "eta"];

    public static (TerminationSpec Spec, List<(string Key, string Message)> Errors) Resolve(TerminationSpec spec)
    {
        var errors = new List<(string Key, string Message)>();
        var options = spec.Options;
        var min = spec.MinResource ?? Number(options, MinKeys, errors, v => v > 0, "a positive number");
        var max = spec.MaxResource ?? Number(options, MaxKeys, errors, v => v > 0, "a positive number");
        var factor = spec.ReductionFactor ?? Number(options, FactorKeys, errors, v => v > 1, "a number > 1");
        var brackets = spec.Brackets;
        if (brackets is null && options["brackets"] is { } b)
        {
            if (AsNumber(b) is { } n && n >= 1 && n == Math.Floor(n) && n <= int.MaxValue)
            {
                brackets = (int)n;
            }
            else
            {
                errors.Add(("brackets", $"brackets expects an integer >= 1, got {b.ToInvariantString()}"));
            }
        }

        var name = spec.ResourceName;
        if (name is null && options["ResourceName"] is { } r)
        {
            name = r.ToInvariantString();
        }

        if (name is not null && !IntervalResourceNames.Contains(name.Trim().ToLowerInvariant()))
        {
            errors.Add(("ResourceName",
                $"ResourceName '{name}' is not supported: the only resource is the interval (epoch) count the trial reports "
                + $"({string.Join(", ", IntervalResourceNames)})"));
        }

        if (min is { } lo && max is { } hi && lo > hi)
        {
            errors.Add((KeyOf(options, MinKeys) ?? "min_resource",
                $"min_resource ({Format(lo)}) expects a value no greater than max_resource ({Format(hi)})"));
        }

        return (spec with { MinResource = min, MaxResource = max, ReductionFactor = factor, Brackets = brackets, ResourceName = name }, errors);
    }

    private static double? Number(MapValue options, string[] keys, List<(string, string)> errors, Func<double, bool> valid, string rule)
    {
        double? result = null;
        string? from = null;
        foreach (var key in keys)
        {
            if (options[key] is not { } value)
            {
                continue;
            }

            if (from is not null)
            {
                errors.Add((key, $"{key} and {from} are the same option; give one"));
                continue;
            }

            from = key;
            if (AsNumber(value) is { } number && double.IsFinite(number) && valid(number))
            {
                result = number;
            }
            else
            {
                errors.Add((key, $"{key} expects {rule}, got {value.ToInvariantString()}"));
            }
        }

        return result;
    }

    private static double? AsNumber(ParameterValue value) => value switch
    {
        TextValue text when double.TryParse(text.Value.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
        TextValue => null,
        _ => value.AsDouble(),
    };

    private static string? KeyOf(MapValue options, string[] keys) => keys.FirstOrDefault(k => options[k] is not null);

    private static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);
}
