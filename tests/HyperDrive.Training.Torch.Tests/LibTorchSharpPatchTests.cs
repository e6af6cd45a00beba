using System.Security.Cryptography;
using HyperDrive.Training.Torch.Tests.Support;

namespace HyperDrive.Training.Torch.Tests;

/// <summary>The build's GLIBCXX_3.4.32 fix (STACK §4): that one requirement of libLibTorchSharp.so is weak, and nothing else changes.</summary>
public sealed class LibTorchSharpPatchTests : IDisposable
{
    private const string Version = "GLIBCXX_3.4.32";
    private readonly TempFolder _temp = new();

    private static string Original => Path.Combine(Repository.NuGetPackageRoot, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");

    [Fact]
    public void The_built_library_should_require_GLIBCXX_3_4_32_only_weakly()
    {
        var built = ElfVersionNeeds.Read(Path.Combine(AppContext.BaseDirectory, "libLibTorchSharp.so"));

        var requirement = Assert.Single(built, r => r.Version == Version);
        Assert.Equal("libstdc++.so.6", requirement.Library);
        Assert.Equal(ElfVersionNeeds.Weak, requirement.Flags & ElfVersionNeeds.Weak);
        // Every other requirement is as shipped.
        var shipped = ElfVersionNeeds.Read(Original);
        Assert.Equal(shipped.Where(r => r.Version != Version), built.Where(r => r.Version != Version));
    }

    [Fact]
    public void The_patch_should_weaken_the_shipped_library_once_and_change_nothing_the_second_time()
    {
        var copy = _temp.Combine("native", "libLibTorchSharp.so");
        Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
        File.Copy(Original, copy);
        Assert.Equal(0, ElfVersionNeeds.Read(copy).Single(r => r.Version == Version).Flags & ElfVersionNeeds.Weak);

        var first = Patch();
        var once = File.ReadAllBytes(copy);
        var second = Patch();

        Assert.True(first.ExitCode == 0, first.Output);
        Assert.Contains("weakened GLIBCXX_3.4.32", first.Output, StringComparison.Ordinal);
        Assert.Equal(ElfVersionNeeds.Weak, ElfVersionNeeds.Read(copy).Single(r => r.Version == Version).Flags & ElfVersionNeeds.Weak);
        var original = File.ReadAllBytes(Original);
        Assert.Equal(original.Length, once.Length);
        Assert.Equal(1, original.Zip(once).Count(p => p.First != p.Second));
        Assert.True(second.ExitCode == 0, second.Output);
        Assert.DoesNotContain("weakened", second.Output, StringComparison.Ordinal);
        Assert.Equal(SHA256.HashData(once), SHA256.HashData(File.ReadAllBytes(copy)));
    }

    public void Dispose() => _temp.Dispose();

    private (int ExitCode, string Output) Patch() =>
        Repository.Dotnet("msbuild", Repository.TorchProject, "-nologo", "-v:n", "-t:PatchLibTorchSharpIn", "-p:LibTorchSharpPatchDirectory=" + _temp.Path);
}
