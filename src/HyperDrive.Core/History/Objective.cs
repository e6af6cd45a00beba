namespace HyperDrive.Core.History;

/// <summary>The primary metric and its goal (<c>objective: {primary_metric: accuracy, goal: maximize}</c>).</summary>
public sealed record Objective(string PrimaryMetric, Goal Goal)
{
    /// <summary>True when <paramref name="candidate"/> is strictly better than <paramref name="incumbent"/>.</summary>
    public bool IsBetter(double candidate, double incumbent) =>
        Goal == Goal.Maximize ? candidate > incumbent : candidate < incumbent;

    /// <summary>The better of two values.</summary>
    public double Best(double a, double b) => IsBetter(b, a) ? b : a;

    /// <summary>The value as a quantity to minimize (negated when maximizing), for samplers that minimize.</summary>
    public double ToLoss(double value) => Goal == Goal.Maximize ? -value : value;
}
