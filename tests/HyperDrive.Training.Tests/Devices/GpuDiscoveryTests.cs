using HyperDrive.Training.Devices;

namespace HyperDrive.Training.Tests.Devices;

/// <summary>GPU discovery against stand-ins for nvidia-smi (CI has no GPU; the real output is a Core fixture).</summary>
public sealed class GpuDiscoveryTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "hyperdrive-gpu-" + Guid.NewGuid().ToString("N")[..8]);

    public GpuDiscoveryTests() => Directory.CreateDirectory(_folder);

    [Fact]
    public void Discovery_should_read_the_GPUs_nvidia_smi_reports()
    {
        var smi = Script("smi", """
            #!/usr/bin/env bash
            [[ "$*" == "--query-gpu=index,name,memory.total --format=csv,noheader,nounits" ]] || exit 3
            echo "0, NVIDIA H100 80GB HBM3, 81559"
            echo "1, NVIDIA H100 80GB HBM3, 81559"
            """);

        var result = GpuDiscovery.Discover(smi);

        Assert.Null(result.Error);
        Assert.Equal([0, 1], result.Gpus.Select(g => g.Index));
        Assert.All(result.Gpus, g => Assert.Equal(81559L * 1024 * 1024, g.MemoryBytes));
    }

    [Fact]
    public void Discovery_should_find_no_GPU_when_nvidia_smi_is_not_installed()
    {
        var result = GpuDiscovery.Discover(Path.Combine(_folder, "no-such-nvidia-smi"));

        Assert.Null(result.Error);
        Assert.Empty(result.Gpus);
    }

    [Fact]
    public void Discovery_should_say_why_when_nvidia_smi_fails()
    {
        var smi = Script("broken", """
            #!/usr/bin/env bash
            echo "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver." >&2
            exit 9
            """);

        var result = GpuDiscovery.Discover(smi);

        Assert.Empty(result.Gpus);
        Assert.Contains("exit 9", result.Error);
        Assert.Contains("couldn't communicate with the NVIDIA driver", result.Error);
        Assert.Contains("--gpus", result.Error);
    }

    [Fact]
    public void Discovery_should_refuse_output_it_cannot_read()
    {
        var smi = Script("garbage", """
            #!/usr/bin/env bash
            echo "zero, T4"
            """);

        var result = GpuDiscovery.Discover(smi);

        Assert.Empty(result.Gpus);
        Assert.Contains("cannot be read", result.Error);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private string Script(string name, string text)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, text.Replace("\r", "", StringComparison.Ordinal) + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }
}
