using System.Collections.Immutable;
using System.Text.Json;
using HyperDrive.Core.Parameters;
using HyperDrive.Training.Runners;

namespace HyperDrive.Training.Builtins.Ridge;

/// <summary>
/// The built-in <c>ridge</c> trainer (DESIGN §7): closed-form ridge regression with the hyperparameter <c>alpha</c>
/// (and optionally <c>fit_intercept</c>), R² measured on k contiguous folds or a held-out fraction. One interval per
/// split reports <c>r2</c>, the mean R² of the splits so far (so the last interval's <c>r2</c> is the trial's result),
/// and, with folds, <c>fold_r2</c>, that fold's own R². The model refitted on every row goes to <c>model.json</c>.
/// </summary>
public sealed class RidgeRunner : ITrialRunner
{
    public const string ModelFileName = "model.json";

    public Task<TrialOutcome> RunAsync(TrialRunRequest request, ITrialObserver observer, CancellationToken cancellationToken) =>
        Task.Run(() => Run(request, observer, cancellationToken), CancellationToken.None);

    private static TrialOutcome Run(TrialRunRequest request, ITrialObserver observer, CancellationToken cancellationToken)
    {
        var final = ImmutableDictionary<string, double>.Empty;
        try
        {
            var (alpha, fitInterceptParameter) = ReadHyperparameters(request.Parameters);
            var options = RidgeOptions.Read(request.Trial.BuiltinOptions, request.SpecDirectory);
            var fitIntercept = fitInterceptParameter ?? options.FitIntercept;
            cancellationToken.ThrowIfCancellationRequested();

            var data = options.Data is null
                ? RidgeDataset.LoadDiabetes(RidgeDataset.DefaultDiabetesFolder)
                : RidgeDataset.LoadCsv(options.Data, options.Label!);
            var scaling = FeatureScaling.Fit(data.X, options.Scaling);
            var x = scaling.Apply(data.X);
            var validation = new RidgeCrossValidation(x, data.Y, options.Validation);

            var scores = new List<double>();
            for (var i = 0; i < validation.SplitCount; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                scores.Add(validation.Score(i, alpha, fitIntercept));
                var metrics = ImmutableDictionary<string, double>.Empty.Add("r2", scores.Average());
                if (options.Validation.Folds is not null)
                {
                    metrics = metrics.Add("fold_r2", scores[^1]);
                }

                final = metrics;
                observer.OnInterval(new IntervalReport(i + 1, metrics));
            }

            cancellationToken.ThrowIfCancellationRequested();
            var model = RidgeRegression.Fit(x, data.Y, alpha, fitIntercept);
            Directory.CreateDirectory(request.OutputDirectory);
            File.WriteAllBytes(Path.Combine(request.OutputDirectory, ModelFileName),
                ModelJson(data, options, scaling, model, alpha, fitIntercept, scores));
            return new TrialOutcome(TrialOutcomeKind.Completed, final, ExitCode: 0);
        }
        catch (OperationCanceledException)
        {
            return new TrialOutcome(TrialOutcomeKind.Canceled, final, "stopped");
        }
        catch (RidgeDataException error)
        {
            return new TrialOutcome(TrialOutcomeKind.Failed, final, error.Message);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return new TrialOutcome(TrialOutcomeKind.Failed, final, "ridge: " + error.Message);
        }
    }

    private static (double Alpha, bool? FitIntercept) ReadHyperparameters(ParameterSet parameters)
    {
        var alphaValue = parameters.Find("alpha")
            ?? throw new RidgeDataException("ridge needs the hyperparameter alpha (a number > 0) in the search space");
        if (alphaValue.AsDouble() is not { } alpha || !double.IsFinite(alpha) || alpha <= 0)
        {
            throw new RidgeDataException($"ridge: hyperparameter alpha = {alphaValue} must be a finite number > 0");
        }

        bool? fitIntercept = null;
        if (parameters.Find("fit_intercept") is { } fit)
        {
            fitIntercept = RidgeOptions.Boolean(fit)
                ?? throw new RidgeDataException($"ridge: hyperparameter fit_intercept = {fit} must be true or false");
        }

        return (alpha, fitIntercept);
    }

    private static byte[] ModelJson(
        RidgeDataset data, RidgeOptions options, FeatureScaling scaling, RidgeModel model, double alpha, bool fitIntercept, List<double> scores)
    {
        // The same model on the features as read: w_raw = w / scale, b_raw = b − Σ w·mean / scale.
        var raw = Enumerable.Range(0, model.Coefficients.Count).Select(i => model.Coefficients[i] / scaling.Scales[i]).ToArray();
        var rawIntercept = model.Intercept - raw.Select((w, i) => w * scaling.Means[i]).Sum();

        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("trainer", "ridge");
            json.WriteNumber("alpha", alpha);
            json.WriteBoolean("fit_intercept", fitIntercept);
            json.WriteString("data", data.Source);
            json.WriteString("label", data.Label);
            json.WriteNumber("rows", data.Rows);
            Array(json, "features", data.Features, (w, f) => w.WriteStringValue(f));
            json.WriteStartObject("scaling");
            json.WriteString("method", scaling.Method);
            Array(json, "means", scaling.Means, (w, v) => w.WriteNumberValue(v));
            Array(json, "scales", scaling.Scales, (w, v) => w.WriteNumberValue(v));
            json.WriteEndObject();
            Array(json, "coefficients", model.Coefficients, (w, v) => w.WriteNumberValue(v));
            json.WriteNumber("intercept", model.Intercept);
            Array(json, "raw_coefficients", raw, (w, v) => w.WriteNumberValue(v));
            json.WriteNumber("raw_intercept", rawIntercept);
            json.WriteStartObject("validation");
            if (options.Validation.Folds is { } folds)
            {
                json.WriteNumber("folds", folds);
            }
            else
            {
                json.WriteNumber("holdout", options.Validation.Holdout!.Value);
            }

            Array(json, "r2", scores, (w, v) => w.WriteNumberValue(v));
            json.WriteEndObject();
            json.WriteNumber("r2", scores.Average());
            json.WriteEndObject();
        }

        return stream.ToArray();
    }

    private static void Array<T>(Utf8JsonWriter json, string name, IEnumerable<T> items, Action<Utf8JsonWriter, T> write)
    {
        json.WriteStartArray(name);
        foreach (var item in items)
        {
            write(json, item);
        }

        json.WriteEndArray();
    }
}
