using System.Collections.Immutable;

namespace HyperDrive.Core.Specs;

/// <summary>
/// Every key the sweep-file reader accepts, per section, and every known sampler, policy, trainer and
/// expression name: Azure v2 sweep-job keys and our extensions, in one place. Cloud-only keys are accepted
/// and ignored with a warning.
/// </summary>
public static class SpecVocabulary
{
    public static readonly ImmutableArray<string> TopLevel =
    [
        "$schema", "type", "name", "display_name", "experiment_name", "description", "tags", "properties",
        "inputs", "outputs", "compute", "environment", "resources", "identity", "queue_settings", "services",
        "trial", "sampling_algorithm", "search_space", "objective", "early_termination", "limits",
        "resume_from", "register_best",
    ];

    /// <summary>Top-level keys that only mean something on Azure: accepted, ignored, with a warning.</summary>
    public static readonly ImmutableArray<string> TopLevelCloudOnly = ["compute", "environment", "identity", "queue_settings", "services"];

    /// <summary><c>type:</c> values of a sweep file.</summary>
    public static readonly ImmutableArray<string> JobTypes = ["sweep", "sweep_job"];

    public static readonly ImmutableArray<string> Trial =
    [
        "command", "code", "args", "environment_variables", "resources", "timeout", "environment", "distribution",
        "builtin", "builtin_options", "steps", "retries", "compat",
    ];

    public static readonly ImmutableArray<string> TrialCloudOnly = ["environment", "distribution"];

    /// <summary>Keys of a command component file referenced by <c>trial: file:./train.yml</c>.</summary>
    public static readonly ImmutableArray<string> Component =
    [
        "$schema", "type", "name", "display_name", "version", "description", "tags", "properties", "is_deterministic",
        "inputs", "outputs", "command", "code", "environment", "environment_variables", "resources", "distribution",
    ];

    public static readonly ImmutableArray<string> Resources =
    [
        "gpus", "gpu_memory", "require_gpu",
        "instance_type", "instance_count", "shm_size", "docker_args", "properties", "locations", "max_instance_count",
    ];

    public static readonly ImmutableArray<string> ResourcesCloudOnly =
        ["instance_type", "instance_count", "shm_size", "docker_args", "properties", "locations", "max_instance_count"];

    public static readonly ImmutableArray<string> Objective = ["primary_metric", "goal"];

    public static readonly ImmutableArray<string> Goals = ["maximize", "minimize"];

    public static readonly ImmutableArray<string> Limits =
        ["max_total_trials", "max_concurrent_trials", "timeout", "trial_timeout", "max_failed_trials"];

    public static readonly ImmutableArray<string> RegisterBest = ["model", "only_if_better"];

    public static readonly ImmutableArray<string> Input = ["type", "path", "mode", "value", "default", "description", "optional"];

    public static readonly ImmutableArray<string> Output = ["type", "path", "mode", "description", "name", "version"];

    /// <summary>Built-in trainers (<c>trial.builtin</c>).</summary>
    public static readonly ImmutableArray<string> Builtins = ["fictitious", "ridge", "mlp"];

    /// <summary>The keys of <c>trial.builtin_options</c> each built-in trainer reads (docs/trainers.md); their values are checked by the trainer.</summary>
    public static readonly ImmutableDictionary<string, ImmutableArray<string>> BuiltinOptions = new Dictionary<string, ImmutableArray<string>>
    {
        ["fictitious"] = ["epoch_seconds"],
        ["ridge"] = ["data", "label", "folds", "holdout", "fit_intercept", "scaling"],
        ["mlp"] = ["data", "label", "threads", "seed"],
    }.ToImmutableDictionary();

    /// <summary>Values of <c>trial.compat</c>.</summary>
    public static readonly ImmutableArray<string> CompatModes = ["none", "wmla"];

    /// <summary>Samplers the reader knows; building one that is not implemented yet is refused by the SamplerRegistry.</summary>
    public static readonly ImmutableArray<string> Samplers = ["random", "grid", "sobol", "bayesian", "tpe", "cmaes", "plugin", "hyperband"];

    /// <summary>Keys of a <c>sampling_algorithm</c> object common to all samplers.</summary>
    public static readonly ImmutableArray<string> SamplingCommon = ["type", "seed", "rule", "logbase"];

    public static readonly ImmutableArray<string> SamplingRules = ["random", "sobol"];

    /// <summary>Options of asha and hyperband (and of the hyperband sampler); declared before their users, kept in TerminationSpec.Options.</summary>
    public static readonly ImmutableArray<string> PolicyResourceOptions =
        ["min_resource", "max_resource", "reduction_factor", "brackets", "grace_period", "max_t", "eta", "max_iter", "ResourceName", "ResourceValue"];

    /// <summary>Algorithm options per sampler (kept in SamplingSpec.Options under these names).</summary>
    public static readonly ImmutableDictionary<string, ImmutableArray<string>> SamplerOptions =
        new Dictionary<string, ImmutableArray<string>>
        {
            ["random"] = [],
            ["grid"] = [],
            ["sobol"] = ["scramble", "skip"],
            ["bayesian"] = ["n_initial_points", "acquisition_function", "xi", "kappa", "kernel", "noise", "n_candidates"],
            ["tpe"] = ["n_startup_trials", "n_ei_candidates", "gamma", "good_ratio", "good_max", "prior_weight", "multivariate", "consider_endpoints"],
            ["cmaes"] = ["sigma0", "population_size", "n_startup_trials", "restart_strategy", "inc_popsize", "x0"],
            ["plugin"] = ["command", "code", "environment_variables", "timeout", "options"],
            ["hyperband"] = PolicyResourceOptions,
        }.ToImmutableDictionary();

    /// <summary>WMLA's TPE option names and the names they are stored under (<c>RandomSeed</c> becomes the seed).</summary>
    public static readonly ImmutableDictionary<string, string> TpeAliases = new Dictionary<string, string>
    {
        ["WarmUp"] = "n_startup_trials",
        ["EICandidate"] = "n_ei_candidates",
        ["GoodRatio"] = "good_ratio",
        ["GoodMax"] = "good_max",
        ["RandomSeed"] = "seed",
    }.ToImmutableDictionary();

    /// <summary>Early-termination policies the reader knows.</summary>
    public static readonly ImmutableArray<string> Policies = ["bandit", "median_stopping", "truncation_selection", "asha", "hyperband"];

    public static readonly ImmutableArray<string> PolicyCommon = ["type", "evaluation_interval", "delay_evaluation"];

    public static readonly ImmutableDictionary<string, ImmutableArray<string>> PolicyKeys =
        new Dictionary<string, ImmutableArray<string>>
        {
            ["bandit"] = [.. PolicyCommon, "slack_factor", "slack_amount"],
            ["median_stopping"] = PolicyCommon,
            ["truncation_selection"] = [.. PolicyCommon, "truncation_percentage", "exclude_finished_jobs"],
            ["asha"] = [.. PolicyCommon, .. PolicyResourceOptions],
            ["hyperband"] = [.. PolicyCommon, .. PolicyResourceOptions],
        }.ToImmutableDictionary();

    /// <summary>Parameter expressions and their fields in the YAML form (<c>{type: uniform, min_value, max_value}</c>).</summary>
    public static readonly ImmutableDictionary<string, ImmutableArray<string>> Expressions =
        new Dictionary<string, ImmutableArray<string>>
        {
            ["choice"] = ["values"],
            ["randint"] = ["upper"],
            ["uniform"] = ["min_value", "max_value"],
            ["quniform"] = ["min_value", "max_value", "q"],
            ["loguniform"] = ["min_value", "max_value"],
            ["qloguniform"] = ["min_value", "max_value", "q"],
            ["normal"] = ["mu", "sigma"],
            ["qnormal"] = ["mu", "sigma", "q"],
            ["lognormal"] = ["mu", "sigma"],
            ["qlognormal"] = ["mu", "sigma", "q"],
        }.ToImmutableDictionary();

    /// <summary>The known name closest to <paramref name="word"/> (Damerau–Levenshtein), or null when none is close.</summary>
    public static string? Suggest(string word, IEnumerable<string> known)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in known)
        {
            var d = Distance(word.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (d < bestDistance)
            {
                bestDistance = d;
                best = candidate;
            }
        }

        if (best is not null && bestDistance <= Math.Max(2, word.Length / 3))
        {
            return best;
        }

        // A cut-short name (bayes → bayesian, median → median_stopping).
        return word.Length >= 4
            ? known.FirstOrDefault(k => k.StartsWith(word, StringComparison.OrdinalIgnoreCase))
            : null;
    }

    /// <summary>Optimal-string-alignment distance: insertions, deletions, substitutions, adjacent swaps.</summary>
    internal static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
