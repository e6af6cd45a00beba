using System.Collections.Immutable;

namespace HyperDrive.Training.Metrics;

/// <summary>
/// What one line of a trial's standard output says. For a metric line, <see cref="Interval"/> is its <c>epoch</c>
/// or <c>step</c> (null when it gave none) and <see cref="Metrics"/> holds the other pairs.
/// </summary>
public sealed record ParsedMetricLine
{
    public static readonly ParsedMetricLine Log = new() { Kind = MetricLineKind.Log };

    public MetricLineKind Kind { get; private init; }

    public int? Interval { get; private init; }

    public ImmutableDictionary<string, double> Metrics { get; private init; } = ImmutableDictionary<string, double>.Empty;

    public string? Error { get; private init; }

    public static ParsedMetricLine Metric(int? interval, ImmutableDictionary<string, double> metrics) =>
        new() { Kind = MetricLineKind.Metric, Interval = interval, Metrics = metrics };

    public static ParsedMetricLine Malformed(string error) => new() { Kind = MetricLineKind.Malformed, Error = error };
}
