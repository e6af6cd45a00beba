using System.Globalization;
using System.Text.Json;

namespace HyperDrive.Training.Torch;

/// <summary>
/// The hyperparameters of one trial, read from config.json (the file at HYPERDRIVE_CONFIG): learning_rate,
/// num_epochs, batch_size, hidden_size, optimizer (adam | sgd) and dropout; missing ones take the defaults of the
/// shared digits convention. Other keys of config.json (parameters of the search space the trainer does not use) are ignored.
/// </summary>
public sealed record MlpHyperparameters
{
    public double LearningRate { get; init; } = 0.001;

    public int NumEpochs { get; init; } = 20;

    public int BatchSize { get; init; } = 32;

    public int HiddenSize { get; init; } = 100;

    public string Optimizer { get; init; } = "adam";

    public double Dropout { get; init; }

    public static MlpHyperparameters FromJson(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new MlpInputException($"config.json is not valid JSON: {e.Message}", e);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new MlpInputException($"config.json must hold an object of hyperparameters, got {document.RootElement.ValueKind}");
            }

            var root = document.RootElement;
            var defaults = new MlpHyperparameters();
            return new MlpHyperparameters
            {
                LearningRate = Number(root, "learning_rate", defaults.LearningRate, v => double.IsFinite(v) && v > 0, "a number > 0"),
                NumEpochs = Integer(root, "num_epochs", defaults.NumEpochs, 1),
                BatchSize = Integer(root, "batch_size", defaults.BatchSize, 1),
                HiddenSize = Integer(root, "hidden_size", defaults.HiddenSize, 1),
                Optimizer = Choice(root, "optimizer", defaults.Optimizer, "adam", "sgd"),
                Dropout = Number(root, "dropout", defaults.Dropout, v => v is >= 0 and < 1, "a number in [0, 1)"),
            };
        }
    }

    private static double Number(JsonElement root, string name, double fallback, Func<double, bool> valid, string expected)
    {
        if (!root.TryGetProperty(name, out var value))
        {
            return fallback;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) && valid(number)
            ? number
            : throw new MlpInputException($"{name} must be {expected}, got {value.GetRawText()}");
    }

    /// <summary>An integer, or a number with an integral value (quniform and qloguniform give 32.0).</summary>
    private static int Integer(JsonElement root, string name, int fallback, int minimum)
    {
        if (!root.TryGetProperty(name, out var value))
        {
            return fallback;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number)
            && number == Math.Floor(number) && number >= minimum && number <= int.MaxValue)
        {
            return (int)number;
        }

        throw new MlpInputException(string.Create(CultureInfo.InvariantCulture, $"{name} must be an integer >= {minimum}, got {value.GetRawText()}"));
    }

    private static string Choice(JsonElement root, string name, string fallback, params string[] allowed)
    {
        if (!root.TryGetProperty(name, out var value))
        {
            return fallback;
        }

        var text = value.ValueKind == JsonValueKind.String ? value.GetString()!.Trim().ToLowerInvariant() : null;
        return text is not null && allowed.Contains(text)
            ? text
            : throw new MlpInputException($"{name} must be one of {string.Join(", ", allowed)}, got {value.GetRawText()}");
    }
}
