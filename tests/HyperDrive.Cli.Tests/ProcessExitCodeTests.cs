using System.Diagnostics;

namespace HyperDrive.Cli.Tests;

/// <summary>The real executable, started as a process: exit codes are what a shell script sees.</summary>
public sealed class ProcessExitCodeTests
{
    [Theory]
    [InlineData("grid-small.yml", 0)]
    [InlineData("invalid.yml", 2)]
    public async Task Hyperdrive_process_should_exit_with_the_documented_code(string file, int expected)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "hyperdrive.dll"));
        start.ArgumentList.Add("validate");
        start.ArgumentList.Add(CliRunner.Spec(file));
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);

        Assert.True(expected == process.ExitCode, $"exit {process.ExitCode}\n{await output}\n{await error}");
    }
}
