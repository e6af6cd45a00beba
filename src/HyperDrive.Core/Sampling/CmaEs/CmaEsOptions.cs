using System.Collections.Immutable;
using HyperDrive.Core.Parameters;
using HyperDrive.Core.Specs;

namespace HyperDrive.Core.Sampling.CmaEs;

/// <summary>
/// The options of the <c>cmaes</c> sampler: <c>population_size</c> (λ; default 4 + ⌊3 ln d⌋ for d dimensions),
/// <c>sigma0</c> (the initial step size in the unit cube; default 1/6, Optuna's min(range)/6) and
/// <c>n_startup_trials</c> (random trials before the first generation; Optuna's default 1).
/// </summary>
public sealed record CmaEsOptions
{
    public static readonly CmaEsOptions Default = new();

    /// <summary>λ; null for the default 4 + ⌊3 ln d⌋.</summary>
    public int? PopulationSize { get; init; }

    public double Sigma0 { get; init; } = 1.0 / 6;

    public int StartupTrials { get; init; } = 1;

    /// <summary>λ for a space of <paramref name="dimensions"/> dimensions.</summary>
    public int Lambda(int dimensions) => PopulationSize ?? 4 + (int)Math.Floor(3 * Math.Log(Math.Max(1, dimensions)));

    public static CmaEsOptions Read(MapValue options)
    {
        var errors = ImmutableArray.CreateBuilder<SpecDiagnostic>();
        var result = Default;
        foreach (var (name, value) in options.Entries)
        {
            var path = "sampling_algorithm." + name;
            switch (name)
            {
                case "population_size":
                    result = result with { PopulationSize = OptionReader.Integer(value, path, 2, errors) ?? result.PopulationSize };
                    break;
                case "n_startup_trials":
                    result = result with { StartupTrials = OptionReader.Integer(value, path, 0, errors) ?? result.StartupTrials };
                    break;
                case "sigma0":
                    result = result with
                    {
                        Sigma0 = OptionReader.Number(value, path, s => s > 0 && s <= 1, "a number in (0, 1] (a step size in the unit cube of the space)", errors)
                            ?? result.Sigma0,
                    };
                    break;
                case "restart_strategy" or "inc_popsize" or "x0":
                    errors.Add(SpecDiagnostic.Error(path, $"{name} is not supported by the cmaes sampler of this version; its options are population_size, sigma0 and n_startup_trials"));
                    break;
                default:
                    errors.Add(SpecDiagnostic.Error(path, $"unknown cmaes option '{name}'; valid options: population_size, sigma0, n_startup_trials"));
                    break;
            }
        }

        return errors.Count > 0 ? throw new SpecException(errors.ToImmutable()) : result;
    }
}
