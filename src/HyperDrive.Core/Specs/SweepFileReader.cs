using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;
using HyperDrive.Core.Parameters;
using HyperDrive.Core.Specs.Yaml;

namespace HyperDrive.Core.Specs;

/// <summary>
/// The work of <see cref="SweepSpecReader"/> for one file: walks the node tree section by section and
/// collects every diagnostic (it never stops at the first error). Helpers read typed values and report
/// wrong types as "expects X, got Y" at the node's path and position.
/// </summary>
internal sealed partial class SweepFileReader
{
    private readonly List<SpecDiagnostic> _diagnostics;
    private readonly SpecReaderOptions _options;
    private string _baseDirectory;
    private string? _fileLabel;

    public SweepFileReader(List<SpecDiagnostic> diagnostics, SpecReaderOptions options, string baseDirectory)
    {
        _diagnostics = diagnostics;
        _options = options;
        _baseDirectory = baseDirectory;
    }

    private bool HasErrors => _diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error);

    internal static string Join(string path, string key) => path.Length == 0 ? key : path + "." + key;

    private void Error(YNode? node, string path, string message) =>
        _diagnostics.Add(SpecDiagnostic.Error(path, Label(message), node?.Line, node?.Column));

    private void Warning(YNode? node, string path, string message) =>
        _diagnostics.Add(SpecDiagnostic.Warning(path, Label(message), node?.Line, node?.Column));

    private string Label(string message) => _fileLabel is null ? message : $"{message} (in {_fileLabel})";

    private static bool IsAbsent(YNode? node) => node is null || node is YScalar { IsNull: true };

    /// <summary>A mapping, or null when absent (a null value counts as absent) or of another kind (error).</summary>
    private YMapping? Mapping(YNode? node, string path, string what = "a mapping")
    {
        switch (node)
        {
            case null:
                return null;
            case YMapping map:
                return map;
            case YScalar { IsNull: true }:
                return null;
            default:
                Error(node, path, $"expects {what}, got {node.Describe()}");
                return null;
        }
    }

    private void CheckKeys(YMapping map, string path, IEnumerable<string> known, string? section = null)
    {
        var list = known as IReadOnlyCollection<string> ?? [.. known];
        foreach (var (key, _) in map.Entries)
        {
            if (list.Contains(key.Value))
            {
                continue;
            }

            var where = section ?? (path.Length == 0 ? "the top level" : path);
            var suggestion = SpecVocabulary.Suggest(key.Value, list);
            var hint = suggestion is null ? $"; known keys: {string.Join(", ", list)}" : $"; did you mean '{suggestion}'?";
            Error(key, Join(path, key.Value), $"unknown key '{key.Value}' in {where}{hint}");
        }
    }

    private string? Text(YNode? node, string path)
    {
        switch (node)
        {
            case null:
                return null;
            case YScalar { IsNull: true }:
                return null;
            case YScalar s:
                return s.Value;
            default:
                Error(node, path, $"expects a string, got {node.Describe()}");
                return null;
        }
    }

    private string? RequiredText(YMapping? map, YNode? parent, string path, string key)
    {
        var node = map?[key];
        var text = Text(node, Join(path, key));
        if (node is null || (text is null && node is YScalar) || (text is not null && text.Trim().Length == 0))
        {
            Error(node ?? parent, Join(path, key), $"{key} is required");
            return null;
        }

        return text;
    }

    private long? Integer(YNode? node, string path)
    {
        if (IsAbsent(node))
        {
            return null;
        }

        if (node is YScalar s)
        {
            if (s.AsInteger() is { } i)
            {
                return i;
            }

            if (s.AsDouble() is { } d && double.IsFinite(d) && Math.Floor(d) == d && Math.Abs(d) < 9e15)
            {
                return (long)d;
            }
        }

        Error(node, path, $"expects an integer, got {node!.Describe()}");
        return null;
    }

    private int? PositiveInt(YNode? node, string path, long min = 1)
    {
        var value = Integer(node, path);
        if (value is null)
        {
            return null;
        }

        if (value < min || value > int.MaxValue)
        {
            Error(node, path, min == 1
                ? $"expects a positive integer, got {value}"
                : $"expects an integer of at least {min}, got {value}");
            return null;
        }

        return (int)value;
    }

    private double? Number(YNode? node, string path)
    {
        if (IsAbsent(node))
        {
            return null;
        }

        if (node is YScalar s && s.AsDouble() is { } d)
        {
            if (!double.IsFinite(d))
            {
                Error(node, path, $"expects a finite number, got {s.Describe()}");
                return null;
            }

            return d;
        }

        Error(node, path, $"expects a number, got {node!.Describe()}");
        return null;
    }

    private bool? Bool(YNode? node, string path)
    {
        if (IsAbsent(node))
        {
            return null;
        }

        if (node is YScalar s && s.AsBool() is { } b)
        {
            return b;
        }

        Error(node, path, $"expects true or false, got {node!.Describe()}");
        return null;
    }

    /// <summary>Seconds: a number, or a string with a unit (<c>90s</c>, <c>30m</c>, <c>2h</c>, <c>1d</c>); must be positive.</summary>
    private double? Seconds(YNode? node, string path)
    {
        if (IsAbsent(node))
        {
            return null;
        }

        double? seconds = null;
        if (node is YScalar s)
        {
            seconds = s.AsDouble();
            var m = DurationPattern().Match(s.Value.Trim());
            if (seconds is null && m.Success)
            {
                var unit = m.Groups[2].Value switch { "s" => 1, "m" => 60, "h" => 3600, _ => 86400 };
                seconds = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) * unit;
            }
        }

        if (seconds is not { } v || !double.IsFinite(v))
        {
            Error(node, path, $"expects a number of seconds (or 30m, 2h), got {node!.Describe()}");
            return null;
        }

        if (v <= 0)
        {
            Error(node, path, $"expects a positive number of seconds, got {((YScalar)node!).Value}");
            return null;
        }

        return v;
    }

    private ImmutableDictionary<string, string> StringMap(YNode? node, string path)
    {
        var map = Mapping(node, path);
        if (map is null)
        {
            return ImmutableDictionary<string, string>.Empty;
        }

        var builder = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in map.Entries)
        {
            if (value is YScalar s)
            {
                builder[key.Value] = s.IsNull ? "" : s.Value;
            }
            else
            {
                Error(value, Join(path, key.Value), $"expects a string, number or boolean, got {value.Describe()}");
            }
        }

        return builder.ToImmutable();
    }

    /// <summary>Any node as a value: scalars typed by the YAML core schema, mappings and lists kept as such.</summary>
    private static ParameterValue ToValue(YNode node) => node switch
    {
        YScalar s => s.ToValue(),
        YSequence seq => new ListValue([.. seq.Items.Select(ToValue)]),
        YMapping map => new MapValue([.. map.Entries.Select(e => KeyValuePair.Create(e.Key.Value, ToValue(e.Value)))]),
        _ => NullValue.Instance,
    };

    private static bool IsRemote(string text) =>
        text.StartsWith("azureml:", StringComparison.OrdinalIgnoreCase)
        || (!text.StartsWith("file:", StringComparison.OrdinalIgnoreCase) && RemoteUriPattern().IsMatch(text));

    private string ResolvePath(string text)
    {
        var local = text.StartsWith("file:", StringComparison.OrdinalIgnoreCase) ? text[5..] : text;
        if (local.StartsWith("//", StringComparison.Ordinal))
        {
            local = local[2..];
        }

        return Path.GetFullPath(Path.Combine(_baseDirectory, local));
    }

    [GeneratedRegex(@"^([0-9]+(?:\.[0-9]+)?)\s*(s|m|h|d)$")]
    private static partial Regex DurationPattern();

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9+.\-]*://")]
    private static partial Regex RemoteUriPattern();
}
