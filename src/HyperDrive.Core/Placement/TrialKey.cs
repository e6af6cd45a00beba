namespace HyperDrive.Core.Placement;

/// <summary>The key of a lease: one attempt of one trial of one sweep.</summary>
public sealed record TrialKey(string SweepId, int TrialNumber, int Attempt)
{
    public override string ToString() => $"{SweepId}/{TrialNumber}#{Attempt}";
}
