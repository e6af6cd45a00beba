using System.Collections.Immutable;
using HyperDrive.Core.Parameters;
using HyperDrive.Core.Policies;
using HyperDrive.Core.Specs.Yaml;

namespace HyperDrive.Core.Specs;

internal sealed partial class SweepFileReader
{
    /// <summary>
    /// Reads <c>sampling_algorithm</c>. WMLA's <c>hyperband</c> is read as random sampling plus a hyperband
    /// policy, returned as <c>impliedPolicy</c> with the options that belong to it.
    /// </summary>
    private (SamplingSpec Sampling, TerminationSpec? ImpliedPolicy) ReadSampling(YNode? node, string path)
    {
        if (IsAbsent(node))
        {
            return (new SamplingSpec(), null);
        }

        var (usable, map, typeText, typeNode, typePath) = ReadTyped(node, path, "a sampler name or {type: NAME, …}");
        if (!usable)
        {
            return (new SamplingSpec(), null);
        }

        var type = typeText?.Trim().ToLowerInvariant() switch
        {
            "bayesianoptimization" or "bayesian_optimization" => "bayesian",
            var t => t,
        };
        if (type is not null && !SpecVocabulary.Samplers.Contains(type))
        {
            var suggestion = SpecVocabulary.Suggest(type, SpecVocabulary.Samplers);
            Error(typeNode, typePath,
                $"unknown sampling algorithm '{typeText}'" + (suggestion is null ? "" : $"; did you mean '{suggestion}'?")
                + $" Valid names: {string.Join(", ", SpecVocabulary.Samplers)}");
            type = null;
        }

        var spec = new SamplingSpec { Type = type ?? "random" };
        if (map is null || type is null)
        {
            return type == "hyperband"
                ? (spec with { Type = "random" }, new TerminationSpec { Type = "hyperband" })
                : (spec, null);
        }

        var optionNames = SpecVocabulary.SamplerOptions[type];
        var known = SpecVocabulary.SamplingCommon.Concat(optionNames);
        if (type == "tpe")
        {
            known = known.Concat(SpecVocabulary.TpeAliases.Keys);
        }
        else if (type == "hyperband")
        {
            known = known.Append("RandomSeed"); // WMLA's Hyperband seed: the random sampler's seed here
        }

        CheckKeys(map, path, known.ToList(), $"sampling_algorithm ({type})");

        long? seed = null;
        if (map["seed"] is { } seedNode && !IsAbsent(seedNode))
        {
            seed = Integer(seedNode, Join(path, "seed"));
            if (seed < 0)
            {
                Error(seedNode, Join(path, "seed"), $"seed expects a non-negative integer, got {seed}");
            }
        }

        var rule = "random";
        if (Text(map["rule"], Join(path, "rule")) is { } ruleText)
        {
            rule = ruleText.Trim().ToLowerInvariant();
            if (!SpecVocabulary.SamplingRules.Contains(rule))
            {
                Error(map["rule"], Join(path, "rule"), $"rule expects random or sobol, got '{ruleText}'");
                rule = "random";
            }
            else if (type != "random")
            {
                Error(map["rule"], Join(path, "rule"), $"rule applies to random sampling only, not to {type}");
            }
        }

        var logBase = Math.E;
        if (map["logbase"] is YScalar { IsNull: false } lb)
        {
            if (lb.Value.Trim() is "e" or "E")
            {
                logBase = Math.E;
            }
            else if (lb.AsDouble() is { } b && double.IsFinite(b) && b > 0 && b != 1)
            {
                logBase = b;
            }
            else
            {
                Error(lb, Join(path, "logbase"), $"logbase expects e or a positive number other than 1, got {lb.Describe()}");
            }
        }
        else if (map["logbase"] is YMapping or YSequence)
        {
            Error(map["logbase"], Join(path, "logbase"), "logbase expects e or a number");
        }

        var options = ImmutableArray.CreateBuilder<KeyValuePair<string, ParameterValue>>();
        foreach (var (key, value) in map.Entries)
        {
            if (SpecVocabulary.SamplingCommon.Contains(key.Value))
            {
                continue;
            }

            var name = key.Value;
            if ((type == "tpe" || (type == "hyperband" && name == "RandomSeed")) && SpecVocabulary.TpeAliases.TryGetValue(name, out var canonical))
            {
                if (canonical == "seed")
                {
                    if (seed is not null)
                    {
                        Error(value, Join(path, name), "RandomSeed and seed are both set; give one");
                    }
                    else
                    {
                        seed = Integer(value, Join(path, name));
                    }

                    continue;
                }

                if (map[canonical] is not null)
                {
                    Error(value, Join(path, name), $"{name} and {canonical} are the same option; give one");
                    continue;
                }

                name = canonical;
            }

            if (optionNames.Contains(name) || SpecVocabulary.TpeAliases.ContainsValue(name))
            {
                options.Add(KeyValuePair.Create(name, ToValue(value)));
            }
        }

        if (type == "plugin" && (map["command"] is null || IsAbsent(map["command"])))
        {
            Error(map, Join(path, "command"), "the plugin sampler needs a command: {type: plugin, command: ./my_sampler}");
        }

        spec = spec with { Seed = seed, Rule = rule, LogBase = logBase, Options = new MapValue(options.ToImmutable()) };
        if (type == "hyperband")
        {
            var policyOptions = ReadResourceOptions(map, path, null);
            var implied = ResourceOptions.Resolve(new TerminationSpec { Type = "hyperband", Options = policyOptions }).Spec;
            return (spec with { Type = "random", Options = new MapValue([]) }, implied);
        }

        return (spec, null);
    }

    private TerminationSpec? ReadTermination(YNode? node, string path, TerminationSpec? implied, YNode? samplingNode)
    {
        if (IsAbsent(node))
        {
            return implied;
        }

        var (usable, map, typeText, typeNode, typePath) = ReadTyped(node, path, "{type: bandit|median_stopping|truncation_selection|asha|hyperband, …}");
        if (!usable)
        {
            return implied;
        }

        var type = typeText?.Trim().ToLowerInvariant() switch
        {
            "medianstopping" or "median" => "median_stopping",
            "truncationselection" or "truncation" => "truncation_selection",
            var t => t,
        };
        if (type is not null && !SpecVocabulary.Policies.Contains(type))
        {
            var suggestion = SpecVocabulary.Suggest(type, SpecVocabulary.Policies);
            Error(typeNode, typePath,
                $"unknown early termination policy '{typeText}'" + (suggestion is null ? "" : $"; did you mean '{suggestion}'?")
                + $" Valid names: {string.Join(", ", SpecVocabulary.Policies)}");
            return null;
        }

        if (type is null)
        {
            return null;
        }

        if (implied is not null && type != implied.Type)
        {
            Error(typeNode, typePath,
                $"sampling_algorithm hyperband means random sampling with early_termination hyperband; early_termination cannot also be {type}");
            return null;
        }

        map ??= new YMapping(node!.Line, node.Column);
        CheckKeys(map, path, SpecVocabulary.PolicyKeys[type], $"early_termination ({type})");

        var interval = ReadNonNegativeInt(map["evaluation_interval"], Join(path, "evaluation_interval")) ?? 1;
        var delay = ReadNonNegativeInt(map["delay_evaluation"], Join(path, "delay_evaluation")) ?? 0;
        var spec = new TerminationSpec
        {
            Type = type,
            EvaluationInterval = interval == 0 ? 1 : interval,
            DelayEvaluation = delay,
        };

        switch (type)
        {
            case "bandit":
                spec = ReadBandit(map, path, spec);
                break;
            case "truncation_selection":
                var pctNode = map["truncation_percentage"];
                int? pct = null;
                if (IsAbsent(pctNode))
                {
                    Error(pctNode ?? map, Join(path, "truncation_percentage"), "truncation_percentage is required (an integer between 1 and 99)");
                }
                else if (pctNode is YScalar ps && ps.AsInteger() is { } p)
                {
                    if (p is < 1 or > 99)
                    {
                        Error(pctNode, Join(path, "truncation_percentage"), $"truncation_percentage expects value to be between 1 and 99. (got {p})");
                    }
                    else
                    {
                        pct = (int)p;
                    }
                }
                else
                {
                    Error(pctNode, Join(path, "truncation_percentage"), $"truncation_percentage expects an integer between 1 and 99, got {pctNode!.Describe()}");
                }

                spec = spec with
                {
                    TruncationPercentage = pct,
                    ExcludeFinishedJobs = Bool(map["exclude_finished_jobs"], Join(path, "exclude_finished_jobs")) ?? false,
                };
                break;
            case "asha" or "hyperband":
                spec = ResourceOptions.Resolve(spec with { Options = ReadResourceOptions(map, path, implied?.Options) }).Spec;
                break;
        }

        return spec;
    }

    private int? ReadNonNegativeInt(YNode? node, string path)
    {
        var value = Integer(node, path);
        if (value is < 0 or > int.MaxValue)
        {
            Error(node, path, $"{path[(path.LastIndexOf('.') + 1)..]} expects an integer >= 0, got {value}");
            return null;
        }

        return (int?)value;
    }

    private TerminationSpec ReadBandit(YMapping map, string path, TerminationSpec spec)
    {
        double? factor = Number(map["slack_factor"], Join(path, "slack_factor"));
        double? amount = Number(map["slack_amount"], Join(path, "slack_amount"));
        if (factor < 0)
        {
            Error(map["slack_factor"], Join(path, "slack_factor"), $"slack_factor expects a non-negative number, got {factor}");
        }

        if (amount < 0)
        {
            Error(map["slack_amount"], Join(path, "slack_amount"), $"slack_amount expects a non-negative number, got {amount}");
        }

        // Azure's check is truthiness-based: 0 counts as unset (REFERENCE §3.2).
        var hasFactor = factor is > 0;
        var hasAmount = amount is > 0;
        if (!hasFactor && !hasAmount && factor is not < 0 && amount is not < 0)
        {
            Error(map, path, "Bandit termination policy expects exactly one of slack factor or slack amount to be set.");
        }
        else if (hasFactor && hasAmount)
        {
            Warning(map["slack_amount"], Join(path, "slack_amount"),
                $"both slack_factor ({factor}) and slack_amount ({amount}) are set (Azure expects exactly one); slack_factor wins and slack_amount is ignored");
            amount = null;
        }

        return spec with { SlackFactor = hasFactor ? factor : null, SlackAmount = hasAmount ? amount : null };
    }

    private MapValue ReadResourceOptions(YMapping map, string path, MapValue? inherited)
    {
        var entries = new List<KeyValuePair<string, ParameterValue>>(inherited?.Entries ?? []);
        foreach (var (key, value) in map.Entries)
        {
            if (!SpecVocabulary.PolicyResourceOptions.Contains(key.Value))
            {
                continue;
            }

            entries.RemoveAll(e => e.Key == key.Value);
            entries.Add(KeyValuePair.Create(key.Value, ToValue(value)));
        }

        // One set of rules for files and for specs built in code: the registry resolves the same way.
        var (_, errors) = ResourceOptions.Resolve(new TerminationSpec { Type = "hyperband", Options = new MapValue([.. entries]) });
        foreach (var (key, message) in errors.Where(e => map[e.Key] is not null))
        {
            Error(map[key], Join(path, key), message);
        }

        return new MapValue([.. entries]);
    }

    /// <summary>
    /// Reads a section written as a word (<c>bandit</c>) or as <c>{type: WORD, …}</c>: the mapping (null for a word),
    /// the type as written, its node and path; not usable when the node is neither.
    /// </summary>
    private (bool Usable, YMapping? Map, string? TypeText, YNode? TypeNode, string TypePath) ReadTyped(YNode? node, string path, string expectation)
    {
        if (node is YScalar word)
        {
            return (true, null, word.Value, word, path);
        }

        var map = Mapping(node, path, expectation);
        return map is null
            ? (false, null, null, null, path)
            : (true, map, RequiredText(map, map, path, "type"), map["type"], Join(path, "type"));
    }
}
