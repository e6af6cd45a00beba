using System.Collections.Immutable;
using HyperDrive.Core.Specs;
using HyperDrive.Training.Runners;

namespace HyperDrive.Actors.Trials;

/// <summary>
/// Where a trial's files live under the data folder: <c>sweeps/SWEEP/trials/N/</c> holds <c>checkpoints/</c>
/// (kept across attempts) and one folder per attempt, <c>attempt-K/</c>, with the working copy, <c>outputs/</c>
/// and <c>trial.log</c>.
/// </summary>
public static class TrialFolders
{
    public static string Trial(string dataDirectory, string sweepId, int trialNumber) =>
        Path.Combine(dataDirectory, "sweeps", sweepId, "trials", trialNumber.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public static string Attempt(string dataDirectory, string sweepId, int trialNumber, int attempt) =>
        Path.Combine(Trial(dataDirectory, sweepId, trialNumber), "attempt-" + attempt.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public static string Log(string dataDirectory, string sweepId, int trialNumber, int attempt) =>
        Path.Combine(Attempt(dataDirectory, sweepId, trialNumber, attempt), "trial.log");

    public static TrialRunRequest Request(StartTrial start, SweepSpec spec)
    {
        var attempt = Attempt(start.DataDirectory, start.SweepId, start.TrialNumber, start.Attempt);
        var work = Path.Combine(attempt, "work");
        return new TrialRunRequest
        {
            SweepId = start.SweepId,
            TrialNumber = start.TrialNumber,
            Attempt = start.Attempt,
            Parameters = start.Parameters,
            Trial = spec.Trial,
            SpecDirectory = start.SpecDirectory,
            WorkDirectory = work,
            OutputDirectory = Path.Combine(work, "outputs"),
            CheckpointDirectory = Path.Combine(Trial(start.DataDirectory, start.SweepId, start.TrialNumber), "checkpoints"),
            LogFile = Path.Combine(attempt, "trial.log"),
            SnapshotExclusions = [start.DataDirectory],
            GpuDevices = start.GpuDevices.IsDefault ? [] : start.GpuDevices,
            TimeoutSeconds = spec.Trial.TimeoutSeconds ?? spec.Limits.TrialTimeoutSeconds,
            Inputs = spec.Inputs.ToDictionary(i => i.Name, i => i.Path ?? i.Value?.ToInvariantString() ?? "")
                .ToImmutableDictionary(),
        };
    }
}
