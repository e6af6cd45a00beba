namespace HyperDrive.Core.History;

/// <summary>The state of a trial, as shown to users and in <c>runs --json</c>.</summary>
public enum TrialStatus
{
    Queued,
    Running,
    Completed,
    Failed,
    Canceled,
}
