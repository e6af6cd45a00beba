using System.Diagnostics;
using System.Text;

namespace HyperDrive.Benchmarks;

/// <summary>One <c>hyperdrive</c> node (or client command) as a child process, its output collected.</summary>
internal sealed class NodeProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Lock _gate = new();

    private NodeProcess(string name, Process process, string dataDirectory, int clusterPort)
    {
        Name = name;
        _process = process;
        DataDirectory = dataDirectory;
        ClusterPort = clusterPort;
    }

    public string Name { get; }

    public string DataDirectory { get; }

    public int ClusterPort { get; }

    /// <summary>The node id the coordinator records on trials (<c>HOST:PORT</c>).</summary>
    public string NodeId => $"127.0.0.1:{ClusterPort}";

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>CPU seconds (user + system) the node's own process has used so far (not its trials' processes).</summary>
    public double CpuSeconds
    {
        get
        {
            try
            {
                var stat = File.ReadAllText($"/proc/{_process.Id}/stat");
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                return (long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture)) / 100.0;
            }
            catch (IOException)
            {
                return double.NaN;
            }
        }
    }

    public string Output
    {
        get
        {
            lock (_gate)
            {
                return _output.ToString();
            }
        }
    }

    public static NodeProcess Start(string name, string hyperdriveDll, string workingDirectory, string dataDirectory, int clusterPort, IEnumerable<string> args)
    {
        // env resets an inherited ignored SIGINT (a background shell) so the node's own signal handling is the normal one.
        var start = new ProcessStartInfo("env")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add("--default-signal=INT");
        start.ArgumentList.Add("dotnet");
        start.ArgumentList.Add(hyperdriveDll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var process = new Process { StartInfo = start };
        var node = new NodeProcess(name, process, dataDirectory, clusterPort);
        process.OutputDataReceived += (_, e) => node.Append(e.Data);
        process.ErrorDataReceived += (_, e) => node.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return node;
    }

    public async Task<bool> WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (Output.Contains(text, StringComparison.Ordinal))
            {
                return true;
            }

            if (_process.HasExited)
            {
                return Output.Contains(text, StringComparison.Ordinal);
            }

            await Task.Delay(50);
        }

        return false;
    }

    /// <summary>SIGKILL: the node gets no chance to stop its trials (they outlive it, as after a machine's crash they would not).</summary>
    public void KillHard()
    {
        _process.Kill(entireProcessTree: false);
        _process.WaitForExit();
    }

    /// <summary>SIGTERM: a graceful leave (the node stops its trials and leaves the cluster).</summary>
    public void Terminate() => Signal("TERM");

    /// <summary>SIGTERM, then SIGKILL after <paramref name="grace"/>.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (_process.HasExited)
        {
            return;
        }

        Terminate();
        using var deadline = new CancellationTokenSource(grace);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            KillHard();
        }
    }

    public Task<bool> WaitForExitAsync(TimeSpan timeout) => _process.WaitForExitAsync(new CancellationTokenSource(timeout).Token)
        .ContinueWith(t => t.IsCompletedSuccessfully, TaskScheduler.Default);

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private void Signal(string signal)
    {
        if (_process.HasExited)
        {
            return;
        }

        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-" + signal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) } })!;
        kill.WaitForExit();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _output.AppendLine(line);
        }
    }
}
