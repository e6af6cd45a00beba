using System.Diagnostics;
using System.Runtime.InteropServices;

namespace HyperDrive.Benchmarks;

/// <summary>What every benchmark prints about the machine it ran on, and how it runs a peer or the CLI as a child process.</summary>
internal static class BenchmarkHost
{
    public static string Runtime => RuntimeInformation.FrameworkDescription;

    /// <summary>CPU model, cores, memory and OS, from /proc where there is one.</summary>
    public static string Machine()
    {
        var model = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        var memory = File.Exists("/proc/meminfo")
            ? File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        return $"{model ?? "unknown CPU"}, {Environment.ProcessorCount} cores, {memory ?? "? kB"} memory, {RuntimeInformation.OSDescription}";
    }

    /// <summary>Runs <paramref name="file"/> with an argument vector to its end; both streams are read at once, so neither can fill up and stall it.</summary>
    public static (int ExitCode, string Output, string Error) Run(string file, IEnumerable<string> arguments, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (workingDirectory is not null)
        {
            start.WorkingDirectory = workingDirectory;
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output, error.Result);
    }
}
