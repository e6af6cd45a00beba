using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using HyperDrive.Core.Models;

namespace HyperDrive.Cli.Tests.EndToEnd;

/// <summary>
/// Every example sweep file of examples/ end to end through the CLI, with real trial processes and small limits. The
/// fictitious-model examples are checked against <see cref="FictitiousModel"/>, an implementation independent of the
/// Python scripts that report their metrics.
/// </summary>
[Collection(nameof(ProcessTestsCollection))]
public sealed class ExamplesTests : IDisposable
{
    /// <summary>Example files and the test class that runs each end to end.</summary>
    private static readonly Dictionary<string, string> TestedBy = new(StringComparer.Ordinal)
    {
        ["fictitious.yml"] = nameof(ConsoleCommandsTests),
        ["ridge-diabetes.yml"] = nameof(RidgeExampleTests),
        ["mlp-digits.yml"] = "MlpExampleTests",
        ["fictitious-pipeline.yml"] = nameof(ExamplesTests),
        ["pytorch-digits.yml"] = nameof(ExamplesTests),
        ["wmla/sweep.yml"] = nameof(ExamplesTests),
        ["guide-grid.yml"] = nameof(ExamplesTests),
        ["guide-random.yml"] = nameof(ExamplesTests),
        ["guide-sobol.yml"] = nameof(ExamplesTests),
        ["guide-bayesian.yml"] = nameof(ExamplesTests),
        ["guide-tpe.yml"] = nameof(ExamplesTests),
        ["guide-cmaes.yml"] = nameof(ExamplesTests),
        ["guide-bandit.yml"] = nameof(ExamplesTests),
        ["guide-median-stopping.yml"] = nameof(ExamplesTests),
        ["guide-truncation-selection.yml"] = nameof(ExamplesTests),
        ["guide-asha.yml"] = nameof(ExamplesTests),
        ["guide-hyperband.yml"] = nameof(ExamplesTests),
        ["guide-none.yml"] = nameof(ExamplesTests),
    };

    private readonly TempFolder _temp = new("hyperdrive-examples-");

    private string Data => _temp.Combine("data");

    public static TheoryData<string, int, int, string?> GuideFiles() => new()
    {
        // file, max_total_trials, max_concurrent_trials, the policy named in every cancel reason (null: none may cancel)
        { "guide-grid.yml", 18, 4, null },
        { "guide-random.yml", 6, 3, null },
        { "guide-sobol.yml", 8, 4, null },
        { "guide-bayesian.yml", 10, 2, null },
        { "guide-tpe.yml", 10, 3, null },
        { "guide-cmaes.yml", 12, 3, null },
        { "guide-bandit.yml", 12, 4, "bandit" },
        { "guide-median-stopping.yml", 12, 4, "median_stopping" },
        { "guide-truncation-selection.yml", 12, 4, "truncation_selection" },
        { "guide-asha.yml", 12, 4, "asha" },
        { "guide-hyperband.yml", 12, 4, "hyperband" },
        { "guide-none.yml", 8, 4, null },
    };

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Every_example_should_have_an_end_to_end_test()
    {
        var examples = Directory.GetFiles(ExampleCopy.Examples, "*.yml", SearchOption.AllDirectories)
            .Concat(Directory.GetFiles(ExampleCopy.Examples, "*.yaml", SearchOption.AllDirectories))
            .Select(f => Path.GetRelativePath(ExampleCopy.Examples, f).Replace('\\', '/'))
            .ToList();
        var testClasses = typeof(ExamplesTests).Assembly.GetTypes().Select(t => t.Name).ToHashSet(StringComparer.Ordinal);

        Assert.Contains("guide-grid.yml", examples);
        Assert.All(examples, e => Assert.True(TestedBy.ContainsKey(e), $"examples/{e} has no end-to-end test: add one and list it in {nameof(ExamplesTests)}.{nameof(TestedBy)}"));
        Assert.All(examples, e => Assert.True(testClasses.Contains(TestedBy[e]), $"examples/{e} is said to be tested by {TestedBy[e]}, which does not exist"));
        var guideTests = GuideFiles().Select(row => (string)row[0]).ToHashSet(StringComparer.Ordinal);
        Assert.All(examples.Where(e => e.StartsWith("guide-", StringComparison.Ordinal)), e => Assert.Contains(e, guideTests));
    }

    [Fact]
    public void Guide_examples_should_use_every_parameter_expression_and_every_sampler_and_policy()
    {
        var texts = Directory.GetFiles(ExampleCopy.Examples, "guide-*.yml").Select(File.ReadAllText).ToList();
        var all = string.Join('\n', texts);

        foreach (var expression in new[] { "choice", "randint", "uniform", "quniform", "loguniform", "qloguniform", "normal", "qnormal", "lognormal", "qlognormal" })
        {
            Assert.Contains($"type: {expression},", all, StringComparison.Ordinal);
        }

        foreach (var sampler in new[] { "grid", "type: random, seed", "rule: sobol", "type: bayesian", "type: tpe", "type: cmaes" })
        {
            Assert.Contains(sampler, all, StringComparison.Ordinal);
        }

        foreach (var policy in new[] { "bandit", "median_stopping", "truncation_selection", "asha", "hyperband" })
        {
            Assert.Single(texts, t => t.Contains($"early_termination: {{ type: {policy},", StringComparison.Ordinal));
        }

        Assert.All(texts, t => Assert.StartsWith("# yaml-language-server", t, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(GuideFiles))]
    public async Task Guide_example_should_run_the_fictitious_model_with_its_sampler_and_policy(string file, int total, int concurrent, string? policy)
    {
        var sweep = ExampleCopy.Write(file, _temp.Path, total, concurrent, PythonInterpreter.Stdlib);

        var run = await CliRunner.RunAsync("run", sweep, "--data-dir", Data);

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        var trials = await TrialsAsync(Path.GetFileNameWithoutExtension(file));
        Assert.Equal(total, trials.Count);
        Assert.All(trials, t => Assert.Contains(State(t), new[] { "Completed", "Canceled" }));
        Assert.All(trials, AssertFictitiousMetrics);
        var canceled = trials.Where(t => State(t) == "Canceled").ToList();
        if (policy is null)
        {
            Assert.Empty(canceled);
        }
        else
        {
            Assert.All(canceled, t => Assert.Contains($"({policy}", t.GetProperty("reason").GetString(), StringComparison.Ordinal));
        }

        if (policy is "asha" or "hyperband" or "truncation_selection")
        {
            // These cut by rank among the trials at an interval: 12 trials always give them someone to stop.
            Assert.NotEmpty(canceled);
        }

        if (file == "guide-grid.yml")
        {
            var combinations = trials.Select(t => string.Join(',', Parameters(t).Values.Select(v => v.ToString(CultureInfo.InvariantCulture)))).ToHashSet();
            Assert.Equal(18, combinations.Count);
        }
    }

    [Fact]
    public async Task Pipeline_example_should_train_and_evaluate_in_each_trial_and_register_only_if_better()
    {
        var sweep = ExampleCopy.Write("fictitious-pipeline.yml", _temp.Path, 6, 3, PythonInterpreter.Stdlib);

        var first = await CliRunner.RunAsync("run", sweep, "--data-dir", Data);

        Assert.True(first.ExitCode == 0, first.Output + first.Error);
        var trials = await TrialsAsync("fictitious-pipeline");
        Assert.Equal(6, trials.Count);
        Assert.All(trials, t => Assert.Contains(State(t), new[] { "Completed", "Canceled" }));
        Assert.All(trials, AssertFictitiousMetrics);
        var best = trials.Where(t => State(t) == "Completed").MaxBy(t => Metric(t, "f1"));
        Assert.Contains("Model 'fictitious-pipeline': registered version 1 from trial " + best.GetProperty("number").GetInt32(), first.Output);
        var registered = Path.Combine(Data, "models", "fictitious-pipeline", "1", "outputs", "model", "model.json");
        using (var model = JsonDocument.Parse(File.ReadAllText(registered)))
        {
            Assert.Equal(Parameters(best)["thr"], model.RootElement.GetProperty("thr").GetDouble());
            Assert.Equal(Parameters(best)["lr"], model.RootElement.GetProperty("lr").GetDouble());
            Assert.Equal(Parameters(best)["epoch"], model.RootElement.GetProperty("epoch").GetInt32());
        }

        // The same seed again: its best equals the champion, so nothing new is registered.
        var second = await CliRunner.RunAsync("run", sweep, "--data-dir", Data);

        Assert.True(second.ExitCode == 0, second.Output + second.Error);
        Assert.Contains("Model 'fictitious-pipeline': kept version 1", second.Output);
        Assert.DoesNotContain("registered version", second.Output);
        Assert.Equal(["1"], Directory.GetDirectories(Path.Combine(Data, "models", "fictitious-pipeline")).Select(Path.GetFileName));
        var show = await CliRunner.RunAsync("models", "show", "fictitious-pipeline", "--json", "--data-dir", Data);
        using var shown = JsonDocument.Parse(show.Output);
        Assert.Equal(best.GetProperty("number").GetInt32(), shown.RootElement.GetProperty("trial").GetInt32());
    }

    [Fact]
    public async Task Wmla_example_should_read_its_metrics_from_val_dict_list()
    {
        var sweep = ExampleCopy.Write("wmla/sweep.yml", _temp.Path, 4, 2, PythonInterpreter.Stdlib);

        var run = await CliRunner.RunAsync("run", sweep, "--data-dir", Data);

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        var trials = await TrialsAsync("wmla-digits");
        Assert.Equal(4, trials.Count);
        Assert.All(trials, t => Assert.Equal("Completed", State(t)));
        Assert.All(trials, t => Assert.Equal([1, 2, 3], t.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("interval").GetInt32())));
        Assert.All(trials, t => Assert.InRange(Metric(t, "accuracy"), 0.0, 1.0));
        Assert.All(trials, t => Assert.True(Metric(t, "loss") > 0));
        // Softmax regression on digits beats chance (0.1) by far within 3 epochs at any of these settings' best.
        Assert.True(trials.Max(t => Metric(t, "accuracy")) > 0.8);

        var outputs = _temp.Combine("best");
        var copy = await CliRunner.RunAsync("outputs", "wmla-digits", "--to", outputs, "--data-dir", Data);
        Assert.True(copy.ExitCode == 0, copy.Output + copy.Error);
        var best = trials.MinBy(t => Metric(t, "loss"));
        using var file = JsonDocument.Parse(File.ReadAllText(Assert.Single(Directory.GetFiles(outputs, "val_dict_list.json", SearchOption.AllDirectories))));
        var entries = file.RootElement.EnumerateArray().ToList();
        Assert.Equal(3, entries.Count);
        Assert.Equal(entries[^1].GetProperty("loss").GetDouble(), Metric(best, "loss"));
        Assert.Equal(entries[^1].GetProperty("accuracy").GetDouble(), Metric(best, "accuracy"));
    }

    [Fact]
    public void Wmla_submit_body_should_describe_the_same_task_as_the_sweep_file()
    {
        using var body = JsonDocument.Parse(File.ReadAllText(Path.Combine(ExampleCopy.Examples, "wmla", "hpo-task.json")));
        var algo = body.RootElement.GetProperty("algoDef");
        var sweep = File.ReadAllText(Path.Combine(ExampleCopy.Examples, "wmla", "sweep.yml"));

        Assert.Equal("Tpe", algo.GetProperty("algorithm").GetString());
        Assert.Contains("type: tpe", sweep, StringComparison.Ordinal);
        Assert.Contains($"primary_metric: {algo.GetProperty("objectiveMetric").GetString()}", sweep, StringComparison.Ordinal);
        Assert.Contains($"goal: {algo.GetProperty("objective").GetString()}", sweep, StringComparison.Ordinal);
        Assert.Contains($"max_total_trials: {algo.GetProperty("maxJobNum").GetInt32()}", sweep, StringComparison.Ordinal);
        Assert.Contains($"max_concurrent_trials: {algo.GetProperty("maxParalleJobNum").GetInt32()}", sweep, StringComparison.Ordinal);
        var names = body.RootElement.GetProperty("hyperParams").EnumerateArray().Select(p => p.GetProperty("name").GetString()!).ToList();
        Assert.Equal(["learning_rate", "batch_size", "momentum", "epochs"], names);
        Assert.All(names, n => Assert.Contains($"  {n}: {{ type: ", sweep, StringComparison.Ordinal));
    }

    [TorchFact]
    public async Task Pytorch_example_should_train_the_network_and_register_the_best_model()
    {
        var sweep = ExampleCopy.Write("pytorch-digits.yml", _temp.Path, 3, 2, PythonInterpreter.WithTorch, ("values: [5, 10, 20]", "values: [2, 3]"));

        var run = await CliRunner.RunAsync("run", sweep, "--data-dir", Data);

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        var trials = await TrialsAsync("pytorch-digits");
        Assert.Equal(3, trials.Count);
        Assert.All(trials, t => Assert.Equal("Completed", State(t)));
        Assert.All(trials, t => Assert.Equal(
            Enumerable.Range(1, (int)Parameters(t)["num_epochs"]),
            t.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("interval").GetInt32())));
        Assert.All(trials, t => Assert.InRange(Metric(t, "accuracy"), 0.0, 1.0));
        Assert.All(trials, t => Assert.True(Metric(t, "loss") > 0));
        // Ten classes: chance is 0.1; the best of three short trainings is well above it.
        var best = trials.MaxBy(t => Metric(t, "accuracy"));
        Assert.True(Metric(best, "accuracy") > 0.3, $"best accuracy {Metric(best, "accuracy")}");

        Assert.Contains("Model 'pytorch-digits': registered version 1 from trial " + best.GetProperty("number").GetInt32(), run.Output);
        var version = Path.Combine(Data, "models", "pytorch-digits", "1", "outputs");
        Assert.True(new FileInfo(Path.Combine(version, "model.pt")).Length > 1000);
        using var model = JsonDocument.Parse(File.ReadAllText(Path.Combine(version, "model.json")));
        foreach (var name in new[] { "learning_rate", "num_epochs", "batch_size", "hidden_size" })
        {
            Assert.Equal(Parameters(best)[name], model.RootElement.GetProperty(name).GetDouble(), 12);
        }

        Assert.Equal(Metric(best, "accuracy"), model.RootElement.GetProperty("accuracy").GetDouble(), 5);
    }

    [TorchFact]
    public async Task Pytorch_script_should_resume_from_its_checkpoint_as_if_never_stopped()
    {
        var checkpoints = _temp.Combine("checkpoints");

        var straight = await RunTrainAsync(_temp.Combine("straight"), "--num-epochs", "3");
        var firstPart = await RunTrainAsync(checkpoints, "--num-epochs", "2");
        var resumed = await RunTrainAsync(checkpoints, "--num-epochs", "3");

        var straightLines = MetricLines(straight);
        Assert.Equal(3, straightLines.Count);
        Assert.Equal(straightLines[..2], MetricLines(firstPart));
        Assert.Equal([straightLines[2]], MetricLines(resumed));
        Assert.Contains("resumed from", resumed, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(checkpoints, "checkpoint.pt")));
        Assert.Empty(Directory.GetFiles(checkpoints, "*.tmp"));
    }

    [TorchFact]
    public async Task Pytorch_script_benchmark_mode_should_print_one_json_line()
    {
        var output = await RunTrainAsync(null, "--benchmark", "--num-epochs", "3", "--batch-size", "64", "--threads", "1");

        var line = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith('{'));
        using var json = JsonDocument.Parse(line);
        Assert.Equal("pytorch", json.RootElement.GetProperty("framework").GetString());
        Assert.Equal(64, json.RootElement.GetProperty("batch_size").GetInt32());
        Assert.Equal(1, json.RootElement.GetProperty("threads").GetInt32());
        Assert.Equal(2, json.RootElement.GetProperty("epochs_timed").GetInt32());
        Assert.InRange(json.RootElement.GetProperty("seconds_per_epoch").GetDouble(), 1e-4, 60);
        Assert.InRange(json.RootElement.GetProperty("accuracy").GetDouble(), 0.5, 1.0);
        Assert.DoesNotContain("hyperdrive:", output, StringComparison.Ordinal);
    }

    private static void AssertFictitiousMetrics(JsonElement trial)
    {
        var parameters = Parameters(trial);
        var thr = parameters.TryGetValue("thr_percent", out var percent) ? percent / 100 : parameters["thr"];
        var epochs = (int)parameters["epoch"];
        var lr = parameters["lr"];
        var history = trial.GetProperty("history").EnumerateArray().ToList();
        Assert.NotEmpty(history);
        if (State(trial) == "Completed")
        {
            Assert.Equal(epochs, history.Count);
        }

        foreach (var interval in history)
        {
            var expected = FictitiousModel.Evaluate(thr, epochs, lr, interval.GetProperty("interval").GetInt32());
            foreach (var (name, value) in expected.ToNamed())
            {
                var actual = interval.GetProperty(name).GetDouble();
                Assert.True(Math.Abs(actual - value) <= 1e-9 * Math.Max(1, Math.Abs(value)), $"{name} {actual} != {value} for {trial}");
            }
        }
    }

    private async Task<List<JsonElement>> TrialsAsync(string sweep)
    {
        var runs = await CliRunner.RunAsync("runs", sweep, "--json", "--data-dir", Data);
        Assert.True(runs.ExitCode == 0, runs.Output + runs.Error);
        using var json = JsonDocument.Parse(runs.Output);
        return json.RootElement.GetProperty("trials").EnumerateArray().Select(t => t.Clone()).ToList();
    }

    private static string? State(JsonElement trial) => trial.GetProperty("state").GetString();

    private static double Metric(JsonElement trial, string name) => trial.GetProperty("metrics").GetProperty(name).GetDouble();

    private static Dictionary<string, double> Parameters(JsonElement trial) =>
        trial.GetProperty("parameters").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble(), StringComparer.Ordinal);

    private static List<string> MetricLines(string output) =>
        output.Split('\n').Where(l => l.StartsWith("hyperdrive:", StringComparison.Ordinal)).ToList();

    /// <summary>Runs examples/python/train.py directly (as a trial would be run) and returns its stdout and stderr.</summary>
    private async Task<string> RunTrainAsync(string? checkpointDir, params string[] args)
    {
        var work = _temp.Combine("work-" + Guid.NewGuid().ToString("N")[..6]);
        Directory.CreateDirectory(work);
        var start = new ProcessStartInfo(PythonInterpreter.WithTorch!)
        {
            WorkingDirectory = work,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(ExampleCopy.Examples, "python", "train.py"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Remove("HYPERDRIVE_CONFIG");
        start.Environment.Remove("HYPERDRIVE_CHECKPOINT_DIR");
        if (checkpointDir is not null)
        {
            start.Environment["HYPERDRIVE_CHECKPOINT_DIR"] = checkpointDir;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var output = await stdout + await stderr;
        Assert.True(process.ExitCode == 0, output);
        return output;
    }
}
