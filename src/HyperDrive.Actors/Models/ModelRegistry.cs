using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using HyperDrive.Actors.Artifacts;
using HyperDrive.Actors.Sweeps;
using HyperDrive.Actors.Trials;
using HyperDrive.Core.History;
using HyperDrive.Core.Specs;

namespace HyperDrive.Actors.Models;

/// <summary>
/// Registered models under <c>{data}/models/NAME/VERSION/</c>: <c>model.json</c> (<see cref="ModelVersionJson"/>) and
/// <c>outputs/</c>, a copy of the trial's outputs. Versions count from 1. A version appears whole or not at all: it is
/// written in a hidden staging folder and renamed into place.
/// </summary>
public sealed class ModelRegistry
{
    public const string MetadataFile = "model.json";
    public const string OutputsFolder = "outputs";

    private readonly string _dataDirectory;
    private readonly IArtifactStore _store;
    private readonly TimeProvider _time;

    /// <param name="store">Where a trial's outputs are read from when its folder is not on this machine (a cluster's workers upload them).</param>
    public ModelRegistry(string dataDirectory, IArtifactStore store, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        ArgumentNullException.ThrowIfNull(store);
        _dataDirectory = Path.GetFullPath(dataDirectory);
        _store = store;
        _time = time ?? TimeProvider.System;
    }

    public string Root => Path.Combine(_dataDirectory, "models");

    /// <summary>The folder of a version.</summary>
    /// <exception cref="ArgumentException">The name is not valid (<see cref="ModelNames"/>).</exception>
    public string VersionFolder(string model, int version)
    {
        ModelNames.Validate(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(version, 1);
        return Path.Combine(Root, model, version.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>The names of the registered models (with at least one version), in ordinal order.</summary>
    public IReadOnlyList<string> Models() =>
        !Directory.Exists(Root)
            ? []
            : Directory.EnumerateDirectories(Root)
                .Select(Path.GetFileName)
                .OfType<string>()
                .Where(n => ModelNames.Problem(n) is null && Versions(n).Count > 0)
                .Order(StringComparer.Ordinal)
                .ToList();

    /// <summary>The versions of <paramref name="model"/>, oldest first; empty when it has none.</summary>
    public IReadOnlyList<ModelVersion> Versions(string model)
    {
        ModelNames.Validate(model);
        var folder = Path.Combine(Root, model);
        if (!Directory.Exists(folder))
        {
            return [];
        }

        var versions = new List<ModelVersion>();
        foreach (var child in Directory.EnumerateDirectories(folder))
        {
            if (ParseVersion(Path.GetFileName(child)) is { } number && Read(Path.Combine(child, MetadataFile)) is { } version && version.Version == number)
            {
                versions.Add(version);
            }
        }

        return [.. versions.OrderBy(v => v.Version)];
    }

    public ModelVersion? Latest(string model) => Versions(model).LastOrDefault();

    public ModelVersion? Find(string model, int version) => Versions(model).FirstOrDefault(v => v.Version == version);

    /// <summary>
    /// Registers the best trial of an ended sweep as the next version of <paramref name="spec"/>'s model: the best
    /// final primary metric among completed trials. Nothing is written when the sweep did not complete (a canceled
    /// one included), when no completed trial reported the primary metric, when this sweep already registered a
    /// version of the model, or, with <c>only_if_better</c>, when the latest version is at least as good under the
    /// same primary metric and goal (a champion measured otherwise cannot be compared: the new version is registered
    /// and the message says so).
    /// </summary>
    /// <exception cref="ArgumentException">The model name is not valid.</exception>
    public async Task<ModelRegistration> RegisterBestAsync(SweepState state, RegisterBestSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(spec);
        ModelNames.Validate(spec.Model);
        var model = spec.Model;
        var objective = state.History.Objective;
        if (state.Status != SweepStatus.Completed)
        {
            return new(RegistrationOutcome.SweepNotCompleted,
                $"Model '{model}': nothing registered, sweep {state.SweepId} did not complete ({SweepJson.StateName(state).ToLowerInvariant()})", null);
        }

        var best = SweepQueries.SortedByPrimary(state)
            .FirstOrDefault(t => t.Status == TrialStatus.Completed && SweepQueries.Primary(state, t) is not null);
        if (best is null)
        {
            return new(RegistrationOutcome.NoSuccessfulTrial,
                $"Model '{model}': nothing registered, no completed trial of {state.SweepId} reported the primary metric '{objective.PrimaryMetric}'", null);
        }

        var value = SweepQueries.Primary(state, best)!.Value;
        var versions = Versions(model);
        if (versions.FirstOrDefault(v => v.SweepId == state.SweepId) is { } already)
        {
            return new(RegistrationOutcome.AlreadyRegistered,
                $"Model '{model}': sweep {state.SweepId} already registered version {already.Version} (trial {already.Trial}); nothing registered", already);
        }

        var champion = versions.LastOrDefault();
        var note = "";
        if (champion is not null && spec.OnlyIfBetter)
        {
            if (champion.PrimaryMetric == objective.PrimaryMetric && champion.Goal == objective.Goal)
            {
                var better = objective.Goal == Goal.Maximize ? value > champion.Value : value < champion.Value;
                if (!better)
                {
                    return new(RegistrationOutcome.KeptChampion,
                        $"Model '{model}': kept version {champion.Version} ({objective.PrimaryMetric} {Format(champion.Value)}); " +
                        $"the best trial {best.Number} of {state.SweepId} ({Format(value)}) does not beat it ({ModelVersionJson.GoalName(objective.Goal)})", champion);
                }

                note = $", beating version {champion.Version} ({Format(champion.Value)})";
            }
            else
            {
                note = $"; not compared with version {champion.Version}, measured by {champion.PrimaryMetric} ({ModelVersionJson.GoalName(champion.Goal)})";
            }
        }

        var written = await WriteVersionAsync(state, best, value, champion?.Version ?? 0, cancellationToken).ConfigureAwait(false);
        return new(RegistrationOutcome.Registered,
            $"Model '{model}': registered version {written.Version} from trial {best.Number} of {state.SweepId} " +
            $"({objective.PrimaryMetric} {Format(value)}, {written.Files.Length} file(s)){note}", written);

        async Task<ModelVersion> WriteVersionAsync(SweepState sweep, TrialView trial, double primary, int latest, CancellationToken token)
        {
            var modelFolder = Path.Combine(Root, model);
            Directory.CreateDirectory(modelFolder);
            var staging = Path.Combine(modelFolder, ".staging-" + Guid.NewGuid().ToString("N")[..12]);
            try
            {
                var files = await CopyOutputsAsync(sweep.SweepId, trial, Path.Combine(staging, OutputsFolder), token).ConfigureAwait(false);
                using var parameters = JsonDocument.Parse(trial.Parameters.ToJson());
                var version = new ModelVersion
                {
                    Model = model,
                    Version = latest + 1,
                    SweepId = sweep.SweepId,
                    Trial = trial.Number,
                    Attempt = trial.Attempt,
                    Parameters = parameters.RootElement.Clone(),
                    Metrics = trial.FinalMetrics,
                    PrimaryMetric = objective.PrimaryMetric,
                    Goal = objective.Goal,
                    Value = primary,
                    Created = _time.GetUtcNow(),
                    Files = files,
                };

                // Another process may take a number between our read and our rename: the rename fails, try the next.
                for (var tries = 0; ; tries++)
                {
                    await File.WriteAllTextAsync(Path.Combine(staging, MetadataFile), ModelVersionJson.ToJson(version), token).ConfigureAwait(false);
                    var target = VersionFolder(model, version.Version);
                    if (!Directory.Exists(target))
                    {
                        try
                        {
                            Directory.Move(staging, target);
                            return version;
                        }
                        catch (IOException) when (Directory.Exists(target) && tries < 100)
                        {
                        }
                    }

                    version = version with { Version = version.Version + 1 };
                }
            }
            finally
            {
                if (Directory.Exists(staging))
                {
                    Directory.Delete(staging, recursive: true);
                }
            }
        }
    }

    /// <summary>
    /// Copies the trial's outputs into <paramref name="destination"/>: from its folder when it ran on this machine
    /// (symbolic links skipped, never followed), else from the artifact store (which refuses keys that would leave
    /// the folder). Returns the relative paths, '/'-separated, in ordinal order.
    /// </summary>
    private async Task<ImmutableArray<string>> CopyOutputsAsync(string sweepId, TrialView trial, string destination, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(destination);
        var local = Path.Combine(TrialFolders.Attempt(_dataDirectory, sweepId, trial.Number, trial.Attempt), "work", "outputs");
        if (Directory.Exists(local) && Directory.EnumerateFileSystemEntries(local).Any())
        {
            var copied = new List<string>();
            CopyFolder(new DirectoryInfo(local), destination, "", copied);
            return [.. copied.Order(StringComparer.Ordinal)];
        }

        var prefix = ArtifactKeys.Outputs(sweepId, trial.Number, trial.Attempt);
        var downloaded = await ArtifactFolders.DownloadFolderAsync(_store, prefix, destination, cancellationToken).ConfigureAwait(false);
        return [.. downloaded.Select(d => d.Key[prefix.Length..]).Order(StringComparer.Ordinal)];
    }

    private static void CopyFolder(DirectoryInfo source, string destination, string relative, List<string> copied)
    {
        foreach (var entry in source.EnumerateFileSystemInfos())
        {
            if (entry.LinkTarget is not null)
            {
                continue;
            }

            if (entry is DirectoryInfo folder)
            {
                Directory.CreateDirectory(Path.Combine(destination, entry.Name));
                CopyFolder(folder, Path.Combine(destination, entry.Name), relative + entry.Name + "/", copied);
            }
            else if (entry is FileInfo file)
            {
                file.CopyTo(Path.Combine(destination, entry.Name));
                copied.Add(relative + entry.Name);
            }
        }
    }

    private static ModelVersion? Read(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            return ModelVersionJson.Read(document.RootElement);
        }
        catch (JsonException)
        {
            return null; // a damaged model.json hides its version rather than breaking every listing
        }
    }

    private static int? ParseVersion(string? name) =>
        int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 && n.ToString(CultureInfo.InvariantCulture) == name ? n : null;

    private static string Format(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}
