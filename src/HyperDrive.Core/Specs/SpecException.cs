using System.Collections.Immutable;

namespace HyperDrive.Core.Specs;

/// <summary>Raised where a spec cannot be turned into a running part (a sampler or policy not built yet, …).</summary>
public sealed class SpecException : Exception
{
    public SpecException(SpecDiagnostic diagnostic)
        : this([diagnostic])
    {
    }

    public SpecException(ImmutableArray<SpecDiagnostic> diagnostics)
        : base(string.Join(Environment.NewLine, diagnostics))
    {
        Diagnostics = diagnostics;
    }

    public ImmutableArray<SpecDiagnostic> Diagnostics { get; }
}
