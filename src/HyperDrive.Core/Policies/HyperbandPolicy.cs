using HyperDrive.Core.History;

namespace HyperDrive.Core.Policies;

/// <summary>
/// Hyperband (Li et al., JMLR 2018) over the interval (epoch) resource in its asynchronous form (Ray Tune's
/// AsyncHyperBandScheduler): brackets <c>s = 0..s_max</c>, <c>s_max = floor(log_eta(max_resource/min_resource))</c>, each
/// an ASHA (<see cref="RungLadder"/>) with its own minimum resource <c>max_resource·eta^-s</c>; bracket 0 never stops a
/// trial. <c>brackets</c> keeps only the most aggressive ones (<c>s_max</c> down). A trial is compared only with the
/// trials of its own bracket.
/// <para>
/// Bracket assignment is deterministic from the trial number and weighted as Hyperband's bracket sizes
/// <c>n_s = ceil((s_max+1)/(s+1)·eta^s)</c>: trial <c>t</c> goes to the bracket whose share of the cumulative weights
/// holds <c>frac(t·φ⁻¹)</c> (the golden-ratio Weyl sequence), so consecutive trials spread over the brackets and every
/// prefix of the trials is split close to the weights.
/// </para>
/// Defaults as Optuna's HyperbandPruner, Ray Tune's HyperBandScheduler and WMLA: reduction factor 3, minimum resource 1;
/// the maximum (WMLA's ResourceValue) is required.
/// </summary>
public sealed class HyperbandPolicy : IEarlyTerminationPolicy
{
    public const double DefaultMinResource = 1;

    public const double DefaultReductionFactor = 3;

    /// <summary>At most this many brackets (s_max &lt; 32): eta 2 already spans 2^31 intervals.</summary>
    public const int MaxBrackets = 32;

    private static readonly double InverseGoldenRatio = (Math.Sqrt(5) - 1) / 2;

    private readonly RungLadder[] _ladders;
    private readonly double[] _cumulative;
    private readonly string[] _describe;

    public HyperbandPolicy(
        double maxResource, double minResource = DefaultMinResource, double reductionFactor = DefaultReductionFactor, int? brackets = null)
    {
        RungLadder.Validate(minResource, reductionFactor, maxResource);

        var sMax = 0;
        while (minResource * Math.Pow(reductionFactor, sMax + 1) <= maxResource * (1 + 1e-9))
        {
            if (++sMax >= MaxBrackets)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(reductionFactor), reductionFactor,
                    $"reduction_factor {PolicyFormat.Number(reductionFactor)} gives more than {MaxBrackets} brackets from min_resource {PolicyFormat.Number(minResource)} to max_resource {PolicyFormat.Number(maxResource)}; use a larger reduction_factor or min_resource");
            }
        }

        if (brackets is { } b && (b < 1 || b > sMax + 1))
        {
            throw new ArgumentOutOfRangeException(nameof(brackets), b, $"brackets expects an integer from 1 to {sMax + 1} (s_max + 1).");
        }

        var count = brackets ?? sMax + 1;
        MaxResource = maxResource;
        MinResource = minResource;
        ReductionFactor = reductionFactor;
        MaxBracket = sMax;
        _ladders = new RungLadder[count];
        _cumulative = new double[count];
        _describe = new string[count];
        var weights = new double[count];
        for (var i = 0; i < count; i++)
        {
            // Index 0 is the most aggressive bracket, s = s_max.
            var s = sMax - i;
            _ladders[i] = new RungLadder(maxResource * Math.Pow(reductionFactor, -s), reductionFactor, maxResource);
            weights[i] = Math.Ceiling((sMax + 1.0) / (s + 1) * Math.Pow(reductionFactor, s) - 1e-9);
            _describe[i] = $"hyperband bracket {s} of 0..{sMax}, rungs {(_ladders[i].Rungs.Count == 0 ? "none" : string.Join(" ", _ladders[i].Rungs))}, "
                + $"reduction_factor {PolicyFormat.Number(reductionFactor)}, max_resource {PolicyFormat.Number(maxResource)}";
        }

        var total = weights.Sum();
        var sum = 0.0;
        for (var i = 0; i < count; i++)
        {
            sum += weights[i];
            _cumulative[i] = sum / total;
        }

        _cumulative[^1] = 1;
        BracketWeights = [.. Enumerable.Range(0, count).Select(i => (sMax - i, weights[i]))];
    }

    public string Name => "hyperband";

    public double MaxResource { get; }

    public double MinResource { get; }

    public double ReductionFactor { get; }

    /// <summary>s_max: the most aggressive bracket.</summary>
    public int MaxBracket { get; }

    /// <summary>The brackets in use (s_max first) and their Hyperband sizes n_s, the weights of the assignment.</summary>
    public IReadOnlyList<(int Bracket, double Weight)> BracketWeights { get; }

    /// <summary>The bracket <c>s</c> of trial <paramref name="trialNumber"/>.</summary>
    public int BracketOf(int trialNumber) => MaxBracket - IndexOf(trialNumber);

    /// <summary>The rung intervals of bracket <paramref name="bracket"/>.</summary>
    public IReadOnlyList<int> RungsOf(int bracket) => _ladders[MaxBracket - bracket].Rungs;

    public TerminationDecision Evaluate(SweepHistory history, int trialNumber, int interval)
    {
        var trial = PolicySeries.Trial(history, trialNumber);
        var index = IndexOf(trialNumber);
        var peers = history.Trials.Where(t => IndexOf(t.Number) == index);
        return _ladders[index].Decide(trial, interval, peers, history.Objective, _describe[index]);
    }

    private int IndexOf(int trialNumber)
    {
        var u = trialNumber * InverseGoldenRatio;
        u -= Math.Floor(u);
        var index = Array.BinarySearch(_cumulative, u);
        index = index >= 0 ? index + 1 : ~index;
        return Math.Min(index, _cumulative.Length - 1);
    }
}
