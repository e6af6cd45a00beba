using System.Collections.Immutable;

namespace HyperDrive.Training.Runners;

/// <summary>The metrics of one interval: <c>epoch</c>/<c>step</c> when the trial gave one, else the next interval number.</summary>
public sealed record IntervalReport(int Interval, ImmutableDictionary<string, double> Metrics);
