using HyperDrive.Core.Specs;

namespace HyperDrive.Cli.Commands;

/// <summary>Reads a sweep file for a command and prints its diagnostics the same way everywhere.</summary>
internal static class SpecLoading
{
    /// <summary>Reads <paramref name="path"/>; prints every warning and error to <paramref name="error"/>.</summary>
    public static SpecReadResult Read(string path, TextWriter error)
    {
        if (!File.Exists(path))
        {
            var missing = SpecDiagnostic.Error("", $"file not found: {path}");
            error.WriteLine(Format(path, missing));
            return new SpecReadResult(null, [missing]);
        }

        var result = SweepSpecReader.ReadFile(path);
        foreach (var diagnostic in result.Diagnostics.OrderBy(d => d.Severity == DiagnosticSeverity.Error ? 0 : 1))
        {
            error.WriteLine(Format(path, diagnostic));
        }

        return result;
    }

    public static string Format(string path, SpecDiagnostic diagnostic) => $"{path}:{diagnostic}";
}
