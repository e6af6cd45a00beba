using System.Text;
using HyperDrive.Core.Specs.Yaml;

namespace HyperDrive.Core.Specs;

/// <summary>
/// Reads a sweep file (YAML or JSON, DESIGN §3) into a <see cref="SweepSpec"/>, reporting every error of the
/// file at once. Never throws on bad input: every problem becomes a <see cref="SpecDiagnostic"/>.
/// </summary>
public static class SweepSpecReader
{
    /// <summary>Reads a file; relative paths in it resolve against its folder. <paramref name="options"/> sets the limits.</summary>
    public static SpecReadResult ReadFile(string path, SpecReaderOptions? options = null)
    {
        var diagnostics = new List<SpecDiagnostic>();
        try
        {
            var full = Path.GetFullPath(path);
            var root = LoadTree(full, options ?? SpecReaderOptions.Default, diagnostics);
            return Finish(root, full, Path.GetDirectoryName(full) ?? ".", options, diagnostics);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            diagnostics.Add(SpecDiagnostic.Error("", $"cannot read '{path}': {ex.Message}"));
            return new SpecReadResult(null, [.. diagnostics]);
        }
    }

    /// <summary>Reads text (YAML, of which JSON is a subset); <paramref name="baseDirectory"/> resolves relative paths.</summary>
    public static SpecReadResult ReadText(
        string text, string baseDirectory = ".", string? sourceName = null, SpecReaderOptions? options = null)
    {
        var diagnostics = new List<SpecDiagnostic>();
        try
        {
            options ??= SpecReaderOptions.Default;
            YNode? root = null;
            if (text.Length > options.MaxFileBytes)
            {
                diagnostics.Add(SpecDiagnostic.Error("", $"the text is {text.Length} characters, over the cap of {options.MaxFileBytes} bytes"));
            }
            else
            {
                root = Parse(text, options, diagnostics);
            }

            return Finish(root, sourceName, Path.GetFullPath(baseDirectory), options, diagnostics);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            diagnostics.Add(SpecDiagnostic.Error("", $"cannot read {sourceName ?? "the text"}: {ex.Message}"));
            return new SpecReadResult(null, [.. diagnostics]);
        }
    }

    private static SpecReadResult Finish(
        YNode? root, string? sourceName, string baseDirectory, SpecReaderOptions? options, List<SpecDiagnostic> diagnostics)
    {
        SweepSpec? spec = null;
        if (root is not null)
        {
            var reader = new SweepFileReader(diagnostics, options ?? SpecReaderOptions.Default, baseDirectory);
            spec = reader.ReadRoot(root, sourceName);
        }
        else if (diagnostics.Count == 0)
        {
            diagnostics.Add(SpecDiagnostic.Error("", "the file is empty: a sweep file needs trial, search_space and objective"));
        }

        if (diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error))
        {
            spec = null;
        }

        return new SpecReadResult(spec, [.. diagnostics]);
    }

    /// <summary>Reads a file into a node tree, refusing it unread when over the size cap and when it is not text.</summary>
    internal static YNode? LoadTree(string file, SpecReaderOptions options, List<SpecDiagnostic> diagnostics)
    {
        var info = new FileInfo(file);
        if (!info.Exists)
        {
            diagnostics.Add(SpecDiagnostic.Error("", $"file not found: {file}"));
            return null;
        }

        if (info.Length > options.MaxFileBytes)
        {
            diagnostics.Add(SpecDiagnostic.Error("", $"the file is {info.Length} bytes, over the cap of {options.MaxFileBytes} bytes; it was not read"));
            return null;
        }

        var text = Decode(File.ReadAllBytes(file));
        if (text is null)
        {
            diagnostics.Add(SpecDiagnostic.Error("", "not a YAML or JSON text: the file holds binary data"));
            return null;
        }

        return Parse(text, options, diagnostics);
    }

    private static YNode? Parse(string text, SpecReaderOptions options, List<SpecDiagnostic> diagnostics)
    {
        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            text = text[1..];
        }

        if (text.Any(c => c < ' ' && c is not '\t' and not '\n' and not '\r'))
        {
            diagnostics.Add(SpecDiagnostic.Error("", "not a YAML or JSON text: it holds control characters (binary data?)"));
            return null;
        }

        var trimmed = text.TrimStart();
        if (trimmed.StartsWith('{') || trimmed.StartsWith('['))
        {
            // JSON may indent with tabs, which YAML forbids; outside strings a tab is only whitespace (one column either way).
            text = text.Replace('\t', ' ');
        }

        var root = YamlTreeBuilder.Build(text, options, diagnostics);
        return root is YScalar { IsNull: true } ? null : root;
    }

    private static string? Decode(byte[] bytes)
    {
        try
        {
            if (bytes.Length >= 2 && bytes[0] == 0xFF && bytes[1] == 0xFE)
            {
                return new UnicodeEncoding(false, true, true).GetString(bytes, 2, bytes.Length - 2);
            }

            if (bytes.Length >= 2 && bytes[0] == 0xFE && bytes[1] == 0xFF)
            {
                return new UnicodeEncoding(true, true, true).GetString(bytes, 2, bytes.Length - 2);
            }

            var offset = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
            return new UTF8Encoding(false, true).GetString(bytes, offset, bytes.Length - offset);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }
}
