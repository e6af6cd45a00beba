using System.Collections.Immutable;
using System.Text.Json;
using HyperDrive.Core.Parameters;
using HyperDrive.Core.Specs;
using HyperDrive.Training.Runners;
using HyperDrive.Training.Tests.Support;

namespace HyperDrive.Training.Tests.Runners;

/// <summary>The trial protocol end to end with small bash scripts: folders, arguments, environment, metrics, exit codes.</summary>
public sealed class ExternalCommandRunnerTests : IDisposable
{
    private readonly TrialSandbox _sandbox = new();
    private readonly ExternalCommandRunner _runner = new();

    public void Dispose() => _sandbox.Dispose();

    private async Task<(TrialOutcome Outcome, RecordingObserver Observer)> Run(TrialRunRequest request, ExternalCommandRunner? runner = null)
    {
        var observer = new RecordingObserver();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var outcome = await (runner ?? _runner).RunAsync(request, observer, timeout.Token);
        return (outcome, observer);
    }

    [Fact]
    public async Task Runner_should_report_metric_lines_in_order_with_their_intervals()
    {
        var command = _sandbox.Script("train.sh", """
            echo "starting"
            echo "hyperdrive: loss=0.5 accuracy=0.6"
            echo "some log" >&2
            echo "hyperdrive: loss=0.4 epoch=5"
            echo "hyperdrive: loss=0.3"
            """);

        var (outcome, observer) = await Run(_sandbox.Request(command));

        Assert.Equal(TrialOutcomeKind.Completed, outcome.Kind);
        Assert.Equal([1, 5, 6], observer.Intervals.Select(i => i.Interval));
        Assert.Equal([0.5, 0.4, 0.3], observer.Intervals.Select(i => i.Metrics["loss"]));
        Assert.Equal(0.3, outcome.FinalMetrics["loss"]);
        Assert.Equal(0.6, outcome.FinalMetrics["accuracy"]);
        Assert.False(outcome.FinalMetrics.ContainsKey("epoch"));
        Assert.Empty(observer.Malformed);
        var log = await File.ReadAllTextAsync(_sandbox.Request(command).LogFile);
        Assert.Contains("starting\n", log, StringComparison.Ordinal);
        Assert.Contains("some log\n", log, StringComparison.Ordinal);
        Assert.Contains("hyperdrive: loss=0.3\n", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Runner_should_pass_a_hostile_value_as_one_argument_without_a_shell()
    {
        const string hostile = "a b; rm -rf / $(touch pwned) `touch pwned2` > pwned3 'q\" *";
        var command = _sandbox.Script("args.sh", """printf '%s\0' "$@" > "$HYPERDRIVE_OUTPUT_DIR/argv" """);
        var request = _sandbox.Request(command + " --value ${{search_space.evil}} '${{search_space.evil}}' \"x=${{search_space.lr}}\"", ParameterSet.Of(
            ("evil", ParameterValue.Of(hostile)),
            ("lr", ParameterValue.Of(0.25))));

        var (outcome, _) = await Run(request);

        Assert.Equal(TrialOutcomeKind.Completed, outcome.Kind);
        var argv = (await File.ReadAllTextAsync(Path.Combine(request.OutputDirectory, "argv"))).Split('\0')[..^1];
        Assert.Equal(["--value", hostile, hostile, "x=0.25"], argv);
        Assert.Empty(Directory.EnumerateFiles(_sandbox.Root, "pwned*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Runner_should_append_the_parameters_when_args_are_auto()
    {
        var command = _sandbox.Script("args.sh", """printf '%s\n' "$@" > "$HYPERDRIVE_OUTPUT_DIR/argv" """);
        var parameters = ParameterSet.Of(
            ("lr", ParameterValue.Of(0.001)),
            ("model", new MapValue([KeyValuePair.Create("name", ParameterValue.Of("cnn")), KeyValuePair.Create("depth", ParameterValue.Of(4L))])));
        var request = _sandbox.Request(new TrialSpec { Command = command + " --fixed", Code = "code", ArgsAuto = true }, parameters);

        await Run(request);

        Assert.Equal(
            "--fixed\n--lr\n0.001\n--model.name\ncnn\n--model.depth\n4\n",
            await File.ReadAllTextAsync(Path.Combine(request.OutputDirectory, "argv")));
    }

    [Fact]
    public async Task Runner_should_write_config_json_with_the_parameters()
    {
        var command = _sandbox.Script("cfg.sh", """cp config.json "$HYPERDRIVE_OUTPUT_DIR/seen.json" """);
        var parameters = ParameterSet.Of(
            ("lr", ParameterValue.Of(0.5)),
            ("optimizer", ParameterValue.Of("adam")),
            ("layers", ParameterValue.Of(3L)),
            ("model", new MapValue([KeyValuePair.Create("depth", ParameterValue.Of(18L))])));
        var request = _sandbox.Request(command, parameters);

        var (outcome, _) = await Run(request);

        Assert.Equal(TrialOutcomeKind.Completed, outcome.Kind);
        using var config = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(request.OutputDirectory, "seen.json")));
        var root = config.RootElement;
        Assert.Equal(["lr", "optimizer", "layers", "model"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(0.5, root.GetProperty("lr").GetDouble());
        Assert.Equal("adam", root.GetProperty("optimizer").GetString());
        Assert.Equal(3, root.GetProperty("layers").GetInt64());
        Assert.Equal(18, root.GetProperty("model").GetProperty("depth").GetInt64());
    }

    [Fact]
    public async Task Runner_should_set_the_protocol_environment()
    {
        var command = _sandbox.Script("env.sh", """
            for name in HYPERDRIVE_SWEEP_ID HYPERDRIVE_TRIAL_ID HYPERDRIVE_TRIAL_NUMBER HYPERDRIVE_ATTEMPT HYPERDRIVE_CONFIG \
                HYPERDRIVE_OUTPUT_DIR HYPERDRIVE_CHECKPOINT_DIR RESULT_DIR CUDA_VISIBLE_DEVICES USER_LR PYTHONUNBUFFERED; do
              if [ "${!name+set}" = set ]; then echo "$name=${!name}"; else echo "$name unset"; fi
            done > "$HYPERDRIVE_OUTPUT_DIR/env"
            pwd >> "$HYPERDRIVE_OUTPUT_DIR/env"
            """);
        var trial = new TrialSpec
        {
            Command = command,
            Code = "code",
            EnvironmentVariables = new Dictionary<string, string> { ["USER_LR"] = "lr=${{search_space.lr}}", ["CUDA_VISIBLE_DEVICES"] = "7" }.ToImmutableDictionary(),
        };
        var request = _sandbox.Request(trial, ParameterSet.Of(("lr", ParameterValue.Of(0.1))), trialNumber: 4) with { Attempt = 2, GpuDevices = [0, 2] };

        var (outcome, _) = await Run(request);

        Assert.Equal(TrialOutcomeKind.Completed, outcome.Kind);
        var expected = $"""
            HYPERDRIVE_SWEEP_ID=sweep-7
            HYPERDRIVE_TRIAL_ID=sweep-7-4
            HYPERDRIVE_TRIAL_NUMBER=4
            HYPERDRIVE_ATTEMPT=2
            HYPERDRIVE_CONFIG={request.WorkDirectory}/config.json
            HYPERDRIVE_OUTPUT_DIR={request.OutputDirectory}
            HYPERDRIVE_CHECKPOINT_DIR={request.CheckpointDirectory}
            RESULT_DIR={request.OutputDirectory}
            CUDA_VISIBLE_DEVICES=0,2
            USER_LR=lr=0.1
            PYTHONUNBUFFERED=1
            {request.WorkDirectory}

            """;
        Assert.Equal(expected, await File.ReadAllTextAsync(Path.Combine(request.OutputDirectory, "env")));
        Assert.True(Directory.Exists(request.CheckpointDirectory));
    }

    [Fact]
    public async Task Runner_should_hide_every_gpu_from_a_cpu_trial()
    {
        var command = _sandbox.Script("env.sh", """echo "[${CUDA_VISIBLE_DEVICES-unset}]" > "$HYPERDRIVE_OUTPUT_DIR/cuda" """);
        var request = _sandbox.Request(command);

        await Run(request);

        Assert.Equal("[]\n", await File.ReadAllTextAsync(Path.Combine(request.OutputDirectory, "cuda")));
    }

    [Fact]
    public async Task Runner_should_give_each_trial_its_own_copy_of_the_code()
    {
        _sandbox.Script("train.sh", """
            lr=$(sed 's/.*"lr":\([0-9.]*\).*/\1/' config.json)
            echo "$lr" >> shared.txt
            cat data/readme.txt > "$HYPERDRIVE_OUTPUT_DIR/data"
            cat linked.txt > "$HYPERDRIVE_OUTPUT_DIR/linked"
            echo "hyperdrive: lr=$lr"
            """);
        Directory.CreateDirectory(Path.Combine(_sandbox.Code, "data"));
        await File.WriteAllTextAsync(Path.Combine(_sandbox.Code, "data", "readme.txt"), "nested");
        await File.WriteAllTextAsync(Path.Combine(_sandbox.Code, "shared.txt"), "original\n");
        File.CreateSymbolicLink(Path.Combine(_sandbox.Code, "linked.txt"), "data/readme.txt");
        var first = _sandbox.Request("./train.sh", ParameterSet.Of(("lr", ParameterValue.Of(0.5))), trialNumber: 1);
        var second = _sandbox.Request("./train.sh", ParameterSet.Of(("lr", ParameterValue.Of(0.25))), trialNumber: 2);

        var results = await Task.WhenAll(Run(first), Run(second));

        Assert.Equal(0.5, results[0].Outcome.FinalMetrics["lr"]);
        Assert.Equal(0.25, results[1].Outcome.FinalMetrics["lr"]);
        Assert.Equal("original\n0.5\n", await File.ReadAllTextAsync(Path.Combine(first.WorkDirectory, "shared.txt")));
        Assert.Equal("original\n0.25\n", await File.ReadAllTextAsync(Path.Combine(second.WorkDirectory, "shared.txt")));
        Assert.Equal("original\n", await File.ReadAllTextAsync(Path.Combine(_sandbox.Code, "shared.txt")));
        Assert.False(File.Exists(Path.Combine(_sandbox.Code, "config.json")));
        Assert.Equal("nested", await File.ReadAllTextAsync(Path.Combine(first.OutputDirectory, "data")));
        Assert.Equal("nested", await File.ReadAllTextAsync(Path.Combine(second.OutputDirectory, "linked")));
        Assert.Equal("data/readme.txt", new FileInfo(Path.Combine(second.WorkDirectory, "linked.txt")).LinkTarget);
    }

    [Fact]
    public async Task Runner_should_copy_a_single_code_file_and_create_named_outputs()
    {
        _sandbox.Script("one.sh", """echo done > "$1/marker" """);
        var request = _sandbox.Request(new TrialSpec { Command = "./one.sh ${{outputs.model}}", Code = "code/one.sh" });

        var (outcome, _) = await Run(request);

        Assert.Equal(TrialOutcomeKind.Completed, outcome.Kind);
        Assert.Equal("done\n", await File.ReadAllTextAsync(Path.Combine(request.OutputDirectory, "model", "marker")));
    }

    [Fact]
    public async Task Runner_should_count_and_log_malformed_lines_without_failing()
    {
        var command = _sandbox.Script("noisy.sh", """
            echo "hyperdrive: accuracy=abc"
            echo "hyperdrive: accuracy=NaN"
            echo "hyperdrive: accuracy=inf loss=1"
            printf 'hyperdrive: big=' ; head -c 10000000 /dev/zero | tr '\0' '7' ; echo
            head -c 3000000 /dev/zero | tr '\0' 'x' ; echo
            printf '\xff\xfe\x00\x01 binary\n'
            echo "hyperdrive: accuracy=0.7"
            printf 'hyperdrive: accuracy=0.8'
            """);
        var request = _sandbox.Request(command);

        var (outcome, observer) = await Run(request);

        Assert.Equal(TrialOutcomeKind.Completed, outcome.Kind);
        Assert.Equal([0.7, 0.8], observer.Intervals.Select(i => i.Metrics["accuracy"]));
        Assert.Equal([1, 2], observer.Intervals.Select(i => i.Interval));
        Assert.Collection(
            observer.Malformed,
            r => Assert.Equal("stdout line 1: 'accuracy=abc': 'abc' is not a number", r),
            r => Assert.Equal("stdout line 2: 'accuracy=NaN': the value is not finite", r),
            r => Assert.Equal("stdout line 3: 'accuracy=inf': 'inf' is not a number", r),
            r => Assert.Equal("stdout line 4: longer than 65536 bytes", r));
        var log = await File.ReadAllTextAsync(request.LogFile);
        Assert.Contains("hyperdrive: accuracy=abc\n", log, StringComparison.Ordinal);
        Assert.Contains("[line truncated: 9934480 bytes left out]", log, StringComparison.Ordinal);
        Assert.Contains("binary\n", log, StringComparison.Ordinal);
        Assert.EndsWith("hyperdrive: accuracy=0.8\n", log, StringComparison.Ordinal);
        Assert.True(new FileInfo(request.LogFile).Length < 300_000);
    }

    [Theory]
    [InlineData("exit 3", 3)]
    [InlineData("kill -9 $$", 137)]
    public async Task Runner_should_fail_a_trial_that_exits_with_a_non_zero_code(string ending, int code)
    {
        var command = _sandbox.Script("fail.sh", $"""
            echo "hyperdrive: loss=2"
            for i in $(seq 1 10); do echo "progress $i"; done
            echo "Traceback: boom" >&2
            {ending}
            """);

        var (outcome, observer) = await Run(_sandbox.Request(command));

        Assert.Equal(TrialOutcomeKind.Failed, outcome.Kind);
        Assert.Equal(code, outcome.ExitCode);
        Assert.Equal($"the command exited with code {code}", outcome.Error);
        Assert.Equal(2, outcome.FinalMetrics["loss"]);
        Assert.Single(observer.Intervals);
        // stdout and stderr are two pipes: their lines keep their own order, not a common one.
        var tail = outcome.LogTail!.Split('\n');
        Assert.Equal(13, tail.Length);
        Assert.Contains("Traceback: boom", tail);
        Assert.Equal(Enumerable.Range(1, 10).Select(i => $"progress {i}"), tail.Where(l => l.StartsWith("progress", StringComparison.Ordinal)));
        Assert.Equal($"[hyperdrive] the command exited with code {code}", tail[^1]);
    }

    [Theory]
    [InlineData("pythn3 train.py", "command 'pythn3' not found")]
    [InlineData("./missing.sh", "command './missing.sh' not found")]
    [InlineData("./data", "command './data' not found")]
    [InlineData("./plain.txt", "command './plain.txt' is not executable")]
    [InlineData("./ok.sh ${{search_space.nope}}", "the search space has no parameter 'nope'")]
    [InlineData("./ok.sh ${{trial.id}}", "unknown placeholder ${{trial.id}}")]
    [InlineData("./ok.sh 'open", "unterminated single quote")]
    public async Task Runner_should_fail_with_a_clear_message_for_the_users_mistakes(string command, string error)
    {
        _sandbox.Script("ok.sh", "exit 0");
        Directory.CreateDirectory(Path.Combine(_sandbox.Code, "data"));
        await File.WriteAllTextAsync(Path.Combine(_sandbox.Code, "plain.txt"), "not a program");

        var (outcome, observer) = await Run(_sandbox.Request(command));

        Assert.Equal(TrialOutcomeKind.Failed, outcome.Kind);
        Assert.Contains(error, outcome.Error, StringComparison.Ordinal);
        Assert.Empty(observer.Started);
    }

    [Fact]
    public async Task Runner_should_fail_when_the_code_folder_is_missing()
    {
        var (outcome, _) = await Run(_sandbox.Request(new TrialSpec { Command = "true", Code = "nowhere" }));

        Assert.Equal(TrialOutcomeKind.Failed, outcome.Kind);
        Assert.Contains("code path", outcome.Error, StringComparison.Ordinal);
        Assert.Contains("nowhere", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Runner_should_report_an_infrastructure_failure_when_the_folder_cannot_be_created()
    {
        var blocker = Path.Combine(_sandbox.Root, "file");
        await File.WriteAllTextAsync(blocker, "x");
        var request = _sandbox.Request("true") with { WorkDirectory = Path.Combine(blocker, "work") };

        var (outcome, _) = await Run(request);

        Assert.Equal(TrialOutcomeKind.InfrastructureFailure, outcome.Kind);
        Assert.StartsWith("could not prepare the trial folder", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Runner_should_run_steps_in_order_and_number_intervals_across_them()
    {
        var train = _sandbox.Script("train.sh", """echo "hyperdrive: loss=0.5"; echo "hyperdrive: loss=0.4"; echo model > model.txt """);
        var evaluate = _sandbox.Script("evaluate.sh", """cat model.txt > /dev/null && echo "hyperdrive: accuracy=${1}" """);
        var request = _sandbox.Request(
            new TrialSpec { Steps = [train, evaluate + " ${{search_space.acc}}"], Code = "code" },
            ParameterSet.Of(("acc", ParameterValue.Of(0.9))));

        var (outcome, observer) = await Run(request);

        Assert.Equal(TrialOutcomeKind.Completed, outcome.Kind);
        Assert.Equal([1, 2, 3], observer.Intervals.Select(i => i.Interval));
        Assert.Equal(0.4, outcome.FinalMetrics["loss"]);
        Assert.Equal(0.9, outcome.FinalMetrics["accuracy"]);
        Assert.Equal(2, observer.Started.Count);
        Assert.Contains("[hyperdrive] step 2 of 2: ./evaluate.sh ${{search_space.acc}}", await File.ReadAllTextAsync(request.LogFile), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Runner_should_stop_at_a_failing_step_and_name_it()
    {
        var first = _sandbox.Script("first.sh", "echo 'hyperdrive: loss=1'");
        var second = _sandbox.Script("second.sh", "echo 'evaluation failed' >&2; exit 1");
        var third = _sandbox.Script("third.sh", "touch third-ran");
        var request = _sandbox.Request(new TrialSpec { Steps = [first, second + " --strict", third], Code = "code" });

        var (outcome, _) = await Run(request);

        Assert.Equal(TrialOutcomeKind.Failed, outcome.Kind);
        Assert.Equal("step 2 of 3 (`./second.sh --strict`) exited with code 1", outcome.Error);
        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains("evaluation failed", outcome.LogTail, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(request.WorkDirectory, "third-ran")));
        Assert.Equal(1, outcome.FinalMetrics["loss"]);
    }

    [Fact]
    public async Task Runner_should_name_a_missing_step_command()
    {
        var first = _sandbox.Script("first.sh", "true");
        var (outcome, _) = await Run(_sandbox.Request(new TrialSpec { Steps = [first, "registr model"], Code = "code" }));

        Assert.Equal(TrialOutcomeKind.Failed, outcome.Kind);
        Assert.Equal("step 2 of 2 (`registr model`): command 'registr' not found", outcome.Error);
    }

    [Fact]
    public async Task Runner_should_report_val_dict_list_entries_after_the_stdout_intervals()
    {
        var command = _sandbox.Script("wmla.sh", """
            echo "hyperdrive: loss=0.9"
            echo "hyperdrive: loss=0.8 step=2"
            cat > "$RESULT_DIR/val_dict_list.json" <<'JSON'
            [{"step": 3, "loss": 0.25, "accuracy": 0.45}, {"loss": 0.2, "accuracy": 0.5}, {"steps": 10, "loss": 0.1}]
            JSON
            """);

        var (outcome, observer) = await Run(_sandbox.Request(command));

        Assert.Equal(TrialOutcomeKind.Completed, outcome.Kind);
        Assert.Equal([1, 2, 3, 4, 10], observer.Intervals.Select(i => i.Interval));
        Assert.Equal([0.9, 0.8, 0.25, 0.2, 0.1], observer.Intervals.Select(i => i.Metrics["loss"]));
        Assert.Equal(0.1, outcome.FinalMetrics["loss"]);
        Assert.Equal(0.5, outcome.FinalMetrics["accuracy"]);
    }

    [Fact]
    public async Task Runner_should_number_val_dict_list_entries_without_steps_from_one()
    {
        var command = _sandbox.Script("wmla.sh", """echo '[{"accuracy": 0.4}, {"accuracy": 0.6}]' > "$RESULT_DIR/val_dict_list.json" """);

        var (outcome, observer) = await Run(_sandbox.Request(command));

        Assert.Equal(TrialOutcomeKind.Completed, outcome.Kind);
        Assert.Equal([1, 2], observer.Intervals.Select(i => i.Interval));
        Assert.Equal(0.6, outcome.FinalMetrics["accuracy"]);
    }

    [Fact]
    public async Task Runner_should_fail_a_trial_whose_val_dict_list_is_malformed()
    {
        var command = _sandbox.Script("wmla.sh", """echo '[{"accuracy": 0.4}, {"accuracy": "high"}]' > "$RESULT_DIR/val_dict_list.json" """);
        var request = _sandbox.Request(command);

        var (outcome, observer) = await Run(request);

        Assert.Equal(TrialOutcomeKind.Failed, outcome.Kind);
        Assert.Equal(
            $"{Path.Combine(request.OutputDirectory, "val_dict_list.json")}, entry 1: 'accuracy' is the string \"high\", not a finite number",
            outcome.Error);
        Assert.Empty(observer.Intervals);
    }

    [Fact]
    public async Task Runner_should_keep_the_log_within_its_limit_and_the_real_tail_for_failures()
    {
        var command = _sandbox.Script("chatty.sh", """for i in $(seq 1 2000); do echo "line $i"; done; exit 1""");
        var request = _sandbox.Request(command);

        var (outcome, _) = await Run(request, new ExternalCommandRunner(new ExternalCommandRunnerOptions { MaxLogBytes = 4096 }));

        Assert.Equal(TrialOutcomeKind.Failed, outcome.Kind);
        Assert.InRange(new FileInfo(request.LogFile).Length, 3000, 4096 + 200);
        var lines = (await File.ReadAllTextAsync(request.LogFile)).TrimEnd('\n').Split('\n');
        Assert.Equal("line 1", lines[0]);
        Assert.Equal("line 2000", lines[^2]);
        Assert.Equal("[hyperdrive] the command exited with code 1", lines[^1]);
        Assert.Contains("line 2000", outcome.LogTail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Runner_should_report_the_observers_failure_as_infrastructure()
    {
        var command = _sandbox.Script("train.sh", """echo "hyperdrive: loss=1"; echo "hyperdrive: loss=2" """);

        var outcome = await _runner.RunAsync(_sandbox.Request(command), new ThrowingObserver(), CancellationToken.None);

        Assert.Equal(TrialOutcomeKind.InfrastructureFailure, outcome.Kind);
        Assert.Contains("observer is broken", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Runner_should_read_text_from_a_python_script_unbuffered()
    {
        // PYTHONUNBUFFERED: the metric line arrives while the script is still running.
        var command = _sandbox.Script("py.sh", """exec python3 -c 'import time; print("hyperdrive: loss=1"); time.sleep(30)'""");
        var observer = new RecordingObserver();
        using var cancel = new CancellationTokenSource();
        var run = _runner.RunAsync(_sandbox.Request(command), observer, cancel.Token);

        var first = await observer.FirstInterval;
        await cancel.CancelAsync();

        Assert.Equal(1.0, first.Metrics["loss"]);
        Assert.Equal(TrialOutcomeKind.Canceled, (await run.WaitAsync(TimeSpan.FromSeconds(20))).Kind);
    }

    private sealed class ThrowingObserver : ITrialObserver
    {
        public void OnInterval(IntervalReport report) => throw new InvalidOperationException("observer is broken");

        public void OnMalformedMetric(string reason)
        {
        }

        public void OnProcessStarted(int processId, int processGroupId)
        {
        }
    }
}
