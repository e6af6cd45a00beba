using System.Text.Json;
using HyperDrive.Training.Torch.Tests.Support;

namespace HyperDrive.Training.Torch.Tests;

/// <summary>-p:TorchBackend=cuda swaps libtorch-cpu-linux-x64 for TorchSharp-cuda-linux, checked by evaluation (the feed does not serve the CUDA package).</summary>
public sealed class TorchBackendTests
{
    [Theory]
    [InlineData(null, "libtorch-cpu-linux-x64", "TorchSharp-cuda-linux")]
    [InlineData("cpu", "libtorch-cpu-linux-x64", "TorchSharp-cuda-linux")]
    [InlineData("cuda", "TorchSharp-cuda-linux", "libtorch-cpu-linux-x64")]
    public void The_trainer_project_should_reference_the_natives_of_the_chosen_backend(string? backend, string expected, string absent)
    {
        string[] property = backend is null ? [] : ["-p:TorchBackend=" + backend];
        var (exitCode, output) = Repository.Dotnet(["msbuild", Repository.TorchProject, "-nologo", "-getItem:PackageReference", .. property]);

        Assert.True(exitCode == 0, output);
        using var json = JsonDocument.Parse(output);
        var references = json.RootElement.GetProperty("Items").GetProperty("PackageReference").EnumerateArray()
            .Select(r => r.GetProperty("Identity").GetString()).ToList();
        Assert.Contains("TorchSharp", references);
        Assert.Contains(expected, references);
        Assert.DoesNotContain(absent, references);
    }

    [Fact]
    public void The_trainer_project_should_refuse_an_unknown_backend_by_name()
    {
        var (exitCode, output) = Repository.Dotnet("msbuild", Repository.TorchProject, "-nologo", "-t:CheckTorchBackend", "-p:TorchBackend=rocm");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("TorchBackend must be cpu or cuda, got 'rocm'", output, StringComparison.Ordinal);
    }
}
