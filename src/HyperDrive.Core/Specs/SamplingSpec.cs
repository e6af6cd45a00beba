using HyperDrive.Core.Parameters;
using HyperDrive.Core.Spaces;

namespace HyperDrive.Core.Specs;

/// <summary>
/// <c>sampling_algorithm</c>: a word (<c>random</c>) or an object with <c>type</c>, <c>seed</c>, Azure's
/// <c>rule</c> and <c>logbase</c>, and algorithm options (kept in <see cref="Options"/> by their written name).
/// </summary>
public sealed record SamplingSpec
{
    /// <summary>
    /// The algorithm, lower case: random, grid, sobol, bayesian, tpe, cmaes, plugin. WMLA's <c>hyperband</c> is read
    /// as <c>random</c> with an early termination of type hyperband, so it never appears here.
    /// </summary>
    public string Type { get; init; } = "random";

    /// <summary>The seed as written (WMLA's <c>RandomSeed</c> too); null when absent: the engine derives and records one.</summary>
    public long? Seed { get; init; }

    /// <summary>Azure v2 <c>rule</c>: <c>random</c> or <c>sobol</c> (random sampling only).</summary>
    public string Rule { get; init; } = "random";

    /// <summary>Azure v2 <c>logbase</c>: the base of loguniform/qloguniform (e by default).</summary>
    public double LogBase { get; init; } = Math.E;

    /// <summary>
    /// Algorithm options other than type/seed/rule/logbase (see <see cref="SpecVocabulary.SamplerOptions"/>);
    /// WMLA's TPE names are stored under their canonical names (<see cref="SpecVocabulary.TpeAliases"/>).
    /// </summary>
    public MapValue Options { get; init; } = new([]);

    public SamplingOptions ToSamplingOptions() => new(LogBase);
}
