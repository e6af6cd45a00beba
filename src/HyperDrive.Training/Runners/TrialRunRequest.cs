using System.Collections.Immutable;
using HyperDrive.Core.Parameters;
using HyperDrive.Core.Specs;

namespace HyperDrive.Training.Runners;

/// <summary>
/// Everything a runner needs for one attempt of one trial. The engine decides the folders:
/// <see cref="WorkDirectory"/> is fresh for each attempt (the code snapshot, config.json, outputs/),
/// <see cref="CheckpointDirectory"/> is kept across attempts of the same trial.
/// </summary>
public sealed record TrialRunRequest
{
    public required string SweepId { get; init; }

    /// <summary>1-based trial number.</summary>
    public required int TrialNumber { get; init; }

    /// <summary>1-based attempt; a restarted trial gets attempt + 1.</summary>
    public required int Attempt { get; init; }

    public required ParameterSet Parameters { get; init; }

    public required TrialSpec Trial { get; init; }

    /// <summary>The sweep file's folder: relative <c>code</c> and input paths resolve against it.</summary>
    public required string SpecDirectory { get; init; }

    /// <summary>The attempt's working directory (created by the runner if missing).</summary>
    public required string WorkDirectory { get; init; }

    /// <summary>Where the trial saves outputs (HYPERDRIVE_OUTPUT_DIR, RESULT_DIR); by default WorkDirectory/outputs.</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>Kept across restarts of the same trial (HYPERDRIVE_CHECKPOINT_DIR).</summary>
    public required string CheckpointDirectory { get; init; }

    /// <summary>The attempt's log file (stdout and stderr, bounded in size).</summary>
    public required string LogFile { get; init; }

    /// <summary>GPU indices of the trial's slot (CUDA_VISIBLE_DEVICES); empty runs on the CPU.</summary>
    public ImmutableArray<int> GpuDevices { get; init; } = [];

    /// <summary>Local inputs by name (<c>${{inputs.NAME}}</c>): a path or a literal, already resolved.</summary>
    public ImmutableDictionary<string, string> Inputs { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>Seconds before the attempt is canceled as timed out; null for none.</summary>
    public double? TimeoutSeconds { get; init; }

    /// <summary>Folders the code snapshot never copies (the engine's data folder, when it lies inside the code folder).</summary>
    public ImmutableArray<string> SnapshotExclusions { get; init; } = [];

    /// <summary>Time between SIGTERM and SIGKILL when a trial is stopped.</summary>
    public TimeSpan StopGracePeriod { get; init; } = TimeSpan.FromSeconds(10);
}
