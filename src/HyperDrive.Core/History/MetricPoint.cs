namespace HyperDrive.Core.History;

/// <summary>The primary metric's value at one interval (1-based) of a trial.</summary>
public readonly record struct MetricPoint(int Interval, double Value);
