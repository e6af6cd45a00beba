using System.Collections.Immutable;
using System.ComponentModel;
using System.Diagnostics;
using HyperDrive.Core.Placement;

namespace HyperDrive.Training.Devices;

/// <summary>
/// Finds this machine's GPUs with <c>nvidia-smi</c> (index, name and memory of each), as a worker announces them.
/// No nvidia-smi on the machine means no GPU; an nvidia-smi that fails or prints what cannot be read is an
/// error that says why, so a node never announces a wrong capacity (<c>--gpus N</c> overrides it).
/// </summary>
public static class GpuDiscovery
{
    public const string Arguments = "--query-gpu=index,name,memory.total --format=csv,noheader,nounits";

    public static GpuDiscoveryResult Discover(string executable = "nvidia-smi", TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in Arguments.Split(' '))
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new Win32Exception("not started");
        }
        catch (Win32Exception)
        {
            return new GpuDiscoveryResult([], null);
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout ?? TimeSpan.FromSeconds(15)))
            {
                process.Kill(entireProcessTree: true);
                return new GpuDiscoveryResult([], $"{executable} did not answer within {(timeout ?? TimeSpan.FromSeconds(15)).TotalSeconds:0} s; pass --gpus N to say how many GPUs this node has");
            }

            if (process.ExitCode != 0)
            {
                var said = (error.Result + output.Result).Trim().Split('\n').FirstOrDefault()?.Trim();
                return new GpuDiscoveryResult([], $"{executable} failed (exit {process.ExitCode}): {said}; pass --gpus N, or --gpus 0 for a CPU node");
            }

            return NvidiaSmiParser.TryParse(output.Result, out var gpus, out var errors)
                ? new GpuDiscoveryResult(gpus, null)
                : new GpuDiscoveryResult([], $"{executable} printed what cannot be read: {string.Join("; ", errors)}");
        }
    }
}

/// <summary>The GPUs found, or why none could be read (<see cref="Error"/> not null).</summary>
public sealed record GpuDiscoveryResult(ImmutableArray<GpuDevice> Gpus, string? Error);
