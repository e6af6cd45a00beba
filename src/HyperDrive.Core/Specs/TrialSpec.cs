using System.Collections.Immutable;
using HyperDrive.Core.Parameters;

namespace HyperDrive.Core.Specs;

/// <summary>
/// What each trial runs: a command (or several <see cref="Steps"/>) with placeholders, or a built-in trainer.
/// Commands are kept as written; they are split into an argument vector before substitution (DESIGN §4).
/// Placeholders are normalized to <c>${{search_space.x}}</c> / <c>${{inputs.x}}</c> form by the reader.
/// </summary>
public sealed record TrialSpec
{
    public string? Command { get; init; }

    /// <summary>Commands run in order in the same trial folder (<c>trial.steps</c>); empty for a single command.</summary>
    public ImmutableArray<string> Steps { get; init; } = [];

    /// <summary>The code folder or file snapshotted into each trial's folder, resolved to a local path; null for none.</summary>
    public string? Code { get; init; }

    /// <summary><c>trial.args: auto</c>: append <c>--NAME VALUE</c> for every parameter.</summary>
    public bool ArgsAuto { get; init; }

    public ImmutableDictionary<string, string> EnvironmentVariables { get; init; } = ImmutableDictionary<string, string>.Empty;

    public ResourcesSpec Resources { get; init; } = new();

    /// <summary>Seconds per trial (<c>trial.timeout</c>, or <c>limits.trial_timeout</c>); null for none.</summary>
    public double? TimeoutSeconds { get; init; }

    /// <summary>A built-in trainer (<c>fictitious</c>, <c>ridge</c>, <c>mlp</c>) instead of a command.</summary>
    public string? Builtin { get; init; }

    public MapValue BuiltinOptions { get; init; } = new([]);

    /// <summary>How many times a trial that fails on its own is retried (<c>trial.retries</c>, default 0).</summary>
    public int Retries { get; init; }

    /// <summary>Compatibility mode for scripts written for another system (<c>trial.compat: wmla</c>).</summary>
    public string? Compat { get; init; }
}
