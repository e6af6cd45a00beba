using HyperDrive.Core.Policies;
using HyperDrive.Core.Sampling;
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

    /// <summary>
    /// Builds the file's sampler (and checks its policy builds): a sampler or policy that is known but not built
    /// yet is refused here, with its diagnostic printed, as <c>plan</c> and <c>run</c> both require.
    /// </summary>
    public static ISampler? CreateSampler(SweepSpec spec, string path, TextWriter error)
    {
        try
        {
            var sampler = SamplerRegistry.Create(spec);
            _ = PolicyRegistry.Create(spec);
            return sampler;
        }
        catch (SpecException refused)
        {
            foreach (var diagnostic in refused.Diagnostics)
            {
                error.WriteLine(Format(path, diagnostic));
            }

            return null;
        }
    }
}
