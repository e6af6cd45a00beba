namespace HyperDrive.Core.History;

/// <summary>Whether the primary metric is to be maximized or minimized.</summary>
public enum Goal
{
    Maximize,
    Minimize,
}
