using System.Collections.Immutable;
using HyperDrive.Core.Parameters;
using HyperDrive.Core.Sampling.CmaEs;
using HyperDrive.Core.Sampling.Tpe;
using HyperDrive.Core.Sampling.Bayesian;
using HyperDrive.Core.Specs;

namespace HyperDrive.Core.Sampling;

/// <summary>
/// Turns <c>sampling_algorithm</c> into an <see cref="ISampler"/>. A sampler that is known but not built yet
/// is refused with a <see cref="SpecException"/> that says so; it is never replaced by another.
/// </summary>
public static class SamplerRegistry
{
    /// <summary>The samplers this version builds.</summary>
    public static readonly ImmutableArray<string> Built = ["random", "grid", "sobol", "bayesian", "tpe", "cmaes", "plugin"];

    /// <summary>
    /// Samplers that learn from results, so <c>resume_from</c> feeds them earlier sweeps' trials (<see cref="WarmStartSampler"/>).
    /// Random, Sobol and grid draw the same points whatever the results, so warm start does not change them (as Azure).
    /// </summary>
    public static readonly ImmutableArray<string> LearnFromResults = ["bayesian", "tpe", "cmaes"];

    /// <summary>Samplers the sweep file may name that this version refuses (WMLA's hyperband = random + hyperband policy).</summary>
    public static readonly ImmutableArray<string> KnownNotBuilt = ["hyperband"];

    /// <summary>Builds the sampler with the spec's seed, or seed 0 when the spec has none (the reader normally records one).</summary>
    public static ISampler Create(SweepSpec spec) => Create(spec, spec.Sampling.Seed ?? 0);

    /// <summary>Builds the sampler with an explicit seed (the engine's, when it derives one).</summary>
    public static ISampler Create(SweepSpec spec, long seed)
    {
        var sampling = spec.Sampling;
        var type = sampling.Type.Trim().ToLowerInvariant();
        var options = sampling.ToSamplingOptions();
        switch (type)
        {
            case "random":
                return Rule(sampling) switch
                {
                    "random" => new RandomSampler(spec.SearchSpace, seed, options),
                    "sobol" => new SobolSampler(spec.SearchSpace, seed, Scramble(sampling), options),
                    var rule => throw new SpecException(SpecDiagnostic.Error(
                        "sampling_algorithm.rule", $"unknown rule '{rule}'; valid rules: random, sobol")),
                };
            case "sobol":
                return new SobolSampler(spec.SearchSpace, seed, Scramble(sampling), options);
            case "grid":
                return new GridSampler(spec.SearchSpace);
            case "bayesian":
                return new BayesianSampler(spec.SearchSpace, seed, BayesianOptions.From(sampling.Options), options);
            case "tpe":
                return new TpeSampler(spec.SearchSpace, seed, TpeOptions.Read(sampling.Options), options);
            case "cmaes":
                return new CmaEsSampler(spec.SearchSpace, seed, CmaEsOptions.Read(sampling.Options), options);
            case "plugin":
                // A process: the engine recognises PluginSampler and asks the plug-in itself.
                return new PluginSampler(spec.SearchSpace, seed, PluginOptions.Read(sampling), options);
        }

        if (KnownNotBuilt.Contains(type))
        {
            throw new SpecException(SpecDiagnostic.Error(
                "sampling_algorithm.type",
                $"sampler '{type}' is known but not built yet in this version; use {string.Join(", ", Built[..^1])} or {Built[^1]}"));
        }

        throw new SpecException(SpecDiagnostic.Error(
            "sampling_algorithm.type",
            $"unknown sampler '{sampling.Type}'; valid names: {string.Join(", ", Built.Concat(KnownNotBuilt))} " +
            $"(built in this version: {string.Join(", ", Built)})"));
    }

    private static string Rule(SamplingSpec sampling) => sampling.Rule.Trim().ToLowerInvariant();

    // scramble: true by default; `scramble: false` in the options gives the plain sequence.
    private static bool Scramble(SamplingSpec sampling) => sampling.Options["scramble"] switch
    {
        null => true,
        BooleanValue b => b.Value,
        TextValue { Value: var text } when bool.TryParse(text, out var parsed) => parsed,
        var other => throw new SpecException(SpecDiagnostic.Error(
            "sampling_algorithm.scramble", $"scramble expects true or false, but got {other.ToInvariantString()}")),
    };
}
