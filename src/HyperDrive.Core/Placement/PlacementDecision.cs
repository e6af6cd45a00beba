namespace HyperDrive.Core.Placement;

/// <summary>
/// The answer of <see cref="PlacementRule.Decide"/>: <see cref="Placed"/>, <see cref="OnCpu"/>, <see cref="Wait"/>
/// or <see cref="Impossible"/>.
/// </summary>
public abstract record PlacementDecision
{
    private protected PlacementDecision()
    {
    }
}
