using HyperDrive.Cli.Tests.EndToEnd;

namespace HyperDrive.Cli.Tests.Deployment;

/// <summary>
/// scripts/cluster-local against a stand-in for <c>dotnet</c> (first on PATH) that logs each node's arguments, prints
/// the node's ready line and blocks: the script's own logic (ports, command lines, waiting, stop) without the nodes.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ClusterLocalScriptTests : IDisposable
{
    private const string FakeDotnet = """
        #!/usr/bin/env bash
        case ${1:-} in
          build) exit 0 ;;
          msbuild) echo "$FAKE_DLL"; exit 0 ;;
        esac
        echo "pid: $$"
        echo "token: ${HYPERDRIVE_API_TOKEN:-}"
        for arg in "$@"; do echo "arg: $arg"; done
        if [[ $2 == worker && ${FAKE_WORKER_FAILS:-} == yes ]]; then echo "worker failed on purpose" >&2; exit 3; fi
        if [[ $2 == seed ]]; then
          echo "HyperDrive seed node: cluster akka.tcp://hyperdrive@127.0.0.1:1, API on http://127.0.0.1:2"
        else
          echo "HyperDrive worker node: akka.tcp://hyperdrive@127.0.0.1:3, 0 GPUs, 1 CPU slots"
        fi
        # Block without a child process until SIGTERM (or 120 s, should a failed test leave it behind).
        fifo=$(mktemp -u); mkfifo "$fifo"; exec 3<>"$fifo"; rm -f "$fifo"
        read -r -t 120 <&3 || true
        """;

    private readonly TempFolder _folder = new("hd-cluster-local-");
    private readonly Dictionary<string, string> _environment;

    public ClusterLocalScriptTests()
    {
        var bin = Directory.CreateDirectory(_folder.Combine("bin")).FullName;
        File.WriteAllText(Path.Combine(bin, "dotnet"), FakeDotnet.ReplaceLineEndings("\n") + "\n");
        File.SetUnixFileMode(Path.Combine(bin, "dotnet"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.WriteAllText(Path.Combine(bin, "hyperdrive.dll"), "");
        _environment = new Dictionary<string, string>
        {
            ["PATH"] = bin + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH"),
            ["FAKE_DLL"] = Path.Combine(bin, "hyperdrive.dll"),
        };
    }

    private string RunDir => _folder.Combine("run");

    [Fact]
    public async Task Script_should_pass_bash_syntax_check()
    {
        var (exitCode, output) = await ShellRun.RunAsync("bash", ["-n", DeploymentFiles.ClusterLocalScript]);

        Assert.True(exitCode == 0, output);
    }

    [Fact]
    public async Task Bash_syntax_check_should_fail_on_a_broken_copy()
    {
        var broken = _folder.Combine("broken");
        File.WriteAllText(broken, DeploymentFiles.Mutate(File.ReadAllText(DeploymentFiles.ClusterLocalScript), "\ndone\n", "\n"));

        var (exitCode, _) = await ShellRun.RunAsync("bash", ["-n", broken]);

        Assert.NotEqual(0, exitCode);
    }

    [ShellcheckFact]
    public async Task Script_should_pass_shellcheck()
    {
        var (exitCode, output) = await ShellRun.RunAsync(ShellcheckFactAttribute.Path!, [DeploymentFiles.ClusterLocalScript]);

        Assert.True(exitCode == 0, output);
    }

    [Fact]
    public async Task Script_should_start_contract_nodes_on_consecutive_ports_and_stop_exactly_them()
    {
        var (exitCode, output) = await RunScriptAsync("--workers", "2", "--seeds", "2", "--cpu-slots", "3",
            "--postgres-conn", "Host=db.example;Username=u;Password=p;Database=d", "--token", "t0k", "--timeout", "30");
        Assert.True(exitCode == 0, output);

        var nodes = new[] { "seed", "seed2", "worker1", "worker2" }.ToDictionary(n => n, ReadNode);
        foreach (var (name, (_, node, _)) in nodes)
        {
            Assert.True(node.Problems.Count == 0, name + ": " + string.Join("; ", node.Problems));
            Assert.Equal("127.0.0.1", node.Value("--host"));
            Assert.Equal("Host=db.example;Username=u;Password=p;Database=d", node.Value("--postgres"));
            Assert.Equal(Path.Combine(RunDir, "data"), node.Value("--data-dir"));
        }

        var clusterPorts = nodes.Values.Select(n => int.Parse(n.Node.Value("--cluster-port")!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(Enumerable.Range(clusterPorts[0], 4), clusterPorts);
        var seedNodes = new[] { $"akka.tcp://hyperdrive@127.0.0.1:{clusterPorts[0]}", $"akka.tcp://hyperdrive@127.0.0.1:{clusterPorts[1]}" };
        Assert.All(nodes.Values, n => Assert.Equal(seedNodes, n.Node.Values("--seed-node")));
        Assert.Equal(["seed", "seed", "worker", "worker"], nodes.Values.Select(n => n.Node.Command));
        Assert.All(nodes.Values.Take(2), n => Assert.Equal(("127.0.0.1", "t0k"), (n.Node.Value("--bind"), n.Token)));
        var apiPort = int.Parse(nodes["seed"].Node.Value("--port")!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal((apiPort + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), nodes["seed2"].Node.Value("--port"));
        Assert.All(nodes.Values.Skip(2), n => Assert.Equal("3", n.Node.Value("--cpu-slots")));
        Assert.Contains($"hyperdrive submit examples/fictitious.yml --api http://127.0.0.1:{apiPort} --api http://127.0.0.1:{apiPort + 1} --watch", output, StringComparison.Ordinal);
        Assert.Contains("export HYPERDRIVE_API_TOKEN=t0k", output, StringComparison.Ordinal);
        Assert.All(nodes.Values, n => Assert.True(IsRunning(n.Pid), $"pid {n.Pid} should run before stop"));

        var (stopCode, stopOutput) = await RunScriptAsync("stop");

        Assert.True(stopCode == 0, stopOutput);
        Assert.All(nodes.Values, n => Assert.False(IsRunning(n.Pid), $"pid {n.Pid} still runs after stop"));
        Assert.False(File.Exists(Path.Combine(RunDir, "pids")));
    }

    [Fact]
    public async Task Script_should_name_the_log_and_stop_the_seed_when_a_worker_exits_before_it_is_up()
    {
        _environment["FAKE_WORKER_FAILS"] = "yes";

        var (exitCode, output) = await RunScriptAsync("--workers", "1", "--timeout", "30");

        Assert.NotEqual(0, exitCode);
        Assert.Contains($"worker1 exited before printing 'HyperDrive worker node:'; see {Path.Combine(RunDir, "worker1.log")}", output, StringComparison.Ordinal);
        Assert.False(IsRunning(ReadNode("seed").Pid), "the seed should be stopped when the cluster fails to start");
    }

    [Theory]
    [InlineData("--workers", "two", "--workers must be a whole number")]
    [InlineData("--seeds", "3", "--seeds must be 1 or 2")]
    [InlineData("--bogus", "1", "unknown argument '--bogus'")]
    public async Task Script_should_refuse_bad_arguments_before_starting_anything(string option, string value, string expected)
    {
        var (exitCode, output) = await RunScriptAsync(option, value);

        Assert.NotEqual(0, exitCode);
        Assert.Contains(expected, output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(RunDir, "pids")));
    }

    public void Dispose()
    {
        // Stops whatever a failed test left running (the script only touches the pids it recorded).
        if (File.Exists(Path.Combine(RunDir, "pids")))
        {
            ShellRun.RunAsync("bash", [DeploymentFiles.ClusterLocalScript, "stop", "--run-dir", RunDir], _environment).GetAwaiter().GetResult();
        }

        _folder.Dispose();
    }

    private Task<(int ExitCode, string Output)> RunScriptAsync(params string[] args) =>
        ShellRun.RunAsync("bash", [DeploymentFiles.ClusterLocalScript, .. args, "--run-dir", RunDir], _environment);

    /// <summary>The pid, the command line and the HYPERDRIVE_API_TOKEN the stand-in logged for one node.</summary>
    private (int Pid, NodeCommand Node, string Token) ReadNode(string name)
    {
        var lines = File.ReadAllLines(Path.Combine(RunDir, name + ".log"));
        var pid = int.Parse(lines.First(l => l.StartsWith("pid: ", StringComparison.Ordinal))[5..], System.Globalization.CultureInfo.InvariantCulture);
        var argv = lines.Where(l => l.StartsWith("arg: ", StringComparison.Ordinal)).Select(l => l[5..]);
        var token = lines.First(l => l.StartsWith("token: ", StringComparison.Ordinal))[7..];
        return (pid, NodeCommand.Parse(["dotnet", .. argv]), token);
    }

    /// <summary>Running and still the stand-in (an exited child may linger as a zombie with an empty command line).</summary>
    private static bool IsRunning(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Contains("hyperdrive.dll", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }
}
