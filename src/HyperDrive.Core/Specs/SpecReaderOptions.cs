namespace HyperDrive.Core.Specs;

/// <summary>
/// Limits of <see cref="SweepSpecReader"/>. Azure's service caps (1000 trials, 100 concurrent) are not copied:
/// the trial caps are null (none) unless an operator sets them.
/// </summary>
public sealed record SpecReaderOptions
{
    public static readonly SpecReaderOptions Default = new();

    /// <summary>Files (and component files) larger than this are refused unread. 10 MB by default.</summary>
    public long MaxFileBytes { get; init; } = 10L * 1024 * 1024;

    /// <summary>Deepest nesting of mappings and lists, aliases expanded.</summary>
    public int MaxDepth { get; init; } = 64;

    /// <summary>Most nodes in a file once aliases are expanded (guards against YAML bombs).</summary>
    public long MaxNodes { get; init; } = 100_000;

    /// <summary>Largest <c>limits.max_total_trials</c> accepted; null for no cap.</summary>
    public int? MaxTotalTrialsCap { get; init; }

    /// <summary>Largest <c>limits.max_concurrent_trials</c> accepted; null for no cap.</summary>
    public int? MaxConcurrentTrialsCap { get; init; }
}
