using System.Collections.Immutable;
using HyperDrive.Core.History;
using HyperDrive.Core.Parameters;
using HyperDrive.Core.Spaces;
using HyperDrive.Core.Specs.Yaml;

namespace HyperDrive.Core.Specs;

internal sealed partial class SweepFileReader
{
    private static readonly Dictionary<string, string> CloudOnlyReasons = new(StringComparer.Ordinal)
    {
        ["compute"] = "trials run on this machine or cluster",
        ["environment"] = "trials run in the local environment",
        ["identity"] = "no Azure identity is used off-cloud",
        ["queue_settings"] = "there is no Azure job queue off-cloud",
        ["services"] = "Azure job services (Jupyter, SSH, TensorBoard) are not started",
        ["distribution"] = "distributed training is not set up; each trial runs one process",
    };

    public SweepSpec? ReadRoot(YNode root, string? sourceFile)
    {
        if (root is not YMapping map)
        {
            Error(root, "", $"a sweep file is a mapping of keys (trial, search_space, objective, …), got {root.Describe()}");
            return null;
        }

        CheckKeys(map, "", SpecVocabulary.TopLevel);

        if (Text(map["$schema"], "$schema") is null && map["$schema"] is not null and not YScalar)
        {
            Error(map["$schema"], "$schema", "expects a URL");
        }

        if (Text(map["type"], "type") is { } type && !SpecVocabulary.JobTypes.Contains(type.ToLowerInvariant()))
        {
            Error(map["type"], "type", $"expects sweep (or sweep_job), got '{type}': this reader reads sweep jobs only");
        }

        foreach (var key in SpecVocabulary.TopLevelCloudOnly)
        {
            if (map[key] is { } node && !IsAbsent(node))
            {
                Warning(node, key, $"{key} is ignored: {CloudOnlyReasons[key]}");
            }
        }

        var inputs = ReadInputs(map["inputs"], "inputs");
        var outputs = ReadOutputs(map["outputs"], "outputs");
        var (sampling, impliedPolicy) = ReadSampling(map["sampling_algorithm"], "sampling_algorithm");
        var space = ReadTopSearchSpace(map, sampling);
        var objective = ReadObjective(map["objective"], map);
        var termination = ReadTermination(map["early_termination"], "early_termination", impliedPolicy, map["sampling_algorithm"]);
        var limits = ReadLimits(map["limits"], "limits");
        WarnBayesianLimits(sampling, space, limits, map["limits"]);
        var topResources = map["resources"] is { } res && !IsAbsent(res) ? ReadResources(res, "resources") : null;
        var trial = ReadTrial(map["trial"], map, inputs, space, outputs);

        if (trial is not null)
        {
            if (topResources is not null)
            {
                if (trial.Value.HasResources)
                {
                    Warning(map["resources"], "resources", "both resources and trial.resources are set; trial.resources wins");
                }
                else
                {
                    trial = trial.Value with { Spec = trial.Value.Spec with { Resources = topResources } };
                }
            }

            if (limits.TrialTimeoutSeconds is { } limitTimeout)
            {
                if (trial.Value.Spec.TimeoutSeconds is { } own && own != limitTimeout)
                {
                    Warning(map["limits"], "limits.trial_timeout", $"both trial.timeout ({own}) and limits.trial_timeout ({limitTimeout}) are set; trial.timeout wins");
                }
                else
                {
                    trial = trial.Value with { Spec = trial.Value.Spec with { TimeoutSeconds = limitTimeout } };
                }
            }
        }

        var resumeFrom = ReadResumeFrom(map["resume_from"], "resume_from");
        var registerBest = ReadRegisterBest(map["register_best"], "register_best");

        if (HasErrors || trial is null || space is null || objective is null)
        {
            return null;
        }

        return new SweepSpec
        {
            Name = Text(map["name"], "name"),
            DisplayName = Text(map["display_name"], "display_name"),
            ExperimentName = Text(map["experiment_name"], "experiment_name"),
            Description = Text(map["description"], "description"),
            Tags = StringMap(map["tags"], "tags"),
            Properties = StringMap(map["properties"], "properties"),
            Trial = trial.Value.Spec,
            Sampling = sampling,
            SearchSpace = space,
            Objective = objective,
            EarlyTermination = termination,
            Limits = limits,
            ResumeFrom = resumeFrom,
            RegisterBest = registerBest,
            Inputs = [.. inputs.Values.Where(i => i.Binding is null).Select(i => i.Spec)],
            Outputs = outputs,
            BaseDirectory = _baseDirectory,
            SourceFile = sourceFile,
        };
    }

    private Objective? ReadObjective(YNode? node, YMapping root)
    {
        const string path = "objective";
        if (IsAbsent(node))
        {
            Error(node ?? root, path, "objective is required: {primary_metric: NAME, goal: maximize|minimize}");
            return null;
        }

        var map = Mapping(node, path);
        if (map is null)
        {
            return null;
        }

        CheckKeys(map, path, SpecVocabulary.Objective);
        var metric = RequiredText(map, map, path, "primary_metric");
        var goalText = RequiredText(map, map, path, "goal");
        Goal? goal = null;
        if (goalText is not null)
        {
            switch (goalText.Trim().ToLowerInvariant())
            {
                case "maximize":
                    goal = Goal.Maximize;
                    break;
                case "minimize":
                    goal = Goal.Minimize;
                    break;
                default:
                    var suggestion = SpecVocabulary.Suggest(goalText, SpecVocabulary.Goals);
                    Error(map["goal"], "objective.goal",
                        $"goal expects maximize or minimize, got '{goalText}'" + (suggestion is null ? "" : $"; did you mean '{suggestion}'?"));
                    break;
            }
        }

        return metric is null || goal is null ? null : new Objective(metric.Trim(), goal.Value);
    }

    private LimitsSpec ReadLimits(YNode? node, string path)
    {
        var map = Mapping(node, path);
        if (map is null)
        {
            return new LimitsSpec();
        }

        CheckKeys(map, path, SpecVocabulary.Limits);
        var total = PositiveInt(map["max_total_trials"], Join(path, "max_total_trials"));
        var concurrent = PositiveInt(map["max_concurrent_trials"], Join(path, "max_concurrent_trials"));
        var limits = new LimitsSpec
        {
            MaxTotalTrials = total,
            MaxConcurrentTrials = concurrent,
            TimeoutSeconds = Seconds(map["timeout"], Join(path, "timeout")),
            TrialTimeoutSeconds = Seconds(map["trial_timeout"], Join(path, "trial_timeout")),
            MaxFailedTrials = PositiveInt(map["max_failed_trials"], Join(path, "max_failed_trials")),
        };

        if (total is { } t && concurrent is { } c && c > t)
        {
            Error(map["max_concurrent_trials"], Join(path, "max_concurrent_trials"),
                $"max_concurrent_trials ({c}) expects a value no greater than max_total_trials ({t})");
        }

        if (total is { } t2 && _options.MaxTotalTrialsCap is { } totalCap && t2 > totalCap)
        {
            Error(map["max_total_trials"], Join(path, "max_total_trials"), $"max_total_trials ({t2}) is over this installation's cap of {totalCap}");
        }

        if (concurrent is { } c2 && _options.MaxConcurrentTrialsCap is { } concurrentCap && c2 > concurrentCap)
        {
            Error(map["max_concurrent_trials"], Join(path, "max_concurrent_trials"),
                $"max_concurrent_trials ({c2}) is over this installation's cap of {concurrentCap}");
        }

        return limits;
    }

    /// <summary>
    /// Azure's advice for Bayesian sampling, kept as warnings (its restrictions to choice/uniform/quniform and its ban on
    /// early termination are lifted: the GP models every expression and an early-stopped trial counts at its last value).
    /// </summary>
    private void WarnBayesianLimits(SamplingSpec sampling, SearchSpace? space, LimitsSpec limits, YNode? node)
    {
        if (sampling.Type != "bayesian" || space is null)
        {
            return;
        }

        var parameters = space.Parameters.Count(p => p.Expression is not FixedExpression);
        if (limits.MaxTotalTrials is { } total && total < 20 * parameters)
        {
            Warning((node as YMapping)?["max_total_trials"] ?? node, "limits.max_total_trials",
                $"bayesian sampling works best with at least 20 trials per parameter ({20 * parameters} for {parameters}); max_total_trials is {total}");
        }

        if (limits.MaxConcurrentTrials is > 20)
        {
            Warning((node as YMapping)?["max_concurrent_trials"] ?? node, "limits.max_concurrent_trials",
                $"bayesian sampling learns from finished trials: with {limits.MaxConcurrentTrials} running at once (more than 20) most proposals see few results");
        }
    }

    private ImmutableArray<string> ReadResumeFrom(YNode? node, string path)
    {
        switch (node)
        {
            case null or YScalar { IsNull: true }:
                return [];
            case YScalar s:
                return [s.Value];
            case YSequence seq:
                var ids = ImmutableArray.CreateBuilder<string>();
                for (var i = 0; i < seq.Items.Count; i++)
                {
                    var id = Text(seq.Items[i], $"{path}[{i}]");
                    if (string.IsNullOrWhiteSpace(id))
                    {
                        Error(seq.Items[i], $"{path}[{i}]", "expects a sweep id, got an empty value");
                    }
                    else
                    {
                        ids.Add(id.Trim());
                    }
                }

                return ids.ToImmutable();
            default:
                Error(node, path, $"expects a list of sweep ids, got {node.Describe()}");
                return [];
        }
    }

    private RegisterBestSpec? ReadRegisterBest(YNode? node, string path)
    {
        if (IsAbsent(node))
        {
            return null;
        }

        if (node is YScalar s)
        {
            return CheckModelName(node, path, s.Value.Trim()) ? new RegisterBestSpec(s.Value.Trim(), OnlyIfBetter: true) : null;
        }

        var map = Mapping(node, path, "{model: NAME, only_if_better: true}");
        if (map is null)
        {
            return null;
        }

        CheckKeys(map, path, SpecVocabulary.RegisterBest);
        var model = RequiredText(map, map, path, "model");
        var onlyIfBetter = Bool(map["only_if_better"], Join(path, "only_if_better")) ?? true;
        return model is null || !CheckModelName(map["model"], Join(path, "model"), model.Trim()) ? null : new RegisterBestSpec(model.Trim(), onlyIfBetter);
    }

    private bool CheckModelName(YNode? node, string path, string name)
    {
        if (ModelNames.Problem(name) is { } problem)
        {
            Error(node, path, problem);
            return false;
        }

        return true;
    }

    /// <summary>An input as read: the spec, and for <c>lr: ${{search_space.lr}}</c> the parameter it is bound to.</summary>
    private readonly record struct InputEntry(InputSpec Spec, string? Binding);

    private Dictionary<string, InputEntry> ReadInputs(YNode? node, string path)
    {
        var result = new Dictionary<string, InputEntry>(StringComparer.Ordinal);
        var map = Mapping(node, path);
        if (map is null)
        {
            return result;
        }

        foreach (var (key, value) in map.Entries)
        {
            var name = key.Value;
            var at = Join(path, name);
            if (ReadInput(value, at, name) is { } input)
            {
                result[name] = input;
            }
        }

        return result;
    }

    private InputEntry? ReadInput(YNode value, string at, string name)
    {
        switch (value)
        {
            case YScalar s:
                if (!s.IsNull && PlaceholderPattern().Match(s.Value.Trim()) is { Success: true } m
                    && m.Length == s.Value.Trim().Length && m.Groups["body"].Value.StartsWith("search_space.", StringComparison.Ordinal))
                {
                    return new InputEntry(new InputSpec(name, s.ToValue(), null), m.Groups["body"].Value["search_space.".Length..]);
                }

                return new InputEntry(new InputSpec(name, s.ToValue(), null), null);
            case YMapping m2:
                CheckKeys(m2, at, SpecVocabulary.Input, at);
                if (m2["value"] is { } literal)
                {
                    return ReadInput(literal, at, name);
                }

                if (Text(m2["path"], Join(at, "path")) is { } p)
                {
                    if (IsRemote(p))
                    {
                        Warning(m2["path"], Join(at, "path"),
                            $"remote input '{p}' is not downloaded off-cloud: ${{{{inputs.{name}}}}} is replaced by the URI as written");
                        return new InputEntry(new InputSpec(name, new TextValue(p), null), null);
                    }

                    return new InputEntry(new InputSpec(name, null, ResolvePath(p)), null);
                }

                if (m2["default"] is YScalar d && !d.IsNull)
                {
                    return ReadInput(d, at, name);
                }

                Error(m2, at, "an input expects a value, {value: …} or {type: …, path: …}");
                return null;
            default:
                Error(value, at, $"an input expects a value, {{value: …}} or {{type: …, path: …}}, got {value.Describe()}");
                return null;
        }
    }

    private ImmutableArray<string> ReadOutputs(YNode? node, string path)
    {
        var map = Mapping(node, path);
        if (map is null)
        {
            return [];
        }

        var names = ImmutableArray.CreateBuilder<string>();
        foreach (var (key, value) in map.Entries)
        {
            var at = Join(path, key.Value);
            if (value is YMapping m)
            {
                CheckKeys(m, at, SpecVocabulary.Output, at);
                if (m["path"] is { } p && !IsAbsent(p))
                {
                    Warning(p, Join(at, "path"), "an output's path is ignored: outputs are folders under each trial's output folder");
                }
            }
            else if (!IsAbsent(value) && value is not YScalar)
            {
                Error(value, at, $"an output expects null or {{type, mode, path}}, got {value.Describe()}");
                continue;
            }

            names.Add(key.Value);
        }

        return names.ToImmutable();
    }

    private ResourcesSpec ReadResources(YNode? node, string path)
    {
        var map = Mapping(node, path);
        if (map is null)
        {
            return new ResourcesSpec();
        }

        CheckKeys(map, path, SpecVocabulary.Resources);
        foreach (var key in SpecVocabulary.ResourcesCloudOnly)
        {
            if (map[key] is { } v && !IsAbsent(v))
            {
                Warning(v, Join(path, key), $"{key} is ignored: Azure compute settings do not apply off-cloud (use gpus, gpu_memory)");
            }
        }

        var gpus = Number(map["gpus"], Join(path, "gpus"));
        if (gpus < 0)
        {
            Error(map["gpus"], Join(path, "gpus"), $"gpus expects a number >= 0, got {gpus}");
            gpus = null;
        }

        return new ResourcesSpec
        {
            Gpus = gpus ?? 0,
            GpuMemoryBytes = ReadBytes(map["gpu_memory"], Join(path, "gpu_memory")),
            RequireGpu = Bool(map["require_gpu"], Join(path, "require_gpu")) ?? false,
        };
    }

    /// <summary>A size: bytes, or a number with a unit (KB, MB, GB, TB, binary multiples; KiB… accepted too).</summary>
    private long? ReadBytes(YNode? node, string path)
    {
        if (IsAbsent(node))
        {
            return null;
        }

        if (node is YScalar s)
        {
            if (s.AsInteger() is { } raw && raw > 0)
            {
                return raw;
            }

            var m = SizePattern().Match(s.Value.Trim());
            if (m.Success)
            {
                var number = double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
                var unit = m.Groups[2].Value.ToUpperInvariant().Replace("I", "", StringComparison.Ordinal).TrimEnd('B');
                var factor = unit switch { "" => 1L, "K" => 1L << 10, "M" => 1L << 20, "G" => 1L << 30, _ => 1L << 40 };
                var bytes = number * factor;
                if (bytes > 0 && bytes < long.MaxValue)
                {
                    return (long)bytes;
                }
            }
        }

        Error(node, path, $"expects a positive size such as 8GB, 8192MB or a number of bytes, got {node!.Describe()}");
        return null;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^([0-9]+(?:\.[0-9]+)?)\s*(B|[KMGT]i?B?)$", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex SizePattern();
}
