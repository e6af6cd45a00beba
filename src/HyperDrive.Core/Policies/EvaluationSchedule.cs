using HyperDrive.Core.Specs;

namespace HyperDrive.Core.Policies;

/// <summary>
/// When a policy is applied (REFERENCE §3.1): at interval <c>k</c> iff <c>k % evaluation_interval == 0</c> and
/// <c>k &gt;= delay_evaluation</c>. An <c>evaluation_interval</c> of 0 (the Azure v2 SDK default) is read as 1.
/// </summary>
public sealed record EvaluationSchedule
{
    public static readonly EvaluationSchedule EveryInterval = new();

    public EvaluationSchedule(int evaluationInterval = 1, int delayEvaluation = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(evaluationInterval);
        ArgumentOutOfRangeException.ThrowIfNegative(delayEvaluation);
        EvaluationInterval = evaluationInterval == 0 ? 1 : evaluationInterval;
        DelayEvaluation = delayEvaluation;
    }

    /// <summary>The modulus, never 0.</summary>
    public int EvaluationInterval { get; }

    public int DelayEvaluation { get; }

    public static EvaluationSchedule From(TerminationSpec spec) => new(spec.EvaluationInterval, spec.DelayEvaluation);

    /// <summary>True when the policy is applied at <paramref name="interval"/> (1-based).</summary>
    public bool IsDue(int interval) =>
        interval >= 1 && interval % EvaluationInterval == 0 && interval >= DelayEvaluation;

    public override string ToString() =>
        $"evaluation_interval {EvaluationInterval}, delay_evaluation {DelayEvaluation}";
}
