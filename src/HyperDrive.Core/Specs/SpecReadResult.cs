using System.Collections.Immutable;

namespace HyperDrive.Core.Specs;

/// <summary>The outcome of reading a sweep file: the spec when it has no errors, and every diagnostic at once.</summary>
public sealed record SpecReadResult(SweepSpec? Spec, ImmutableArray<SpecDiagnostic> Diagnostics)
{
    public IEnumerable<SpecDiagnostic> Errors => Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error);

    public IEnumerable<SpecDiagnostic> Warnings => Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Warning);

    public bool Succeeded => Spec is not null && !Errors.Any();
}
