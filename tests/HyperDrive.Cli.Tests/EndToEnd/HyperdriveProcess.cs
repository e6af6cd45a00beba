using System.Diagnostics;
using System.Text;

namespace HyperDrive.Cli.Tests.EndToEnd;

/// <summary>The real <c>hyperdrive</c> executable as a child process, its output collected line by line.</summary>
internal sealed class HyperdriveProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly object _gate = new();

    private HyperdriveProcess(Process process)
    {
        _process = process;
    }

    public int Id => _process.Id;

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

    public static HyperdriveProcess Start(string workingDirectory, params string[] args)
    {
        // A test run started in the background (no job control) inherits SIGINT ignored, and .NET keeps an ignored
        // SIGINT ignored: env resets it, so Ctrl-C tests behave the same however the test run was started.
        var start = new ProcessStartInfo("env")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add("--default-signal=INT");
        start.ArgumentList.Add("dotnet");
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "hyperdrive.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var process = new Process { StartInfo = start };
        var wrapper = new HyperdriveProcess(process);
        process.OutputDataReceived += (_, e) => wrapper.Append(e.Data);
        process.ErrorDataReceived += (_, e) => wrapper.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return wrapper;
    }

    /// <summary>Waits until the output contains <paramref name="text"/> (or the process exits, or the timeout passes).</summary>
    public async Task<bool> WaitForOutputAsync(Func<string, bool> condition, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (!deadline.IsCancellationRequested)
        {
            if (condition(Output))
            {
                return true;
            }

            if (_process.HasExited)
            {
                return condition(Output);
            }

            await Task.WhenAny(_process.WaitForExitAsync(deadline.Token), Task.Delay(50, deadline.Token)).ContinueWith(_ => { }, TaskScheduler.Default);
        }

        return condition(Output);
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(deadline.Token);
        return _process.ExitCode;
    }

    /// <summary>kill -9: the process gets no chance to stop its trials or flush anything.</summary>
    public void KillHard()
    {
        _process.Kill(entireProcessTree: false);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
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
