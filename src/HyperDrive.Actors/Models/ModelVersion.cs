using System.Collections.Immutable;
using System.Text.Json;
using HyperDrive.Core.History;

namespace HyperDrive.Actors.Models;

/// <summary>
/// One registered version of a model: what its <c>model.json</c> says. <see cref="Files"/> are the trial's outputs,
/// relative to the version's <c>outputs/</c> folder, in ordinal order (empty when the trial saved none).
/// </summary>
public sealed record ModelVersion
{
    public required string Model { get; init; }

    public required int Version { get; init; }

    public required string SweepId { get; init; }

    public required int Trial { get; init; }

    public required int Attempt { get; init; }

    /// <summary>The trial's parameters as JSON (an object).</summary>
    public required JsonElement Parameters { get; init; }

    public required ImmutableSortedDictionary<string, double> Metrics { get; init; }

    public required string PrimaryMetric { get; init; }

    public required Goal Goal { get; init; }

    public required double Value { get; init; }

    public required DateTimeOffset Created { get; init; }

    public required ImmutableArray<string> Files { get; init; }
}
