using System.Diagnostics;

namespace HyperDrive.Cli.Tests.Deployment;

/// <summary>Runs a program to its end with captured output and a deadline.</summary>
internal static class ShellRun
{
    public static async Task<(int ExitCode, string Output)> RunAsync(
        string program, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null, int timeoutSeconds = 60)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = DeploymentFiles.Root,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        var output = process.StandardOutput.ReadToEndAsync(deadline.Token);
        var error = process.StandardError.ReadToEndAsync(deadline.Token);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', start.ArgumentList)} ran past {timeoutSeconds} s");
        }

        return (process.ExitCode, await output + await error);
    }
}
