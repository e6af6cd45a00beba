using System.Globalization;
using System.Text.RegularExpressions;

namespace HyperDrive.Cli.Tests.EndToEnd;

/// <summary>
/// A copy of an example sweep file in a temp folder, for tests that lower its limits: the relative <c>code:</c> and
/// <c>path:</c> values are made absolute (against the example's folder) and <c>python3</c> at the start of a command or
/// step is replaced by a chosen interpreter.
/// </summary>
internal static partial class ExampleCopy
{
    public static string Examples => Path.Combine(CliRunner.RepositoryRoot(), "examples");

    public static string Write(string example, string folder, int? maxTotalTrials = null, int? maxConcurrentTrials = null, string? python = null, params (string From, string To)[] replacements)
    {
        var source = Path.Combine(Examples, example);
        var baseFolder = Path.GetDirectoryName(source)!;
        var text = File.ReadAllText(source);
        text = RelativePath().Replace(text, m => m.Groups[1].Value + Path.GetFullPath(Path.Combine(baseFolder, m.Groups[2].Value)));
        if (maxTotalTrials is { } total)
        {
            text = Replace(text, MaxTotal(), "max_total_trials: " + total.ToString(CultureInfo.InvariantCulture));
        }

        if (maxConcurrentTrials is { } concurrent)
        {
            text = Replace(text, MaxConcurrent(), "max_concurrent_trials: " + concurrent.ToString(CultureInfo.InvariantCulture));
        }

        if (python is not null)
        {
            // Only files whose trial is a Python command have one; the builtin ones are left as they are.
            text = Python().Replace(text, "$1" + python + " ");
        }

        foreach (var (from, to) in replacements)
        {
            Assert.Contains(from, text, StringComparison.Ordinal);
            text = text.Replace(from, to, StringComparison.Ordinal);
        }

        var path = Path.Combine(folder, Path.GetFileName(example));
        File.WriteAllText(path, text);
        return path;
    }

    private static string Replace(string text, Regex pattern, string replacement)
    {
        Assert.Matches(pattern, text);
        return pattern.Replace(text, replacement);
    }

    [GeneratedRegex(@"(\b(?:code|path): )(\.{1,2}/[^\s}]+)")]
    private static partial Regex RelativePath();

    [GeneratedRegex(@"max_total_trials: \d+")]
    private static partial Regex MaxTotal();

    [GeneratedRegex(@"max_concurrent_trials: \d+")]
    private static partial Regex MaxConcurrent();

    [GeneratedRegex(@"((?:command: |- ))python3 ")]
    private static partial Regex Python();
}
