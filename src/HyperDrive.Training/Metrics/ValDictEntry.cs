using System.Collections.Immutable;

namespace HyperDrive.Training.Metrics;

/// <summary>One entry of <c>val_dict_list.json</c>: its <c>step</c>/<c>steps</c> (null when absent) and its metrics.</summary>
public sealed record ValDictEntry(int? Step, ImmutableDictionary<string, double> Metrics);
