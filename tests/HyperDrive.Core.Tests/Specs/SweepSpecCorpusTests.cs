using HyperDrive.Core.Specs;

namespace HyperDrive.Core.Tests.Specs;

/// <summary>Every file of specs/good reads without errors; every file of specs/bad yields its declared error.</summary>
public sealed class SweepSpecCorpusTests
{
    private static readonly string Root = Path.Combine(AppContext.BaseDirectory, "Specs", "specs");

    /// <summary>Files that cannot carry a "# expect:" comment.</summary>
    private static readonly Dictionary<string, string> SideTable = new(StringComparer.Ordinal)
    {
        ["empty.yml"] = "the file is empty",
        ["garbage.bin"] = "not a YAML or JSON text",
    };

    public static TheoryData<string> GoodFiles() => Files("good");

    public static TheoryData<string> BadFiles() => Files("bad");

    [Theory]
    [MemberData(nameof(GoodFiles))]
    public void Reader_should_read_without_errors_when_file_is_a_real_sweep_file(string name)
    {
        var result = ReadGuarded(Path.Combine(Root, "good", name));

        Assert.True(result.Succeeded, string.Join(Environment.NewLine, result.Errors));
        Assert.NotNull(result.Spec);
    }

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void Reader_should_report_the_declared_error_when_file_is_malformed(string name)
    {
        var path = Path.Combine(Root, "bad", name);
        var expected = SideTable.TryGetValue(name, out var known) ? known : ExpectedError(path);

        var result = ReadGuarded(path);

        Assert.False(result.Succeeded);
        Assert.Null(result.Spec);
        var errors = result.Errors.Select(e => $"{e.Path}: {e.Message}").ToList();
        Assert.NotEmpty(errors);
        Assert.True(
            errors.Any(e => e.Contains(expected, StringComparison.Ordinal)),
            $"expected an error containing \"{expected}\"; got:{Environment.NewLine}{string.Join(Environment.NewLine, errors)}");
    }

    [Fact]
    public void Corpus_should_hold_at_least_15_good_and_45_bad_files()
    {
        Assert.True(Directory.GetFiles(Path.Combine(Root, "good")).Length >= 15);
        Assert.True(Directory.GetFiles(Path.Combine(Root, "bad")).Length >= 45);
    }

    /// <summary>A hang guard, not a speed target: the read must finish within 10 s and never throw.</summary>
    internal static SpecReadResult ReadGuarded(string path)
    {
        var task = Task.Run(() => SweepSpecReader.ReadFile(path));
        Assert.True(task.Wait(TimeSpan.FromSeconds(10)), $"reading {Path.GetFileName(path)} did not finish within 10 s");
        return task.Result;
    }

    private static string ExpectedError(string path)
    {
        var first = File.ReadLines(path).First();
        const string prefix = "# expect: ";
        Assert.StartsWith(prefix, first);
        return first[prefix.Length..].Trim();
    }

    private static TheoryData<string> Files(string folder)
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(Root, folder)).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }
}
