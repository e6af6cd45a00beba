using System.Globalization;
using HyperDrive.Core.Parameters;
using HyperDrive.Core.Specs;

namespace HyperDrive.Core.Sampling.Bayesian;

/// <summary>
/// The options of <c>sampling_algorithm: {type: bayesian, …}</c>. <see cref="InitialPoints"/> null means the default,
/// 2·(dimensions + 1) with a minimum of 5 (BoTorch's convention: enough points to fit one length scale per dimension
/// plus the signal and noise variances). <see cref="Noise"/> null means the noise variance is fitted; a number fixes
/// it, in units of the standardised objective.
/// </summary>
public sealed record BayesianOptions
{
    public static readonly BayesianOptions Default = new();

    public int? InitialPoints { get; init; }

    public AcquisitionKind Acquisition { get; init; } = AcquisitionKind.ExpectedImprovement;

    /// <summary>The improvement margin of EI and PI, in units of the standardised objective.</summary>
    public double Xi { get; init; }

    /// <summary>The exploration weight of LCB (μ − κσ).</summary>
    public double Kappa { get; init; } = 1.96;

    public KernelKind Kernel { get; init; } = KernelKind.Matern52;

    public double? Noise { get; init; }

    /// <summary>Sobol candidates scored per proposal before local refinement.</summary>
    public int Candidates { get; init; } = 1024;

    public int InitialPointsFor(int dimensions) => InitialPoints ?? Math.Max(5, 2 * (dimensions + 1));

    /// <summary>Reads the options kept in <see cref="SamplingSpec.Options"/>; a bad value is a <see cref="SpecException"/> naming the field.</summary>
    public static BayesianOptions From(MapValue options)
    {
        var result = Default;
        foreach (var (name, value) in options.Entries)
        {
            var path = "sampling_algorithm." + name;
            result = name switch
            {
                "n_initial_points" => result with { InitialPoints = Integer(value, path, 1) },
                "acquisition_function" => result with { Acquisition = AcquisitionOf(value, path) },
                "xi" => result with { Xi = NonNegative(value, path) },
                "kappa" => result with { Kappa = NonNegative(value, path) },
                "kernel" => result with { Kernel = KernelOf(value, path) },
                "noise" => result with { Noise = NoiseOf(value, path) },
                "n_candidates" => result with { Candidates = Integer(value, path, 1) },
                _ => throw new SpecException(SpecDiagnostic.Error(path,
                    $"unknown option '{name}' for the bayesian sampler; valid options: n_initial_points, acquisition_function, xi, kappa, kernel, noise, n_candidates")),
            };
        }

        return result;
    }

    private static int Integer(ParameterValue value, string path, int minimum) => value switch
    {
        IntegerValue { Value: var v } when v >= minimum && v <= 1_000_000 => (int)v,
        TextValue { Value: var t } when int.TryParse(t, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= minimum && v <= 1_000_000 => v,
        _ => throw new SpecException(SpecDiagnostic.Error(path,
            $"{Name(path)} expects an integer from {minimum} to 1000000, but got {value.ToInvariantString()}")),
    };

    private static double NonNegative(ParameterValue value, string path) => value.AsDouble() switch
    {
        { } v when double.IsFinite(v) && v >= 0 => v,
        _ => throw new SpecException(SpecDiagnostic.Error(path,
            $"{Name(path)} expects a non-negative number, but got {value.ToInvariantString()}")),
    };

    private static AcquisitionKind AcquisitionOf(ParameterValue value, string path) =>
        value.ToInvariantString().Trim().ToLowerInvariant() switch
        {
            "ei" or "logei" or "log_ei" or "expected_improvement" => AcquisitionKind.ExpectedImprovement,
            "pi" or "logpi" or "log_pi" or "probability_of_improvement" => AcquisitionKind.ProbabilityOfImprovement,
            "lcb" or "ucb" => AcquisitionKind.LowerConfidenceBound,
            _ => throw new SpecException(SpecDiagnostic.Error(path,
                $"acquisition_function expects ei, pi or lcb (ucb), but got '{value.ToInvariantString()}'")),
        };

    private static KernelKind KernelOf(ParameterValue value, string path) =>
        value.ToInvariantString().Trim().ToLowerInvariant() switch
        {
            "matern52" or "matern" or "matern_52" => KernelKind.Matern52,
            "matern32" or "matern_32" => KernelKind.Matern32,
            "rbf" or "squared_exponential" => KernelKind.Rbf,
            _ => throw new SpecException(SpecDiagnostic.Error(path,
                $"kernel expects matern52, matern32 or rbf, but got '{value.ToInvariantString()}'")),
        };

    private static double? NoiseOf(ParameterValue value, string path) => value switch
    {
        TextValue { Value: var t } when t.Trim().ToLowerInvariant() is "auto" or "gaussian" => null,
        _ when value.AsDouble() is { } v && double.IsFinite(v) && v >= 0 && v <= 1 => v,
        _ => throw new SpecException(SpecDiagnostic.Error(path,
            $"noise expects auto (fitted) or a variance from 0 to 1 in units of the standardised objective, but got {value.ToInvariantString()}")),
    };

    private static string Name(string path) => path[(path.LastIndexOf('.') + 1)..];
}
