using HyperDrive.Core.History;
using HyperDrive.Core.Parameters;
using HyperDrive.Core.Sampling;
using HyperDrive.Core.Spaces;
using HyperDrive.Core.Specs;

namespace HyperDrive.Core.Tests.Sampling;

/// <summary>The public objectives of shared/bench/README.md §1 and a sequential loop that runs a sampler on one.</summary>
internal static class SearchObjectives
{
    public const double BraninMinimum = 0.397887;

    public static readonly SearchSpace BraninSpace = SearchSpace.Of(
        ("x1", new UniformExpression(-5, 10)),
        ("x2", new UniformExpression(0, 15)));

    public static readonly SearchSpace Rosenbrock4Space = SearchSpace.Of(
        ("x1", new UniformExpression(-2, 2)),
        ("x2", new UniformExpression(-2, 2)),
        ("x3", new UniformExpression(-2, 2)),
        ("x4", new UniformExpression(-2, 2)));

    public static double Branin(ParameterSet p)
    {
        var (x1, x2) = (X(p, "x1"), X(p, "x2"));
        const double a = 1, r = 6, s = 10;
        var b = 5.1 / (4 * Math.PI * Math.PI);
        var c = 5 / Math.PI;
        var t = 1 / (8 * Math.PI);
        return a * Math.Pow(x2 - b * x1 * x1 + c * x1 - r, 2) + s * (1 - t) * Math.Cos(x1) + s;
    }

    public static double Rosenbrock4(ParameterSet p)
    {
        double[] x = [X(p, "x1"), X(p, "x2"), X(p, "x3"), X(p, "x4")];
        var sum = 0.0;
        for (var i = 0; i < 3; i++)
        {
            sum += 100 * Math.Pow(x[i + 1] - x[i] * x[i], 2) + Math.Pow(1 - x[i], 2);
        }

        return sum;
    }

    public static double Sphere(ParameterSet p) =>
        p.Entries.Sum(e => Math.Pow(e.Value.AsDouble()!.Value - 0.3, 2));

    /// <summary>Runs <paramref name="trials"/> sequential trials minimising <paramref name="objective"/>; the best value after the last.</summary>
    public static double Best(SamplingSpec sampling, SearchSpace space, long seed, Func<ParameterSet, double> objective, int trials)
    {
        var sampler = SamplerRegistry.Create(SamplerTestKit.Spec(sampling, space, seed));
        var history = SweepHistory.Empty(new Objective("loss", Goal.Minimize));
        var best = double.PositiveInfinity;
        for (var n = 1; n <= trials; n++)
        {
            var proposal = sampler.Propose(history)!;
            var value = objective(proposal);
            best = Math.Min(best, value);
            history = history.Propose(proposal).Report(n, new MetricPoint(1, value)).Finish(n, TrialStatus.Completed);
        }

        return best;
    }

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : 0.5 * (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]);
    }

    private static double X(ParameterSet p, string name) => p.Find(name)!.AsDouble()!.Value;
}
