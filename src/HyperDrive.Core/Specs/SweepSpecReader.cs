namespace HyperDrive.Core.Specs;

/// <summary>
/// Reads a sweep file (YAML or JSON, DESIGN §3) into a <see cref="SweepSpec"/>, reporting every error of the
/// file at once. Never throws on bad input: every problem becomes a <see cref="SpecDiagnostic"/>.
/// </summary>
public static class SweepSpecReader
{
    /// <summary>Reads a file; relative paths in it resolve against its folder.</summary>
    public static SpecReadResult ReadFile(string path) => throw new NotImplementedException();

    /// <summary>Reads text (YAML, of which JSON is a subset); <paramref name="baseDirectory"/> resolves relative paths.</summary>
    public static SpecReadResult ReadText(string text, string baseDirectory = ".", string? sourceName = null) =>
        throw new NotImplementedException();
}
