using System.Globalization;

namespace HyperDrive.Training.Torch;

/// <summary>
/// The trainer's command line: <c>--config PATH</c> (default $HYPERDRIVE_CONFIG, else ./config.json), <c>--output DIR</c>
/// (default $HYPERDRIVE_OUTPUT_DIR, else ./outputs), <c>--checkpoint DIR</c> (default $HYPERDRIVE_CHECKPOINT_DIR; none:
/// no checkpoints), <c>--data CSV</c> with <c>--label COLUMN</c> (default: the bundled digits), <c>--threads N</c>
/// (default: libtorch's) and <c>--seed N</c> (default 1).
/// </summary>
public sealed record MlpOptions
{
    public const int DefaultSeed = 1;

    public required string ConfigPath { get; init; }

    public required string OutputDirectory { get; init; }

    public string? CheckpointDirectory { get; init; }

    public string? Data { get; init; }

    public string? Label { get; init; }

    public int? Threads { get; init; }

    public long Seed { get; init; } = DefaultSeed;

    public static MlpOptions Parse(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(environment);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        string[] known = ["--config", "--output", "--checkpoint", "--data", "--label", "--threads", "--seed"];
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (!known.Contains(name))
            {
                throw new MlpInputException($"unknown argument {name}; expected {string.Join(", ", known)}");
            }

            if (i + 1 >= args.Count)
            {
                throw new MlpInputException($"{name} needs a value");
            }

            values[name] = args[++i];
        }

        string? Value(string name) => values.TryGetValue(name, out var v) ? v : null;
        var data = Value("--data");
        var label = Value("--label");
        if (data is not null && string.IsNullOrWhiteSpace(label))
        {
            throw new MlpInputException($"data = {data} needs label, the name of its label column");
        }

        if (data is null && label is not null)
        {
            throw new MlpInputException($"label = {label} is given without data (the bundled digits have their own label)");
        }

        return new MlpOptions
        {
            ConfigPath = Value("--config") ?? environment("HYPERDRIVE_CONFIG") ?? "config.json",
            OutputDirectory = Value("--output") ?? environment("HYPERDRIVE_OUTPUT_DIR") ?? "outputs",
            CheckpointDirectory = Value("--checkpoint") ?? NonEmpty(environment("HYPERDRIVE_CHECKPOINT_DIR")),
            Data = data,
            Label = label,
            Threads = Value("--threads") is { } threads ? Integer("threads", threads, 1) : null,
            Seed = Value("--seed") is { } seed ? Integer("seed", seed, 0) : DefaultSeed,
        };
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static int Integer(string name, string text, int minimum) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= minimum
            ? value
            : throw new MlpInputException(string.Create(CultureInfo.InvariantCulture, $"{name} must be an integer >= {minimum}, got {text}"));
}
