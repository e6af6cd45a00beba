using System.Collections.Immutable;
using HyperDrive.Core.Placement;

namespace HyperDrive.Actors.Trials;

/// <summary>
/// Start attempt <paramref name="Attempt"/> of a trial on <paramref name="Node"/>. Idempotent on (trial, attempt):
/// a repeat answers with <see cref="TrialActorStatus"/> and starts nothing. The sweep file's text travels with it so
/// any node can run it. <paramref name="Lease"/> is what the coordinator's placement gave the attempt; the worker
/// checks it against its own ledger and refuses (<see cref="Sweeps.AttemptEnd.Refused"/>) a lease it cannot honour.
/// </summary>
public sealed record StartTrial(
    string SweepId,
    int TrialNumber,
    int Attempt,
    Core.Parameters.ParameterSet Parameters,
    string SpecText,
    string SpecDirectory,
    string DataDirectory,
    ImmutableArray<int> GpuDevices = default,
    string Node = "",
    Lease? Lease = null) : IWithTrialId;

/// <summary>Stop an attempt (policy, cancel): SIGTERM, then SIGKILL after the grace period; ends as Canceled.</summary>
public sealed record StopTrial(string SweepId, int TrialNumber, int Attempt, string Reason, string Node = "") : IWithTrialId;

/// <summary>What a trial actor is doing, in answer to a repeated <see cref="StartTrial"/>.</summary>
public sealed record TrialActorStatus(string SweepId, int TrialNumber, int Attempt, bool Running) : IHyperDriveMessage;

/// <summary>
/// A recovered coordinator asks about an attempt it had started on <paramref name="Node"/>. The trial actor sends again
/// the intervals after <paramref name="LastInterval"/>, then the attempt's end, or <see cref="Sweeps.TrialAttemptProbed"/>.
/// </summary>
public sealed record ProbeAttempt(string SweepId, int TrialNumber, int Attempt, string Node, int LastInterval) : IWithTrialId;

/// <summary>
/// Sent by a worker to its own shard when it starts, so the shard is allocated before the first trial (the shard
/// coordinator may be on a worker that dies later: a restart must not wait for it to move). The entity stops at once.
/// </summary>
public sealed record WarmShard(string Node) : IWithTrialId
{
    public string SweepId => "";

    public int TrialNumber => 0;
}
