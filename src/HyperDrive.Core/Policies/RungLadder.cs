using HyperDrive.Core.History;

namespace HyperDrive.Core.Policies;

/// <summary>
/// The rungs of one successive-halving bracket over the interval resource, and the rung decision shared by
/// <see cref="AshaPolicy"/> and <see cref="HyperbandPolicy"/>. Rung <c>r</c> sits at interval
/// <c>ceil(minResource·eta^r)</c> (equal integers merged), strictly below <c>maxResource</c> when there is one: a trial
/// that reaches the maximum is done, so a rung there could only stop a finished trial.
/// <para>
/// A trial is judged at a rung when it first reports a value at or after the rung's interval (a NaN report carries no
/// value and does not count). Its rung value is its best value up to that report (<see cref="MetricSeries.BestUpTo"/>),
/// for every trial alike, so a rung's values are a pure function of the history. It continues iff it ranks within the
/// top <c>floor(n/eta)</c> of the <c>n</c> trials of its bracket that reached the rung (itself included, any status);
/// while <c>n &lt; eta</c> that top is empty and the trial continues (ASHA would wait for more results before promoting;
/// a policy cannot pause a trial, so it does not stop it on fewer than eta values).
/// </para>
/// </summary>
internal sealed class RungLadder
{
    private readonly int[] _rungs;

    public RungLadder(double minResource, double reductionFactor, double? maxResource)
    {
        var rungs = new List<int>();
        for (var r = 0; ; r++)
        {
            var at = minResource * Math.Pow(reductionFactor, r);
            var nearest = Math.Round(at);

            // 3·3 computed as 9.000000000000002 is still rung 9.
            var interval = Math.Abs(at - nearest) < 1e-9 * Math.Max(1, at) ? nearest : Math.Ceiling(at);
            if (interval >= int.MaxValue || (maxResource is { } max && interval >= max))
            {
                break;
            }

            if (rungs.Count == 0 || (int)interval > rungs[^1])
            {
                rungs.Add(Math.Max(1, (int)interval));
            }
        }

        _rungs = [.. rungs];
        ReductionFactor = reductionFactor;
    }

    /// <summary>Checks the resources of a ladder: <see cref="ArgumentOutOfRangeException"/> naming the bad one.</summary>
    public static void Validate(double minResource, double reductionFactor, double? maxResource)
    {
        if (!(double.IsFinite(minResource) && minResource > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(minResource), minResource, "min_resource expects a positive number.");
        }

        if (!(double.IsFinite(reductionFactor) && reductionFactor > 1))
        {
            throw new ArgumentOutOfRangeException(nameof(reductionFactor), reductionFactor, "reduction_factor expects a number > 1.");
        }

        if (maxResource is { } max && !(double.IsFinite(max) && max >= minResource))
        {
            throw new ArgumentOutOfRangeException(nameof(maxResource), max, "max_resource expects a number no smaller than min_resource.");
        }
    }

    public IReadOnlyList<int> Rungs => _rungs;

    public double ReductionFactor { get; }

    /// <summary>The highest rung at or below <paramref name="interval"/>; null when none.</summary>
    public int? RungAtOrBelow(int interval)
    {
        var index = Array.BinarySearch(_rungs, interval);
        index = index >= 0 ? index : ~index - 1;
        return index >= 0 ? _rungs[index] : null;
    }

    /// <summary>
    /// The decision for <paramref name="trial"/> reporting <paramref name="interval"/>; <paramref name="peers"/> are the
    /// other trials of its bracket. <paramref name="describe"/> names the policy and its options in the reason.
    /// </summary>
    public TerminationDecision Decide(
        TrialRecord trial, int interval, IEnumerable<TrialRecord> peers, Objective objective, string describe)
    {
        if (RungAtOrBelow(interval) is not { } rung || FirstReportAtOrAfter(trial.Primary, rung) != interval
            || trial.Primary.BestUpTo(interval, objective.Goal) is not { } y)
        {
            return TerminationDecision.Continue;
        }

        var values = new List<double>();
        foreach (var peer in peers)
        {
            if (peer.Number != trial.Number && peer.Primary.Reached(rung)
                && peer.Primary.BestUpTo(FirstReportAtOrAfter(peer.Primary, rung), objective.Goal) is { } value)
            {
                values.Add(value);
            }
        }

        var count = values.Count + 1;
        var keep = (int)Math.Floor(count / ReductionFactor + 1e-9);
        var rank = 1 + values.Count(v => objective.IsBetter(v, y));
        if (keep == 0 || rank <= keep)
        {
            return TerminationDecision.Continue;
        }

        values.Add(y);
        values.Sort((a, b) => objective.IsBetter(a, b) ? -1 : objective.IsBetter(b, a) ? 1 : 0);
        var cutoff = values[keep - 1];
        var sign = objective.Goal == Goal.Maximize ? "<" : ">";
        return TerminationDecision.StopBecause(
            $"{objective.PrimaryMetric} best {PolicyFormat.Number(y)} at interval {interval} {sign} cut-off "
            + $"{PolicyFormat.Number(cutoff)} of rung {rung}: rank {rank} of {count}, the top {keep} continue ({describe})");
    }

    /// <summary>
    /// The interval of the first non-NaN report at or after <paramref name="interval"/>; 0 when none. A binary search
    /// on a series in interval order (the coordinator's), a scan otherwise.
    /// </summary>
    internal static int FirstReportAtOrAfter(MetricSeries series, int interval)
    {
        int low = 0, high = series.Count;
        var sorted = true;
        while (low < high)
        {
            var mid = (low + high) >>> 1;
            if (series[mid].Interval < interval)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        for (var i = low; i < series.Count; i++)
        {
            var point = series[i];
            if (i > 0 && point.Interval < series[i - 1].Interval)
            {
                sorted = false;
                break;
            }

            if (!double.IsNaN(point.Value))
            {
                return point.Interval;
            }
        }

        if (sorted)
        {
            return 0;
        }

        var first = 0;
        foreach (var point in series)
        {
            if (point.Interval >= interval && !double.IsNaN(point.Value) && (first == 0 || point.Interval < first))
            {
                first = point.Interval;
            }
        }

        return first;
    }
}
