namespace HyperDrive.Actors;

/// <summary>Every message that may cross a node and every persisted event: bound to <c>HyperDriveSerializer</c>.</summary>
public interface IHyperDriveMessage;

/// <summary>A message routed to a sweep's coordinator (sharding region <c>sweep</c>).</summary>
public interface IWithSweepId : IHyperDriveMessage
{
    string SweepId { get; }
}

/// <summary>A message routed to one trial's actor (sharding region <c>trial</c>).</summary>
public interface IWithTrialId : IHyperDriveMessage
{
    string SweepId { get; }

    int TrialNumber { get; }

    /// <summary>The node the trial's attempt runs on: the shard id, so a node's trials are its own shard.</summary>
    string Node { get; }
}
