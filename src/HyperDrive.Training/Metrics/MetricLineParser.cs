using System.Collections.Immutable;
using System.Globalization;

namespace HyperDrive.Training.Metrics;

/// <summary>
/// Parses the metric lines of the trial protocol (DESIGN §4): <c>hyperdrive: accuracy=0.913 loss=0.31 epoch=3</c>.
/// The first whitespace-separated token is exactly <c>hyperdrive:</c>; then <c>name=value</c> pairs with values in
/// invariant culture. <c>step</c> (or else <c>epoch</c>) is the interval, an integer ≥ 1, and is not a metric.
/// A line with any bad pair is rejected whole, so that an interval is never reported with some of its metrics missing.
/// </summary>
public static class MetricLineParser
{
    public const string Prefix = "hyperdrive:";

    private static readonly char[] Whitespace = [' ', '\t', '\r', '\n', '\v', '\f'];

    /// <summary>True when the line is meant as a metric line (it starts with <c>hyperdrive:</c>, after any indentation).</summary>
    public static bool LooksLikeMetricLine(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        return line.AsSpan().TrimStart(Whitespace).StartsWith(Prefix, StringComparison.Ordinal);
    }

    /// <param name="line">The line, without its line terminator.</param>
    /// <param name="lineNumber">1-based, for error messages.</param>
    public static ParsedMetricLine Parse(string line, int lineNumber)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (!LooksLikeMetricLine(line))
        {
            return ParsedMetricLine.Log;
        }

        var tokens = line.Split(Whitespace, StringSplitOptions.RemoveEmptyEntries);
        if (tokens[0] != Prefix)
        {
            return Malformed(lineNumber, $"'{Shorten(tokens[0])}': expected a space after '{Prefix}'");
        }

        if (tokens.Length == 1)
        {
            return Malformed(lineNumber, "no name=value pairs after 'hyperdrive:'");
        }

        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var token in tokens.AsSpan(1))
        {
            var equals = token.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0)
            {
                return Malformed(lineNumber, $"'{Shorten(token)}' is not a name=value pair");
            }

            var name = token[..equals];
            var text = token[(equals + 1)..];
            if (name.Length == 0)
            {
                return Malformed(lineNumber, $"'{Shorten(token)}' has an empty name");
            }

            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                return Malformed(lineNumber, $"'{Shorten(token)}': '{Shorten(text)}' is not a number");
            }

            if (!double.IsFinite(value))
            {
                return Malformed(lineNumber, $"'{Shorten(token)}': the value is not finite");
            }

            if (!values.TryAdd(name, value))
            {
                return Malformed(lineNumber, $"'{Shorten(token)}': '{Shorten(name)}' appears twice");
            }
        }

        var key = values.ContainsKey("step") ? "step" : values.ContainsKey("epoch") ? "epoch" : null;
        int? interval = null;
        if (key is not null)
        {
            var raw = values[key];
            if (raw < 1 || raw > int.MaxValue || raw != Math.Floor(raw))
            {
                return Malformed(lineNumber, $"'{key}={raw.ToString(CultureInfo.InvariantCulture)}': the interval must be an integer ≥ 1");
            }

            interval = (int)raw;
            values.Remove(key);
        }

        if (values.Count == 0)
        {
            return Malformed(lineNumber, $"only '{key}' and no metric");
        }

        return ParsedMetricLine.Metric(interval, values.ToImmutableDictionary(StringComparer.Ordinal));
    }

    private static ParsedMetricLine Malformed(int lineNumber, string reason) =>
        ParsedMetricLine.Malformed($"line {lineNumber.ToString(CultureInfo.InvariantCulture)}: {reason}");

    private static string Shorten(string text) => text.Length <= 80 ? text : string.Concat(text.AsSpan(0, 77), "...");
}
