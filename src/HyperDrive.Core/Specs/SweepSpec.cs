using System.Collections.Immutable;
using HyperDrive.Core.History;
using HyperDrive.Core.Spaces;

namespace HyperDrive.Core.Specs;

/// <summary>A sweep file, read and validated (DESIGN §3). Built only by <see cref="SweepSpecReader"/>.</summary>
public sealed record SweepSpec
{
    public string? Name { get; init; }

    public string? DisplayName { get; init; }

    public string? ExperimentName { get; init; }

    public string? Description { get; init; }

    public ImmutableDictionary<string, string> Tags { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>Azure's <c>properties</c>: kept as written.</summary>
    public ImmutableDictionary<string, string> Properties { get; init; } = ImmutableDictionary<string, string>.Empty;

    public required TrialSpec Trial { get; init; }

    public required SamplingSpec Sampling { get; init; }

    public required SearchSpace SearchSpace { get; init; }

    public required Objective Objective { get; init; }

    /// <summary>The early-termination policy, or null for none (every trial runs to completion).</summary>
    public TerminationSpec? EarlyTermination { get; init; }

    public LimitsSpec Limits { get; init; } = new();

    /// <summary>Earlier sweeps whose results warm-start this one (<c>resume_from</c>).</summary>
    public ImmutableArray<string> ResumeFrom { get; init; } = [];

    public RegisterBestSpec? RegisterBest { get; init; }

    /// <summary>Local inputs (<c>${{inputs.NAME}}</c>): a literal value or a path resolved against the file's folder.</summary>
    public ImmutableArray<InputSpec> Inputs { get; init; } = [];

    /// <summary>Named outputs: folders under the trial's output folder (<c>${{outputs.NAME}}</c>).</summary>
    public ImmutableArray<string> Outputs { get; init; } = [];

    /// <summary>The folder relative paths in the file are resolved against.</summary>
    public string BaseDirectory { get; init; } = ".";

    /// <summary>The file the spec was read from, when it came from a file.</summary>
    public string? SourceFile { get; init; }
}
