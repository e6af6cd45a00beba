using System.Collections.Immutable;
using HyperDrive.Core.Parameters;
using HyperDrive.Core.Specs;

namespace HyperDrive.Training.Builtins.Ridge;

/// <summary>
/// <c>trial.builtin_options</c> of the <c>ridge</c> trainer: <c>data</c> (a CSV with a header; the bundled diabetes
/// data when absent), <c>label</c> (its target column), <c>folds</c> (default 5) or <c>holdout</c> (a fraction),
/// <c>fit_intercept</c> (default true) and <c>scaling</c> (<c>sum_of_squares</c>, the default, or <c>zscore</c>).
/// </summary>
public sealed record RidgeOptions
{
    public static readonly ImmutableArray<string> Keys = SpecVocabulary.BuiltinOptions["ridge"];

    /// <summary>The CSV file, resolved against the sweep file's folder; null for the bundled diabetes data.</summary>
    public string? Data { get; init; }

    public string? Label { get; init; }

    public RidgeValidation Validation { get; init; } = RidgeValidation.KFold(5);

    public bool FitIntercept { get; init; } = true;

    public string Scaling { get; init; } = FeatureScaling.SumOfSquares;

    public static RidgeOptions Read(MapValue options, string specDirectory)
    {
        var unknown = options.Entries.Select(e => e.Key).Where(k => !Keys.Contains(k)).ToList();
        if (unknown.Count > 0)
        {
            throw new RidgeDataException($"ridge: unknown builtin_options {string.Join(", ", unknown)}; expected {string.Join(", ", Keys)}");
        }

        var data = Text(options["data"], "data");
        var label = Text(options["label"], "label");
        if (data is not null && label is null)
        {
            throw new RidgeDataException($"ridge: builtin_options.data = {data} needs builtin_options.label, the name of its target column");
        }

        if (data is null && label is not null)
        {
            throw new RidgeDataException($"ridge: builtin_options.label = {label} is given without builtin_options.data (the bundled diabetes data has its own target)");
        }

        if (options["folds"] is not null && options["holdout"] is not null)
        {
            throw new RidgeDataException("ridge: builtin_options takes folds or holdout, not both");
        }

        var validation = RidgeValidation.KFold(5);
        if (options["folds"] is { } folds)
        {
            validation = folds is IntegerValue { Value: >= 2 and <= int.MaxValue } k
                ? RidgeValidation.KFold((int)k.Value)
                : throw new RidgeDataException($"ridge: builtin_options.folds = {folds} must be an integer ≥ 2");
        }
        else if (options["holdout"] is { } holdout)
        {
            validation = holdout.AsDouble() is { } fraction
                ? RidgeValidation.HeldOut(fraction)
                : throw new RidgeDataException($"ridge: builtin_options.holdout = {holdout} must be a fraction between 0 and 1");
        }

        var fitIntercept = true;
        if (options["fit_intercept"] is { } fit)
        {
            fitIntercept = Boolean(fit) ?? throw new RidgeDataException($"ridge: builtin_options.fit_intercept = {fit} must be true or false");
        }

        var scaling = Text(options["scaling"], "scaling") ?? FeatureScaling.SumOfSquares;
        if (!FeatureScaling.Methods.Contains(scaling))
        {
            throw new RidgeDataException($"ridge: builtin_options.scaling = {scaling} must be one of {string.Join(", ", FeatureScaling.Methods)}");
        }

        return new RidgeOptions
        {
            Data = data is null ? null : Path.GetFullPath(Path.Combine(specDirectory, data)),
            Label = label,
            Validation = validation,
            FitIntercept = fitIntercept,
            Scaling = scaling,
        };
    }

    /// <summary>true/false as a boolean, the text "true"/"false" or the integers 1/0; null otherwise.</summary>
    internal static bool? Boolean(ParameterValue value) => value switch
    {
        BooleanValue b => b.Value,
        TextValue t when bool.TryParse(t.Value.Trim(), out var parsed) => parsed,
        IntegerValue { Value: 0 or 1 } i => i.Value == 1,
        _ => null,
    };

    private static string? Text(ParameterValue? value, string name) => value switch
    {
        null or NullValue => null,
        TextValue t when t.Value.Trim().Length > 0 => t.Value.Trim(),
        _ => throw new RidgeDataException($"ridge: builtin_options.{name} = {value} must be a non-empty text"),
    };
}
