using System.Collections.Immutable;
using System.Text.Json.Serialization;
using HyperDrive.Core.History;

namespace HyperDrive.Actors.Sweeps;

/// <summary>
/// A snapshot of a sweep: its submission and every trial as users see it. <see cref="ToState"/> rebuilds the
/// same <see cref="SweepState"/> (history included) that replaying the events would, so recovery stays fast.
/// </summary>
public sealed record SweepSnapshot(
    SweepSubmitted Submitted,
    SweepStatus Status,
    ImmutableArray<TrialView> Trials,
    string? EndReason,
    DateTimeOffset? EndedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? SamplerState = null) : IHyperDriveMessage
{
    /// <summary>Warm-start priors; left out of the JSON when there are none (default), so older snapshots read unchanged.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public ImmutableArray<PriorTrial> Priors { get; init; }

    public static SweepSnapshot From(SweepState state) => new(
        new SweepSubmitted(state.SweepId, state.SpecText, state.SpecDirectory, state.SourceFile, state.Seed, state.SubmittedAt ?? default),
        state.Status,
        [.. state.Trials],
        state.EndReason,
        state.EndedAt,
        state.SamplerState)
    {
        Priors = state.Priors.IsDefaultOrEmpty ? default : state.Priors,
    };

    public SweepState ToState()
    {
        var state = SweepState.Empty.Apply(Submitted);
        var objective = state.History.Objective;
        var records = Trials.Select(t => new TrialRecord(
            t.Number,
            t.Parameters,
            t.Status,
            [.. t.History.Where(m => m.Metrics.ContainsKey(objective.PrimaryMetric))
                .Select(m => new MetricPoint(m.Interval, m.Metrics[objective.PrimaryMetric]))]));
        return state with
        {
            Status = Status,
            Trials = [.. Trials],
            History = new SweepHistory(objective, [.. records]),
            EndReason = EndReason,
            EndedAt = EndedAt,
            Priors = Priors.IsDefault ? [] : Priors,
            SamplerState = SamplerState,
        };
    }
}
