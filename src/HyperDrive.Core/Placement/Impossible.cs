namespace HyperDrive.Core.Placement;

/// <summary>No live node could ever run the trial, even idle: fail it with <paramref name="Error"/>.</summary>
public sealed record Impossible(string Error) : PlacementDecision;
