using HyperDrive.Core.Parameters;

namespace HyperDrive.Benchmarks;

/// <summary>One objective of ../shared/bench/README.md §1: its search space as sweep-file YAML, its function and its known minimum.</summary>
public sealed record QualityObjective(string Name, string SearchSpaceYaml, Func<ParameterSet, double> Loss, double KnownMinimum)
{
    public static IReadOnlyList<QualityObjective> All(string repositoryRoot)
    {
        var ridge = RidgeDiabetes.Load(Path.Combine(repositoryRoot, "data", "diabetes"));
        return
        [
            new("branin", """
                x1: { type: uniform, min_value: -5, max_value: 10 }
                x2: { type: uniform, min_value: 0, max_value: 15 }
                """, p => Branin(Real(p, "x1"), Real(p, "x2")), 0.39788735772973816),
            new("rosenbrock4", """
                x1: { type: uniform, min_value: -2, max_value: 2 }
                x2: { type: uniform, min_value: -2, max_value: 2 }
                x3: { type: uniform, min_value: -2, max_value: 2 }
                x4: { type: uniform, min_value: -2, max_value: 2 }
                """, p => Rosenbrock([Real(p, "x1"), Real(p, "x2"), Real(p, "x3"), Real(p, "x4")]), 0.0),
            // loguniform bounds are Azure's exponents: ln 1e-4 and ln 1e2.
            new("ridge_diabetes", """
                alpha: { type: loguniform, min_value: -9.210340371976182, max_value: 4.605170185988092 }
                fit_intercept: { type: choice, values: [true, false] }
                """, p => ridge.Loss(Real(p, "alpha"), p.Find("fit_intercept") is BooleanValue { Value: true }), -0.4823272656442931),
        ];
    }

    public static double Branin(double x1, double x2)
    {
        const double a = 1, r = 6, s = 10;
        var b = 5.1 / (4 * Math.PI * Math.PI);
        var c = 5 / Math.PI;
        var t = 1 / (8 * Math.PI);
        var inner = x2 - b * x1 * x1 + c * x1 - r;
        return a * inner * inner + s * (1 - t) * Math.Cos(x1) + s;
    }

    public static double Rosenbrock(double[] x)
    {
        var sum = 0.0;
        for (var i = 0; i < x.Length - 1; i++)
        {
            sum += 100 * Math.Pow(x[i + 1] - x[i] * x[i], 2) + Math.Pow(1 - x[i], 2);
        }

        return sum;
    }

    private static double Real(ParameterSet p, string name) => p.Find(name)?.AsDouble() ?? throw new InvalidOperationException($"{name} missing");
}
