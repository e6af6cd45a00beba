namespace HyperDrive.Core.Placement;

/// <summary>Keep the trial Queued: a live node could run it once leases are released. <paramref name="Reason"/> is shown.</summary>
public sealed record Wait(string Reason) : PlacementDecision;
