using System.Text.Json;
using HyperDrive.Core.History;
using HyperDrive.Core.Parameters;
using HyperDrive.Core.Sampling;
using HyperDrive.Core.Spaces;
using HyperDrive.Training.Plugins;
using HyperDrive.Training.Tests.Support;

namespace HyperDrive.Training.Tests.Plugins;

public sealed class SamplerPluginProcessTests : IDisposable
{
    // A plug-in that proposes x = 0.1, 0.2, … from a counter it keeps as its state (never from the history).
    private const string Counter = """
        import json, sys
        k = 0
        for line in sys.stdin:
            request = json.loads(line)
            op = request["op"]
            if op == "search":
                out = []
                for _ in range(request["n"]):
                    k += 1
                    out.append({"x": k / 10, "opt": "b", "n": 3.0})
                answer = out
            elif op == "get_state":
                answer = {"k": k}
            elif op == "set_state":
                k = request["state"]["k"]
                answer = {"ok": True}
            else:
                answer = {"error": "unknown op " + op}
            print(json.dumps(answer), flush=True)
        """;

    private static readonly SearchSpace Space = SearchSpace.Of(
        ("x", new UniformExpression(0, 1)),
        ("opt", ChoiceExpression.Of(new TextValue("a"), new TextValue("b"))),
        ("n", new RandIntExpression(5)));

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "hyperdrive-plugin-tests-" + Guid.NewGuid().ToString("N")[..12]);

    public SamplerPluginProcessTests()
    {
        Directory.CreateDirectory(_folder);
    }

    [Fact]
    public async Task Plugin_should_answer_searches_with_sets_in_the_space_and_types_of_the_space()
    {
        using var plugin = Start("counter.py", Counter, "python3 counter.py");

        var first = await plugin.SearchAsync(2, History());
        var second = await plugin.SearchAsync(1, History());

        Assert.Equal([0.1, 0.2, 0.3], first.Concat(second).Select(p => p.Find("x")!.AsDouble()!.Value));
        Assert.All(first, p => Assert.Equal(new IntegerValue(3), p.Find("n")));
        Assert.All(first, p => Assert.Equal(["x", "opt", "n"], p.Names));
    }

    [Fact]
    public async Task Plugin_should_continue_its_sequence_in_a_new_process_after_set_state()
    {
        string state;
        using (var first = Start("counter.py", Counter, "python3 counter.py"))
        {
            await first.SearchAsync(2, History());
            state = (await first.GetStateAsync())!;
        }

        using var second = Start("counter.py", Counter, "python3 counter.py");
        await second.SetStateAsync(state);
        var next = await second.SearchAsync(1, History());

        Assert.Equal(2, JsonDocument.Parse(state).RootElement.GetProperty("k").GetInt32());
        Assert.Equal(0.3, Assert.Single(next).Find("x")!.AsDouble());
    }

    [Fact]
    public async Task Plugin_should_have_no_state_when_it_answers_get_state_with_an_error()
    {
        const string stateless = """
            import json, sys
            for line in sys.stdin:
                op = json.loads(line)["op"]
                print(json.dumps([{"x": 0.5, "opt": "a", "n": 1}] if op == "search" else {"error": "no " + op}), flush=True)
            """;
        using var plugin = Start("stateless.py", stateless, "python3 stateless.py");

        Assert.Single(await plugin.SearchAsync(1, History()));
        Assert.Null(await plugin.GetStateAsync());
        Assert.Single(await plugin.SearchAsync(1, History()));
    }

    [Fact]
    public async Task Plugin_whose_answer_line_is_endless_should_fail_once_the_cap_is_passed_without_buffering_it()
    {
        // 9 MiB of a JSON string on one line: more than the 8 MiB cap.
        const string flood = "import sys\nsys.stdin.readline()\nsys.stdout.write('\"' + 'x' * (9 * 1024 * 1024) + '\"\\n')\nsys.stdout.flush()\nsys.stdin.readline()\n";
        using var plugin = Start("flood.py", flood, "python3 flood.py");

        var error = await Assert.ThrowsAsync<SamplerPluginException>(() => plugin.SearchAsync(1, History()));

        Assert.Equal("search", error.Op);
        Assert.Contains($"its answer is longer than {SamplerPluginProcess.MaxAnswerBytes} bytes ({(9 * 1024 * 1024) + 2} bytes)", error.Message);
        Assert.True(error.Message.Length < 2_000, "the error quotes only the start of the answer");
    }

    [Fact]
    public async Task Plugin_that_prints_garbage_should_fail_with_the_op_and_what_it_answered()
    {
        using var plugin = Start("garbage.sh", "#!/bin/bash\nread line\necho 'Epoch 1: loading data'\nsleep 30\n", "./garbage.sh");

        var error = await Assert.ThrowsAsync<SamplerPluginException>(() => plugin.SearchAsync(1, History()));

        Assert.Equal("search", error.Op);
        Assert.Contains("not JSON", error.Message);
        Assert.Contains("Epoch 1: loading data", error.Message);
        Assert.Contains("./garbage.sh", error.Message);
    }

    [Fact]
    public async Task Plugin_that_exits_should_fail_with_its_exit_code_and_stderr_tail()
    {
        using var plugin = Start("exits.sh", "#!/bin/bash\nread line\necho 'ImportError: no module named scipy' >&2\nexit 3\n", "./exits.sh");

        var error = await Assert.ThrowsAsync<SamplerPluginException>(() => plugin.SearchAsync(1, History()));

        Assert.Contains("exited with code 3", error.Message);
        Assert.Contains("ImportError: no module named scipy", error.StderrTail);
        var again = await Assert.ThrowsAsync<SamplerPluginException>(() => plugin.GetStateAsync());
        Assert.Contains("failed earlier", again.Message);
    }

    [Fact]
    public async Task Plugin_that_hangs_should_fail_at_its_timeout_and_be_killed_on_dispose()
    {
        var plugin = Start("hangs.sh", "#!/bin/bash\nwhile read line; do sleep 30; done\n", "./hangs.sh", timeoutSeconds: 1);
        var pid = plugin.ProcessId;

        var error = await Assert.ThrowsAsync<SamplerPluginException>(() => plugin.SearchAsync(1, History()));
        plugin.Dispose();

        Assert.Contains("no answer within its timeout of 1 s", error.Message);
        Assert.False(LiveProcesses.IsRunning(pid), "the hung plug-in still runs after Dispose");
    }

    [Theory]
    [InlineData("""[{"x": 1.5, "opt": "a", "n": 1}]""", "parameter 'x': 1.5 lies outside uniform(0, 1)")]
    [InlineData("""[{"x": 0.5, "opt": "c", "n": 1}]""", "parameter 'opt': 'c' is not one of the values")]
    [InlineData("""[{"x": 0.5, "opt": "a", "n": 2.5}]""", "parameter 'n': 2.5 is not an integer")]
    [InlineData("""[{"x": 0.5, "opt": "a"}]""", "parameter 'n' is missing")]
    [InlineData("""[{"x": 0.5, "opt": "a", "n": 1, "lr": 0.1}]""", "unknown parameter 'lr'")]
    [InlineData("""[{"x": 0.5, "opt": "a", "n": 1}, {"x": 0.5, "opt": "a", "n": 1}]""", "asked for 1 parameter sets, it answered 2")]
    [InlineData("""{"x": 0.5, "opt": "a", "n": 1}""", "expected a JSON list of parameter sets")]
    [InlineData("""{"error": "no GPU"}""", "it answered an error")]
    public async Task Plugin_that_answers_outside_the_space_or_the_wrong_shape_should_fail_naming_the_problem(string answer, string problem)
    {
        File.WriteAllText(Path.Combine(_folder, "answer.json"), answer);
        using var plugin = Start("liar.sh", "#!/bin/bash\nwhile read line; do cat answer.json; echo; done\n", "./liar.sh");

        var error = await Assert.ThrowsAsync<SamplerPluginException>(() => plugin.SearchAsync(1, History()));

        Assert.Contains(problem, error.Message);
    }

    [Fact]
    public void Plugin_that_cannot_be_found_should_fail_at_start_naming_the_command()
    {
        var error = Assert.Throws<SamplerPluginException>(() => SamplerPluginProcess.Start(Sampler("./missing.py"), _folder));

        Assert.Equal("start", error.Op);
        Assert.Contains("command './missing.py' not found", error.Message);
    }

    [Fact]
    public void Search_request_should_carry_the_space_objective_and_history_with_final_values()
    {
        var objective = new Objective("accuracy", Goal.Maximize);
        var history = SweepHistory.Empty(objective)
            .Propose(ParameterSet.Of(("x", new RealValue(0.25)), ("opt", new TextValue("a")), ("n", new IntegerValue(2))))
            .Propose(ParameterSet.Of(("x", new RealValue(0.5)), ("opt", new TextValue("b")), ("n", new IntegerValue(4))))
            .ReportAll(1, [new MetricPoint(1, 0.5), new MetricPoint(2, 0.75)])
            .Finish(1, TrialStatus.Completed);

        using var request = JsonDocument.Parse(SamplerPluginWire.Search(3, Space, SamplingOptions.Default, 7, new MapValue([]), history));
        var root = request.RootElement;

        Assert.Equal("search", root.GetProperty("op").GetString());
        Assert.Equal(3, root.GetProperty("n").GetInt32());
        Assert.Equal(7, root.GetProperty("seed").GetInt64());
        Assert.Equal("maximize", root.GetProperty("objective").GetProperty("goal").GetString());
        Assert.Equal("uniform", root.GetProperty("space").GetProperty("x").GetProperty("type").GetString());
        Assert.Equal(1, root.GetProperty("space").GetProperty("x").GetProperty("max_value").GetDouble());
        Assert.Equal(5, root.GetProperty("space").GetProperty("n").GetProperty("upper").GetInt32());
        Assert.Equal(["a", "b"], root.GetProperty("space").GetProperty("opt").GetProperty("values").EnumerateArray().Select(v => v.GetString()));
        var trials = root.GetProperty("history").EnumerateArray().ToList();
        Assert.Equal("completed", trials[0].GetProperty("status").GetString());
        Assert.Equal(0.75, trials[0].GetProperty("value").GetDouble());
        Assert.Equal(-0.75, trials[0].GetProperty("loss").GetDouble());
        Assert.Equal("queued", trials[1].GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, trials[1].GetProperty("value").ValueKind);
        Assert.Equal(4, trials[1].GetProperty("parameters").GetProperty("n").GetInt32());
    }

    [Fact]
    public void Search_request_should_carry_warm_start_trials_only_when_there_are_some()
    {
        var history = SweepHistory.Empty(new Objective("loss", Goal.Minimize));
        var prior = WarmStartSampler.Prior(ParameterSet.Of(("x", new RealValue(0.1)), ("opt", new TextValue("b")), ("n", new IntegerValue(1))), TrialStatus.Canceled, 0.4);

        using var cold = JsonDocument.Parse(SamplerPluginWire.Search(1, Space, SamplingOptions.Default, 7, new MapValue([]), history));
        using var warm = JsonDocument.Parse(SamplerPluginWire.Search(1, Space, SamplingOptions.Default, 7, new MapValue([]), history, [prior]));

        Assert.False(cold.RootElement.TryGetProperty("warm_start", out _));
        var entry = Assert.Single(warm.RootElement.GetProperty("warm_start").EnumerateArray());
        Assert.Equal(0.1, entry.GetProperty("parameters").GetProperty("x").GetDouble());
        Assert.Equal("canceled", entry.GetProperty("status").GetString());
        Assert.Equal(0.4, entry.GetProperty("value").GetDouble());
        Assert.Equal(0.4, entry.GetProperty("loss").GetDouble());
        Assert.Empty(warm.RootElement.GetProperty("history").EnumerateArray());
    }

    [Fact]
    public async Task Example_random_search_should_propose_in_the_space_and_resume_its_random_sequence_from_its_state()
    {
        var example = Path.Combine(RepositoryRoot(), "examples", "plugins");
        var space = SearchSpace.Of(
            ("lr", new LogUniformExpression(-9, -1)),
            ("batch", new QUniformExpression(16, 128, 16)),
            ("layers", new RandIntExpression(4)),
            ("act", ChoiceExpression.Of(new TextValue("relu"), new TextValue("tanh"))),
            ("noise", new NormalExpression(0, 1)));
        var sampler = new PluginSampler(space, 5, new PluginOptions { Command = "python3 random_search.py" }, SamplingOptions.Default);
        var history = SweepHistory.Empty(new Objective("loss", Goal.Minimize));

        IReadOnlyList<ParameterSet> continued;
        string state;
        using (var first = SamplerPluginProcess.Start(sampler, example))
        {
            var proposals = await first.SearchAsync(20, history);
            Assert.Equal(20, proposals.Length);
            Assert.All(proposals, p => Assert.True(space.Contains(p, SamplingOptions.Default), p.ToJson()));
            Assert.True(proposals.Select(p => p.ToJson()).Distinct().Count() > 15, "random search repeats itself");
            state = (await first.GetStateAsync())!;
            continued = await first.SearchAsync(3, history);
        }

        using var resumed = SamplerPluginProcess.Start(sampler, example);
        await resumed.SetStateAsync(state);

        Assert.Equal(continued, await resumed.SearchAsync(3, history));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A killed plug-in may still hold its folder for a moment; the OS cleans temp.
        }
    }

    private static SweepHistory History() => SweepHistory.Empty(new Objective("accuracy", Goal.Maximize));

    private static PluginSampler Sampler(string command, double timeoutSeconds = 10) =>
        new(Space, 1, new PluginOptions { Command = command, TimeoutSeconds = timeoutSeconds }, SamplingOptions.Default);

    private SamplerPluginProcess Start(string file, string script, string command, double timeoutSeconds = 10)
    {
        var path = Path.Combine(_folder, file);
        File.WriteAllText(path, script);
        File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.UserExecute);
        return SamplerPluginProcess.Start(Sampler(command, timeoutSeconds), _folder);
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "examples", "plugins", "random_search.py")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("examples/plugins/random_search.py not found above " + AppContext.BaseDirectory);
    }
}
