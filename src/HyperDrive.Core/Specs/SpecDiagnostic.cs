namespace HyperDrive.Core.Specs;

public enum DiagnosticSeverity
{
    Error,
    Warning,
}

/// <summary>
/// An error or warning about a sweep file: the path of the key (<c>search_space.learning_rate.min_value</c>),
/// the message (in Azure's wording where Azure has one) and, when known, the line and column.
/// </summary>
public sealed record SpecDiagnostic(DiagnosticSeverity Severity, string Path, string Message, int? Line = null, int? Column = null)
{
    public static SpecDiagnostic Error(string path, string message, int? line = null, int? column = null) =>
        new(DiagnosticSeverity.Error, path, message, line, column);

    public static SpecDiagnostic Warning(string path, string message, int? line = null, int? column = null) =>
        new(DiagnosticSeverity.Warning, path, message, line, column);

    public override string ToString()
    {
        var where = Line is { } l ? $"{l}:{Column ?? 1}: " : "";
        var severity = Severity == DiagnosticSeverity.Error ? "error" : "warning";
        var path = string.IsNullOrEmpty(Path) ? "" : Path + ": ";
        return $"{where}{severity}: {path}{Message}";
    }
}
