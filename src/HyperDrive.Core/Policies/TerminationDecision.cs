namespace HyperDrive.Core.Policies;

/// <summary>A policy's answer for one trial at one interval: continue, or stop with a human-readable reason.</summary>
public sealed record TerminationDecision(bool Stop, string? Reason)
{
    public static readonly TerminationDecision Continue = new(false, null);

    public static TerminationDecision StopBecause(string reason) => new(true, reason);
}
