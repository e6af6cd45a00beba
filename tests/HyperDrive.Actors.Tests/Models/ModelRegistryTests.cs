using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using HyperDrive.Actors.Artifacts;
using HyperDrive.Actors.Models;
using HyperDrive.Actors.Sweeps;
using HyperDrive.Actors.Trials;
using HyperDrive.Core.History;
using HyperDrive.Core.Parameters;
using HyperDrive.Core.Specs;

namespace HyperDrive.Actors.Tests.Models;

public sealed class ModelRegistryTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 3, 4, 5, 6, 7, TimeSpan.Zero);
    private static readonly RegisterBestSpec OnlyIfBetter = new("digits", OnlyIfBetter: true);

    private readonly string _data = Path.Combine(Path.GetTempPath(), "hyperdrive-models-" + Guid.NewGuid().ToString("N")[..10]);
    private readonly FileArtifactStore _store;
    private readonly ModelRegistry _registry;

    public ModelRegistryTests()
    {
        Directory.CreateDirectory(_data);
        _store = new FileArtifactStore(Path.Combine(_data, "artifacts"));
        _registry = new ModelRegistry(_data, _store, new FixedTime(At));
    }

    public void Dispose() => Directory.Delete(_data, recursive: true);

    [Fact]
    public async Task RegisterBest_should_number_versions_from_one_upwards()
    {
        var first = await _registry.RegisterBestAsync(Sweep("s-a", (0.7, TrialStatus.Completed)), OnlyIfBetter);
        var second = await _registry.RegisterBestAsync(Sweep("s-b", (0.8, TrialStatus.Completed)), OnlyIfBetter);

        Assert.Equal(RegistrationOutcome.Registered, first.Outcome);
        Assert.Equal(RegistrationOutcome.Registered, second.Outcome);
        Assert.Equal([1, 2], _registry.Versions("digits").Select(v => v.Version));
        Assert.True(File.Exists(Path.Combine(_data, "models", "digits", "1", "model.json")));
        Assert.True(File.Exists(Path.Combine(_data, "models", "digits", "2", "model.json")));
        Assert.Equal("s-b", _registry.Latest("digits")!.SweepId);
        Assert.Equal(["digits"], _registry.Models());
    }

    [Fact]
    public async Task RegisterBest_should_keep_the_champion_when_a_maximized_sweep_is_worse()
    {
        await _registry.RegisterBestAsync(Sweep("s-a", (0.8, TrialStatus.Completed)), OnlyIfBetter);

        var worse = await _registry.RegisterBestAsync(Sweep("s-b", (0.7, TrialStatus.Completed)), OnlyIfBetter);
        var equal = await _registry.RegisterBestAsync(Sweep("s-c", (0.8, TrialStatus.Completed)), OnlyIfBetter);

        Assert.Equal(RegistrationOutcome.KeptChampion, worse.Outcome);
        Assert.Equal(RegistrationOutcome.KeptChampion, equal.Outcome);
        Assert.Contains("kept version 1", worse.Message);
        Assert.Single(_registry.Versions("digits"));
    }

    [Fact]
    public async Task RegisterBest_should_register_a_worse_sweep_when_only_if_better_is_off()
    {
        await _registry.RegisterBestAsync(Sweep("s-a", (0.8, TrialStatus.Completed)), OnlyIfBetter);

        var result = await _registry.RegisterBestAsync(Sweep("s-b", (0.7, TrialStatus.Completed)), OnlyIfBetter with { OnlyIfBetter = false });

        Assert.Equal(RegistrationOutcome.Registered, result.Outcome);
        Assert.Equal(0.7, _registry.Latest("digits")!.Value);
    }

    [Fact]
    public async Task RegisterBest_should_prefer_the_lower_value_when_the_goal_is_minimize()
    {
        await _registry.RegisterBestAsync(Sweep("s-a", Goal.Minimize, (0.5, TrialStatus.Completed), (0.9, TrialStatus.Completed)), OnlyIfBetter);
        var lower = await _registry.RegisterBestAsync(Sweep("s-b", Goal.Minimize, (0.3, TrialStatus.Completed)), OnlyIfBetter);
        var higher = await _registry.RegisterBestAsync(Sweep("s-c", Goal.Minimize, (0.4, TrialStatus.Completed)), OnlyIfBetter);

        Assert.Equal(0.5, _registry.Find("digits", 1)!.Value);
        Assert.Equal(1, _registry.Find("digits", 1)!.Trial);
        Assert.Equal(RegistrationOutcome.Registered, lower.Outcome);
        Assert.Equal(RegistrationOutcome.KeptChampion, higher.Outcome);
        Assert.Equal(0.3, _registry.Latest("digits")!.Value);
    }

    [Fact]
    public async Task RegisterBest_should_pick_the_best_completed_trial_over_a_better_failed_one()
    {
        var result = await _registry.RegisterBestAsync(
            Sweep("s-a", (0.99, TrialStatus.Failed), (0.6, TrialStatus.Completed), (0.7, TrialStatus.Completed), (0.95, TrialStatus.Canceled)), OnlyIfBetter);

        Assert.Equal(3, result.Version!.Trial);
        Assert.Equal(0.7, result.Version.Value);
    }

    [Fact]
    public async Task RegisterBest_should_register_nothing_when_no_trial_succeeded()
    {
        var result = await _registry.RegisterBestAsync(Sweep("s-a", (0.9, TrialStatus.Failed), (null, TrialStatus.Completed)), OnlyIfBetter);

        Assert.Equal(RegistrationOutcome.NoSuccessfulTrial, result.Outcome);
        Assert.Contains("nothing registered", result.Message);
        Assert.Empty(_registry.Models());
        Assert.False(Directory.Exists(Path.Combine(_data, "models", "digits")));
    }

    [Fact]
    public async Task RegisterBest_should_register_nothing_for_a_canceled_sweep()
    {
        var state = Sweep("s-a", (0.9, TrialStatus.Completed)) with { Status = SweepStatus.Canceled };

        var result = await _registry.RegisterBestAsync(state, OnlyIfBetter);

        Assert.Equal(RegistrationOutcome.SweepNotCompleted, result.Outcome);
        Assert.Empty(_registry.Models());
    }

    [Fact]
    public async Task RegisterBest_should_register_once_per_sweep()
    {
        var state = Sweep("s-a", (0.9, TrialStatus.Completed));

        await _registry.RegisterBestAsync(state, OnlyIfBetter with { OnlyIfBetter = false });
        var again = await _registry.RegisterBestAsync(state, OnlyIfBetter with { OnlyIfBetter = false });

        Assert.Equal(RegistrationOutcome.AlreadyRegistered, again.Outcome);
        Assert.Single(_registry.Versions("digits"));
    }

    [Fact]
    public async Task RegisterBest_should_register_without_comparing_when_the_champion_used_another_objective()
    {
        await _registry.RegisterBestAsync(Sweep("s-a", Goal.Minimize, (0.1, TrialStatus.Completed)), OnlyIfBetter);

        var result = await _registry.RegisterBestAsync(Sweep("s-b", Goal.Maximize, (0.05, TrialStatus.Completed)), OnlyIfBetter);

        Assert.Equal(RegistrationOutcome.Registered, result.Outcome);
        Assert.Contains("not compared", result.Message);
    }

    [Fact]
    public async Task RegisterBest_should_copy_the_trial_outputs_and_write_the_metadata()
    {
        var outputs = LocalOutputs("s-a", 2);
        Directory.CreateDirectory(Path.Combine(outputs, "sub"));
        File.WriteAllText(Path.Combine(outputs, "model.bin"), "weights");
        File.WriteAllText(Path.Combine(outputs, "sub", "notes.txt"), "notes");
        File.WriteAllText(Path.Combine(LocalOutputs("s-a", 1), "other.bin"), "not the best");

        await _registry.RegisterBestAsync(Sweep("s-a", (0.5, TrialStatus.Completed), (0.75, TrialStatus.Completed)), OnlyIfBetter);

        var folder = Path.Combine(_data, "models", "digits", "1");
        Assert.Equal("weights", File.ReadAllText(Path.Combine(folder, "outputs", "model.bin")));
        Assert.Equal("notes", File.ReadAllText(Path.Combine(folder, "outputs", "sub", "notes.txt")));
        Assert.False(File.Exists(Path.Combine(folder, "outputs", "other.bin")));
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "model.json")));
        var root = json.RootElement;
        Assert.Equal("digits", root.GetProperty("model").GetString());
        Assert.Equal(1, root.GetProperty("version").GetInt32());
        Assert.Equal("s-a", root.GetProperty("sweep").GetString());
        Assert.Equal(2, root.GetProperty("trial").GetInt32());
        Assert.Equal(0.2, root.GetProperty("parameters").GetProperty("lr").GetDouble());
        Assert.Equal(0.75, root.GetProperty("metrics").GetProperty("accuracy").GetDouble());
        Assert.Equal(2.0, root.GetProperty("metrics").GetProperty("loss").GetDouble());
        Assert.Equal("accuracy", root.GetProperty("primary_metric").GetString());
        Assert.Equal("maximize", root.GetProperty("goal").GetString());
        Assert.Equal(0.75, root.GetProperty("value").GetDouble());
        Assert.Equal("2026-03-04T05:06:07.0000000+00:00", root.GetProperty("created").GetString());
        Assert.Equal(["model.bin", "sub/notes.txt"], root.GetProperty("files").EnumerateArray().Select(f => f.GetString()));
        Assert.Empty(Directory.EnumerateDirectories(Path.Combine(_data, "models", "digits"), ".staging-*"));
    }

    [Fact]
    public async Task RegisterBest_should_read_outputs_from_the_artifact_store_when_the_trial_ran_elsewhere()
    {
        await _store.PutAsync(ArtifactKeys.Outputs("s-a", 1, 1) + "model.pt", new MemoryStream(Encoding.UTF8.GetBytes("remote weights")));

        var result = await _registry.RegisterBestAsync(Sweep("s-a", (0.5, TrialStatus.Completed)), OnlyIfBetter);

        Assert.Equal(["model.pt"], result.Version!.Files.ToArray());
        Assert.Equal("remote weights", File.ReadAllText(Path.Combine(_data, "models", "digits", "1", "outputs", "model.pt")));
    }

    [Fact]
    public async Task RegisterBest_should_write_metadata_with_no_files_when_the_trial_saved_none()
    {
        var result = await _registry.RegisterBestAsync(Sweep("s-a", (0.5, TrialStatus.Completed)), OnlyIfBetter);

        Assert.Empty(result.Version!.Files);
        Assert.Empty(_registry.Find("digits", 1)!.Files);
    }

    [Fact]
    public async Task RegisterBest_should_not_follow_a_symbolic_link_out_of_the_outputs()
    {
        var secret = Path.Combine(_data, "secret.txt");
        File.WriteAllText(secret, "secret");
        var outputs = LocalOutputs("s-a", 1);
        File.WriteAllText(Path.Combine(outputs, "model.bin"), "weights");
        File.CreateSymbolicLink(Path.Combine(outputs, "leak.txt"), secret);
        Directory.CreateSymbolicLink(Path.Combine(outputs, "leakdir"), _data);

        var result = await _registry.RegisterBestAsync(Sweep("s-a", (0.5, TrialStatus.Completed)), OnlyIfBetter);

        Assert.Equal(["model.bin"], result.Version!.Files.ToArray());
        Assert.False(File.Exists(Path.Combine(_data, "models", "digits", "1", "outputs", "leak.txt")));
        Assert.False(Directory.Exists(Path.Combine(_data, "models", "digits", "1", "outputs", "leakdir")));
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("..")]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("/etc")]
    [InlineData(".hidden")]
    [InlineData("")]
    [InlineData("sp ace")]
    public async Task RegisterBest_should_refuse_a_name_that_could_leave_the_models_folder(string name)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _registry.RegisterBestAsync(Sweep("s-a", (0.5, TrialStatus.Completed)), new RegisterBestSpec(name, true)));

        Assert.False(Directory.Exists(Path.Combine(_data, "models")));
        Assert.False(Directory.Exists(Path.Combine(Path.GetDirectoryName(_data)!, "escape")));
    }

    [Theory]
    [InlineData("digits-mlp_v1.2")]
    [InlineData("A9")]
    public void ModelNames_should_accept_letters_digits_dash_underscore_and_dot(string name) => Assert.Null(ModelNames.Problem(name));

    private string LocalOutputs(string sweepId, int trial)
    {
        var folder = Path.Combine(TrialFolders.Attempt(_data, sweepId, trial, 1), "work", "outputs");
        Directory.CreateDirectory(folder);
        return folder;
    }

    private static SweepState Sweep(string sweepId, params (double? Value, TrialStatus Status)[] trials) => Sweep(sweepId, Goal.Maximize, trials);

    /// <summary>A completed sweep whose trial i (from 1) has lr = i/10, loss = i and the given primary value and end.</summary>
    private static SweepState Sweep(string sweepId, Goal goal, params (double? Value, TrialStatus Status)[] trials)
    {
        var spec = $$"""
            name: digits
            trial: { builtin: fictitious }
            search_space:
              lr: { type: uniform, min_value: 0, max_value: 1 }
            objective: { primary_metric: accuracy, goal: {{(goal == Goal.Maximize ? "maximize" : "minimize")}} }
            register_best: { model: digits }
            """;
        var state = SweepState.Empty.Apply(new SweepSubmitted(sweepId, spec, "/tmp", null, 1, At));
        for (var i = 0; i < trials.Length; i++)
        {
            var n = i + 1;
            var metrics = new Dictionary<string, double> { ["loss"] = n };
            if (trials[i].Value is { } value)
            {
                metrics["accuracy"] = value;
            }

            state = state
                .Apply(new TrialProposed(n, ParameterSet.Of(("lr", ParameterValue.Of(n / 10.0))), At))
                .Apply(new TrialStarted(n, 1, "node", At))
                .Apply(new MetricsReported(n, 1, 1, metrics.ToImmutableSortedDictionary(StringComparer.Ordinal), At))
                .Apply(trials[i].Status switch
                {
                    TrialStatus.Completed => new TrialCompleted(n, 1, At),
                    TrialStatus.Failed => new TrialFailed(n, 1, "boom", false, At),
                    _ => (ISweepEvent)new TrialCanceled(n, 1, "stopped", At),
                });
        }

        return state.Apply(new SweepCompleted("max_total_trials reached", At));
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
