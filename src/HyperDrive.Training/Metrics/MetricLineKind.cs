namespace HyperDrive.Training.Metrics;

public enum MetricLineKind
{
    /// <summary>An ordinary log line.</summary>
    Log,

    /// <summary>A well-formed <c>hyperdrive:</c> line.</summary>
    Metric,

    /// <summary>A <c>hyperdrive:</c> line that cannot be used; <see cref="ParsedMetricLine.Error"/> says why.</summary>
    Malformed,
}
