using System.Text.RegularExpressions;

namespace HyperDrive.Core.Tests.Sampling;

/// <summary>
/// Core must not depend on per-process randomness: string hash codes and HashCode.Combine are randomized
/// per process, Random.Shared and an unseeded Random differ per run. A scan of Core's sources (comments
/// excluded) keeps them out.
/// </summary>
public sealed partial class CorePurityTests
{
    [Fact]
    public void Core_sources_should_not_use_process_randomized_hashing_or_randomness_when_scanned()
    {
        var core = Path.Combine(SamplerTestKit.RepositoryRoot(), "src", "HyperDrive.Core");
        var files = Directory.EnumerateFiles(core, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();

        var findings = files.SelectMany(f => Violations(File.ReadAllText(f)).Select(v => $"{Path.GetRelativePath(core, f)}: {v}")).ToList();

        Assert.True(files.Count > 20, $"only {files.Count} files found under {core}");
        Assert.Empty(findings);
    }

    [Theory]
    [InlineData("var h = name.GetHashCode();")]
    [InlineData("var h = HashCode.Combine(a, b);")]
    [InlineData("var r = Random.Shared.Next();")]
    [InlineData("var r = new Random(42);")]
    [InlineData("var r = new System.Random();")]
    public void Scan_should_flag_the_forbidden_call_when_present(string line)
    {
        Assert.NotEmpty(Violations("class C { void M() { " + line + " } }"));
    }

    [Theory]
    [InlineData("public override int GetHashCode() => Items.Length;")]
    [InlineData("/// <summary>unlike <c>string.GetHashCode</c> and <c>HashCode.Combine</c></summary>")]
    [InlineData("// never Random.Shared")]
    [InlineData("public sealed class StableRandom : Random")]
    public void Scan_should_accept_the_line_when_it_only_declares_or_mentions(string line)
    {
        Assert.Empty(Violations(line));
    }

    internal static IEnumerable<string> Violations(string source)
    {
        var code = Comments().Replace(source, "");
        return Forbidden().Matches(code).Select(m => m.Value);
    }

    [GeneratedRegex(@"//[^\n]*|/\*.*?\*/", RegexOptions.Singleline)]
    private static partial Regex Comments();

    [GeneratedRegex(@"\.GetHashCode\s*\(|HashCode\s*\.\s*Combine|Random\s*\.\s*Shared|new\s+(System\s*\.\s*)?Random\s*\(")]
    private static partial Regex Forbidden();
}
