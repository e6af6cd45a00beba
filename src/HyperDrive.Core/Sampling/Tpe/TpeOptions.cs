using System.Collections.Immutable;
using HyperDrive.Core.Parameters;
using HyperDrive.Core.Specs;

namespace HyperDrive.Core.Sampling.Tpe;

/// <summary>
/// The options of the <c>tpe</c> sampler, Optuna's defaults unless written: <c>n_startup_trials</c> (10; WMLA's
/// WarmUp), <c>n_ei_candidates</c> (24; EICandidate), the split γ(n) = min(⌈ratio·n⌉, max) of n observations into
/// the good and the rest, with <c>gamma</c> (a fixed ratio, no cap) or <c>good_ratio</c> (0.1; GoodRatio) and
/// <c>good_max</c> (25; GoodMax), <c>prior_weight</c> (1.0), <c>multivariate</c> (false) and
/// <c>consider_endpoints</c> (false).
/// </summary>
public sealed record TpeOptions
{
    public static readonly TpeOptions Default = new();

    public int StartupTrials { get; init; } = 10;

    public int EiCandidates { get; init; } = 24;

    public double GoodRatio { get; init; } = 0.1;

    /// <summary>The most observations in the good group; null for no cap (<c>gamma: RATIO</c>).</summary>
    public int? GoodMax { get; init; } = 25;

    public double PriorWeight { get; init; } = 1.0;

    public bool Multivariate { get; init; }

    public bool ConsiderEndpoints { get; init; }

    /// <summary>γ(n): how many of n observations form the good group, Optuna's min(⌈0.1·n⌉, 25) by default (in floating point, as Optuna: ⌈0.1·30⌉ = 4).</summary>
    public int Gamma(int n)
    {
        var good = (int)Math.Min(n, Math.Ceiling(GoodRatio * n));
        return GoodMax is { } cap ? Math.Min(good, cap) : good;
    }

    /// <summary>
    /// Optuna's default_weights(n) for n observations in trial order: 1 each below 25; from 25 on, the newest 25
    /// weigh 1 and the older n − 25 ramp linearly from 1/n to 1 (numpy's linspace(1/n, 1, n − 25)).
    /// </summary>
    public static double[] Weights(int n)
    {
        var weights = new double[n];
        if (n < 25)
        {
            Array.Fill(weights, 1.0);
            return weights;
        }

        var ramp = n - 25;
        for (var i = 0; i < ramp; i++)
        {
            weights[i] = ramp == 1 ? 1.0 / n : 1.0 / n + i * (1.0 - 1.0 / n) / (ramp - 1);
        }

        Array.Fill(weights, 1.0, ramp, 25);
        return weights;
    }

    /// <summary>Reads the options of <c>sampling_algorithm</c> (WMLA's names already stored under ours by the reader).</summary>
    public static TpeOptions Read(MapValue options)
    {
        var errors = ImmutableArray.CreateBuilder<SpecDiagnostic>();
        var result = Default;
        foreach (var (name, value) in options.Entries)
        {
            var path = "sampling_algorithm." + name;
            switch (name)
            {
                case "n_startup_trials":
                    result = result with { StartupTrials = OptionReader.Integer(value, path, 0, errors) ?? result.StartupTrials };
                    break;
                case "n_ei_candidates":
                    result = result with { EiCandidates = OptionReader.Integer(value, path, 1, errors) ?? result.EiCandidates };
                    break;
                case "gamma" or "good_ratio":
                    result = result with { GoodRatio = OptionReader.Number(value, path, r => r > 0 && r <= 1, "a number in (0, 1]", errors) ?? result.GoodRatio };
                    break;
                case "good_max":
                    result = result with { GoodMax = OptionReader.Integer(value, path, 1, errors) ?? result.GoodMax };
                    break;
                case "prior_weight":
                    result = result with
                    {
                        PriorWeight = OptionReader.Number(value, path, w => w > 0 && double.IsFinite(w), "a positive number", errors) ?? result.PriorWeight,
                    };
                    break;
                case "multivariate":
                    result = result with { Multivariate = OptionReader.Boolean(value, path, errors) ?? false };
                    break;
                case "consider_endpoints":
                    result = result with { ConsiderEndpoints = OptionReader.Boolean(value, path, errors) ?? false };
                    break;
                default:
                    errors.Add(SpecDiagnostic.Error(path, $"unknown tpe option '{name}'; valid options: n_startup_trials, n_ei_candidates, gamma, good_ratio, good_max, prior_weight, multivariate, consider_endpoints"));
                    break;
            }
        }

        if (options["gamma"] is not null)
        {
            if (options["good_ratio"] is not null)
            {
                errors.Add(SpecDiagnostic.Error("sampling_algorithm.gamma", "gamma and good_ratio (WMLA's GoodRatio) both set the good ratio; give one"));
            }

            // A fixed ratio has no cap unless good_max is also given.
            if (options["good_max"] is null)
            {
                result = result with { GoodMax = null };
            }
        }

        return errors.Count > 0 ? throw new SpecException(errors.ToImmutable()) : result;
    }
}
