using System.Collections.Immutable;
using System.Globalization;
using HyperDrive.Core.Parameters;
using HyperDrive.Core.Specs;

namespace HyperDrive.Training.Builtins.Mlp;

/// <summary>
/// <c>trial.builtin_options</c> of the <c>mlp</c> trainer: <c>data</c> (a CSV with a header, resolved against the sweep
/// file's folder; the bundled digits when absent), <c>label</c> (its label column), <c>threads</c> (libtorch's
/// intra-op threads; default libtorch's own) and <c>seed</c> (default 1). Any other key is refused by name.
/// </summary>
public sealed record MlpRunnerOptions
{
    public static readonly ImmutableArray<string> Keys = SpecVocabulary.BuiltinOptions["mlp"];

    public string? Data { get; init; }

    public string? Label { get; init; }

    public int? Threads { get; init; }

    public long? Seed { get; init; }

    /// <exception cref="FormatException">An unknown key or a bad value; the message names it.</exception>
    public static MlpRunnerOptions Read(MapValue options, string specDirectory)
    {
        ArgumentNullException.ThrowIfNull(options);
        var unknown = options.Entries.Select(e => e.Key).Where(k => !Keys.Contains(k)).ToList();
        if (unknown.Count > 0)
        {
            throw new FormatException($"mlp: unknown builtin_options {string.Join(", ", unknown)}; expected {string.Join(", ", Keys)}");
        }

        var data = Text(options["data"], "data");
        var label = Text(options["label"], "label");
        if (data is not null && label is null)
        {
            throw new FormatException($"mlp: builtin_options.data = {data} needs builtin_options.label, the name of its label column");
        }

        if (data is null && label is not null)
        {
            throw new FormatException($"mlp: builtin_options.label = {label} is given without builtin_options.data (the bundled digits have their own label)");
        }

        return new MlpRunnerOptions
        {
            Data = data is null ? null : Path.GetFullPath(Path.Combine(specDirectory, data)),
            Label = label,
            Threads = Integer(options["threads"], "threads", 1),
            Seed = Integer(options["seed"], "seed", 0),
        };
    }

    /// <summary>The trainer's arguments for these options (after the trainer's path).</summary>
    public ImmutableArray<string> Arguments()
    {
        var arguments = ImmutableArray.CreateBuilder<string>();
        if (Data is not null)
        {
            arguments.AddRange("--data", Data, "--label", Label!);
        }

        if (Threads is { } threads)
        {
            arguments.AddRange("--threads", threads.ToString(CultureInfo.InvariantCulture));
        }

        if (Seed is { } seed)
        {
            arguments.AddRange("--seed", seed.ToString(CultureInfo.InvariantCulture));
        }

        return arguments.ToImmutable();
    }

    private static int? Integer(ParameterValue? value, string name, int minimum) => value switch
    {
        null or NullValue => null,
        IntegerValue i when i.Value >= minimum && i.Value <= int.MaxValue => (int)i.Value,
        _ => throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"mlp: builtin_options.{name} must be an integer >= {minimum}, got {value}")),
    };

    private static string? Text(ParameterValue? value, string name) => value switch
    {
        null or NullValue => null,
        TextValue t when t.Value.Trim().Length > 0 => t.Value.Trim(),
        _ => throw new FormatException($"mlp: builtin_options.{name} must be a non-empty text, got {value}"),
    };
}
