using System.Diagnostics;

namespace HyperDrive.Cli.Tests;

/// <summary>The real executable, started as a process: exit codes and output are what a shell script sees.</summary>
public sealed class HyperdriveProcessTests
{
    [Theory]
    [InlineData("all-expressions.yml")]
    [InlineData("grid-small.yml")]
    public async Task Plan_in_another_process_should_propose_exactly_what_this_process_proposes(string file)
    {
        var inProcess = await CliRunner.RunAsync("plan", CliRunner.Spec(file), "--count", "20", "--json");
        var (exitCode, output, error) = await RunProcessAsync("plan", CliRunner.Spec(file), "--count", "20", "--json");

        Assert.True(exitCode == 0, error);
        Assert.Equal(inProcess.Output, output);
    }

    [Theory]
    [InlineData("grid-small.yml", 0)]
    [InlineData("invalid.yml", 2)]
    public async Task Hyperdrive_process_should_exit_with_the_documented_code(string file, int expected)
    {
        var (exitCode, output, error) = await RunProcessAsync("validate", CliRunner.Spec(file));

        Assert.True(expected == exitCode, $"exit {exitCode}\n{output}\n{error}");
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunProcessAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "hyperdrive.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }
}
