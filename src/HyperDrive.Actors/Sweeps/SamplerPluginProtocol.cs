using System.Collections.Immutable;
using HyperDrive.Core.History;
using HyperDrive.Core.Parameters;

namespace HyperDrive.Actors.Sweeps;

// Messages between a sweep's coordinator and its SamplerPluginActor, a child on the same node: they never cross nodes
// and are not journaled, so they have no serializer manifest.

/// <summary>Asks the plug-in for up to <paramref name="Count"/> proposals given <paramref name="History"/>.</summary>
public sealed record PluginSearch(int RequestId, int Count, SweepHistory History)
{
    /// <summary>Earlier sweeps' finished trials (<c>resume_from</c>), sent to the plug-in as <c>warm_start</c>.</summary>
    public IReadOnlyList<TrialRecord> WarmStart { get; init; } = [];
}

/// <summary>
/// The plug-in's answer, checked against the space: at most the count asked (empty when it has nothing left to propose),
/// and its state after the search (null when it keeps none).
/// </summary>
public sealed record PluginProposals(int RequestId, ImmutableArray<ParameterSet> Proposals, string? StateJson);

/// <summary>The plug-in broke the protocol (crashed, hung, lied); <paramref name="Reason"/> names it and the problem.</summary>
public sealed record PluginFailed(int RequestId, string Reason);
