using System.Collections.Immutable;
using System.Text.Json.Serialization;
using HyperDrive.Core.History;
using HyperDrive.Core.Parameters;

namespace HyperDrive.Actors.Sweeps;

/// <summary>One interval of a trial's metric history, every metric it reported.</summary>
public sealed record IntervalMetrics(int Interval, ImmutableSortedDictionary<string, double> Metrics);

/// <summary>What users see of one trial (DESIGN §1 <c>runs --json</c>): its parameters, state, metrics and attempts.</summary>
public sealed record TrialView
{
    public required int Number { get; init; }

    public required ParameterSet Parameters { get; init; }

    public TrialStatus Status { get; init; } = TrialStatus.Queued;

    /// <summary>The current attempt (0 before the first start).</summary>
    public int Attempt { get; init; }

    public string? Node { get; init; }

    public DateTimeOffset? Started { get; init; }

    public DateTimeOffset? Ended { get; init; }

    /// <summary>Why the trial stopped early, failed or was canceled; null otherwise.</summary>
    public string? Reason { get; init; }

    /// <summary>The stop the coordinator asked for and is waiting to see take effect.</summary>
    public string? PendingStop { get; init; }

    /// <summary>Metric history of the current attempt.</summary>
    public ImmutableList<IntervalMetrics> History { get; init; } = [];

    /// <summary>Infrastructure failures so far (lost process or node), for the retry limit.</summary>
    public int InfrastructureFailures { get; init; }

    /// <summary>The trial's own failures so far, for <c>trial.retries</c>.</summary>
    public int OwnFailures { get; init; }

    [JsonIgnore]
    public bool IsFinished => Status is TrialStatus.Completed or TrialStatus.Failed or TrialStatus.Canceled;

    /// <summary>The last reported value of every metric (the trial's final metrics). O(history): for display, not for hot paths.</summary>
    [JsonIgnore]
    public ImmutableSortedDictionary<string, double> FinalMetrics
    {
        get
        {
            var last = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var interval in History)
            {
                foreach (var (name, value) in interval.Metrics)
                {
                    last[name] = value;
                }
            }

            return last.ToImmutableSortedDictionary();
        }
    }
}
