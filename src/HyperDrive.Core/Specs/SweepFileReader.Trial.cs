using System.Collections.Immutable;
using System.Text.RegularExpressions;
using HyperDrive.Core.Parameters;
using HyperDrive.Core.Spaces;
using HyperDrive.Core.Specs.Yaml;

namespace HyperDrive.Core.Specs;

internal sealed partial class SweepFileReader
{
    private readonly record struct ReadTrialResult(TrialSpec Spec, bool HasResources);

    private ReadTrialResult? ReadTrial(
        YNode? node, YMapping root, Dictionary<string, InputEntry> inputs, SearchSpace? space, ImmutableArray<string> outputs)
    {
        const string path = "trial";
        if (IsAbsent(node))
        {
            Error(node ?? root, path, "trial is required: {command: …}, {builtin: …} or a component file (file:./train.yml)");
            return null;
        }

        var savedBase = _baseDirectory;
        var savedLabel = _fileLabel;
        try
        {
            YMapping? map;
            if (node is YScalar reference)
            {
                map = LoadComponent(reference, path);
                if (map is null)
                {
                    return null;
                }

                CheckKeys(map, path, SpecVocabulary.Component, "a command component");
                if (Text(map["type"], Join(path, "type")) is { } type && !type.Equals("command", StringComparison.OrdinalIgnoreCase))
                {
                    Error(map["type"], Join(path, "type"), $"a trial component expects type command, got '{type}'");
                }

                MergeComponentInputs(map["inputs"], Join(path, "inputs"), inputs, space);
            }
            else
            {
                map = Mapping(node, path, "a mapping {command: …} or a component file reference");
                if (map is null)
                {
                    return null;
                }

                CheckKeys(map, path, SpecVocabulary.Trial);
            }

            foreach (var key in SpecVocabulary.TrialCloudOnly)
            {
                if (map[key] is { } cloud && !IsAbsent(cloud))
                {
                    Warning(cloud, Join(path, key), $"{key} is ignored: {CloudOnlyReasons[key]}");
                }
            }

            var context = new PlaceholderContext(KnownSearchPaths(space), inputs, outputs, space is null);
            var command = Text(map["command"], Join(path, "command"));
            if (command is not null)
            {
                command = Placeholders(command, Join(path, "command"), map["command"]!, context);
            }

            var steps = ImmutableArray.CreateBuilder<string>();
            if (map["steps"] is { } stepsNode && !IsAbsent(stepsNode))
            {
                if (stepsNode is YSequence seq && seq.Items.Count > 0)
                {
                    for (var i = 0; i < seq.Items.Count; i++)
                    {
                        if (Text(seq.Items[i], $"{path}.steps[{i}]") is { } step && step.Trim().Length > 0)
                        {
                            steps.Add(Placeholders(step, $"{path}.steps[{i}]", seq.Items[i], context));
                        }
                        else if (seq.Items[i] is YScalar)
                        {
                            Error(seq.Items[i], $"{path}.steps[{i}]", "a step expects a command, got an empty value");
                        }
                    }
                }
                else
                {
                    Error(stepsNode, Join(path, "steps"), $"steps expects a non-empty list of commands, got {stepsNode.Describe()}");
                }
            }

            string? builtin = null;
            if (Text(map["builtin"], Join(path, "builtin")) is { } builtinText)
            {
                builtin = builtinText.Trim().ToLowerInvariant();
                if (!SpecVocabulary.Builtins.Contains(builtin))
                {
                    var suggestion = SpecVocabulary.Suggest(builtin, SpecVocabulary.Builtins);
                    Error(map["builtin"], Join(path, "builtin"), $"unknown builtin trainer '{builtinText}'"
                        + (suggestion is null ? "" : $"; did you mean '{suggestion}'?") + $" Valid: {string.Join(", ", SpecVocabulary.Builtins)}");
                }
            }

            var present = new[] { ("command", command is not null), ("steps", map["steps"] is not null && !IsAbsent(map["steps"])), ("builtin", builtin is not null) }
                .Where(p => p.Item2).Select(p => p.Item1).ToList();
            if (present.Count == 0 && map["command"] is null && map["steps"] is null && map["builtin"] is null)
            {
                Error(map, path, "trial expects one of command, steps or builtin");
            }
            else if (present.Count == 0)
            {
                Error(map, path, "trial expects a non-empty command, steps or builtin");
            }
            else if (present.Count > 1)
            {
                Error(map, path, $"trial expects exactly one of command, steps or builtin; got {string.Join(" and ", present)}");
            }

            var builtinOptions = new MapValue([]);
            if (map["builtin_options"] is { } optionsNode && !IsAbsent(optionsNode))
            {
                if (Mapping(optionsNode, Join(path, "builtin_options")) is { } om)
                {
                    builtinOptions = (MapValue)ToValue(om);
                    if (builtin is not null && SpecVocabulary.BuiltinOptions.TryGetValue(builtin, out var keys))
                    {
                        CheckKeys(om, Join(path, "builtin_options"), keys, $"the builtin_options of {builtin}");
                    }
                }

                if (builtin is null)
                {
                    Error(optionsNode, Join(path, "builtin_options"), "builtin_options expects a builtin trainer (trial.builtin)");
                }
            }

            var argsAuto = false;
            if (map["args"] is { } argsNode && !IsAbsent(argsNode))
            {
                if (argsNode is YScalar { Value: "auto" })
                {
                    argsAuto = true;
                }
                else
                {
                    Error(argsNode, Join(path, "args"), $"args expects 'auto' (append --NAME VALUE for every parameter), got {argsNode.Describe()}");
                }
            }

            string? compat = null;
            if (Text(map["compat"], Join(path, "compat")) is { } compatText)
            {
                compat = compatText.Trim().ToLowerInvariant();
                if (!SpecVocabulary.CompatModes.Contains(compat))
                {
                    Error(map["compat"], Join(path, "compat"), $"compat expects one of {string.Join(", ", SpecVocabulary.CompatModes)}, got '{compatText}'");
                }
            }

            var env = StringMap(map["environment_variables"], Join(path, "environment_variables"));
            env = env.ToImmutableDictionary(
                e => e.Key,
                e => Placeholders(e.Value, Join(Join(path, "environment_variables"), e.Key), map["environment_variables"]!, context),
                StringComparer.Ordinal);

            var retries = map["retries"] is { } r ? ReadNonNegativeInt(r, Join(path, "retries")) : null;
            var hasResources = map["resources"] is { } res && !IsAbsent(res);
            var spec = new TrialSpec
            {
                Command = command,
                Steps = steps.ToImmutable(),
                Code = ReadCode(map["code"], Join(path, "code")),
                ArgsAuto = argsAuto,
                EnvironmentVariables = env,
                Resources = ReadResources(map["resources"], Join(path, "resources")),
                TimeoutSeconds = Seconds(map["timeout"], Join(path, "timeout")),
                Builtin = builtin,
                BuiltinOptions = builtinOptions,
                Retries = retries ?? 0,
                Compat = compat == "none" ? null : compat,
            };
            return new ReadTrialResult(spec, hasResources);
        }
        finally
        {
            _baseDirectory = savedBase;
            _fileLabel = savedLabel;
        }
    }

    /// <summary>Loads <c>trial: file:./train.yml</c>; on success the base folder and labels switch to the component file.</summary>
    private YMapping? LoadComponent(YScalar reference, string path)
    {
        var text = reference.Value.Trim();
        if (text.StartsWith("azureml:", StringComparison.OrdinalIgnoreCase) || IsRemote(text))
        {
            Error(reference, path, $"trial '{text}' is an Azure ML asset or remote reference; it cannot be fetched off-cloud. Point trial at a local component file or write the command inline");
            return null;
        }

        if (!text.EndsWith(".yml", StringComparison.OrdinalIgnoreCase) && !text.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase)
            && !text.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            Error(reference, path, $"trial expects a mapping {{command: …}} or a component file (file:./train.yml), got '{text}'");
            return null;
        }

        var file = ResolvePath(text);
        var componentDiagnostics = new List<SpecDiagnostic>();
        var root = SweepSpecReader.LoadTree(file, _options, componentDiagnostics);
        foreach (var d in componentDiagnostics)
        {
            _diagnostics.Add(d with { Path = d.Path.Length == 0 ? path : Join(path, d.Path), Message = $"{d.Message} (in {text})" });
        }

        if (root is null)
        {
            if (componentDiagnostics.Count == 0)
            {
                Error(reference, path, $"component file '{text}' is empty");
            }

            return null;
        }

        _baseDirectory = Path.GetDirectoryName(file) ?? _baseDirectory;
        _fileLabel = text;
        if (root is not YMapping map)
        {
            Error(root, path, $"a component file expects a mapping (command, code, inputs, …), got {root.Describe()}");
            return null;
        }

        return map;
    }

    private void MergeComponentInputs(YNode? node, string path, Dictionary<string, InputEntry> inputs, SearchSpace? space)
    {
        if (Mapping(node, path) is not { } map)
        {
            return;
        }

        foreach (var (key, value) in map.Entries)
        {
            var name = key.Value;
            if (inputs.ContainsKey(name))
            {
                continue;
            }

            if (space?[name] is not null)
            {
                inputs[name] = new InputEntry(new InputSpec(name, null, null), name);
                continue;
            }

            if (value is YMapping declaration && IsAbsent(declaration["default"]) && IsAbsent(declaration["path"]) && IsAbsent(declaration["value"]))
            {
                continue;
            }

            if (ReadInput(value, Join(path, name), name) is { } input)
            {
                inputs[name] = input;
            }
        }
    }

    private string? ReadCode(YNode? node, string path)
    {
        if (IsAbsent(node))
        {
            return null;
        }

        string? text;
        YNode at = node!;
        if (node is YMapping map)
        {
            CheckKeys(map, path, ["local_path", "path"]);
            at = map["local_path"] ?? map["path"] ?? map;
            text = Text(map["local_path"] ?? map["path"], Join(path, "local_path"));
            if (text is null)
            {
                Error(map, path, "code expects local_path");
                return null;
            }
        }
        else
        {
            text = Text(node, path);
            if (text is null)
            {
                return null;
            }
        }

        text = text.Trim();
        if (IsRemote(text))
        {
            Error(at, path, $"code '{text}' is an Azure ML asset or remote URI; it cannot be fetched off-cloud. Point code at a local folder or file");
            return null;
        }

        var full = ResolvePath(text);
        if (!Directory.Exists(full) && !File.Exists(full))
        {
            Warning(at, path, $"code '{text}' does not exist (resolved to {full})");
        }

        return full;
    }

    private static HashSet<string> KnownSearchPaths(SearchSpace? space)
    {
        var known = new HashSet<string>(StringComparer.Ordinal);
        if (space is not null)
        {
            AddPaths(space, "", known);
        }

        return known;
    }

    private static void AddPaths(SearchSpace space, string prefix, HashSet<string> known)
    {
        foreach (var parameter in space.Parameters)
        {
            var name = prefix + parameter.Name;
            known.Add(name);
            switch (parameter.Expression)
            {
                case FixedExpression { Value: MapValue map }:
                    AddMapPaths(map, name + ".", known);
                    break;
                case ChoiceExpression choice:
                    foreach (var option in choice.Options)
                    {
                        if (option.Branch is { } branch)
                        {
                            AddPaths(branch, name + ".", known);
                        }
                        else if (option.Constant is MapValue constant)
                        {
                            AddMapPaths(constant, name + ".", known);
                        }
                    }

                    break;
            }
        }
    }

    private static void AddMapPaths(MapValue map, string prefix, HashSet<string> known)
    {
        foreach (var (key, value) in map.Entries)
        {
            known.Add(prefix + key);
            if (value is MapValue inner)
            {
                AddMapPaths(inner, prefix + key + ".", known);
            }
        }
    }

    private sealed record PlaceholderContext(
        HashSet<string> SearchPaths, Dictionary<string, InputEntry> Inputs, ImmutableArray<string> Outputs, bool SpaceUnknown);

    /// <summary>Normalizes <c>{search_space.x}</c> to <c>${{search_space.x}}</c> and checks every placeholder's name.</summary>
    private string Placeholders(string text, string path, YNode node, PlaceholderContext context)
    {
        var normalized = SingleBracePattern().Replace(text, m => "${{" + m.Groups[1].Value + "}}");
        return PlaceholderPattern().Replace(normalized, m =>
        {
            var body = m.Groups["body"].Value.Trim();
            var dot = body.IndexOf('.', StringComparison.Ordinal);
            var (head, name) = dot < 0 ? (body, "") : (body[..dot], body[(dot + 1)..]);
            switch (head)
            {
                case "search_space" when name.Length > 0:
                    if (!context.SearchPaths.Contains(name) && !context.SpaceUnknown)
                    {
                        var suggestion = SpecVocabulary.Suggest(name, context.SearchPaths);
                        Error(node, path, $"${{{{search_space.{name}}}}} names an unknown search_space parameter '{name}'"
                            + (suggestion is null ? "" : $"; did you mean '{suggestion}'?"));
                    }

                    return "${{search_space." + name + "}}";
                case "inputs" when name.Length > 0:
                    if (context.Inputs.TryGetValue(name, out var input))
                    {
                        if (input.Binding is { } bound)
                        {
                            if (!context.SearchPaths.Contains(bound) && !context.SpaceUnknown)
                            {
                                Error(node, path, $"input '{name}' is bound to an unknown search_space parameter '{bound}'");
                            }

                            return "${{search_space." + bound + "}}";
                        }

                        return "${{inputs." + name + "}}";
                    }

                    var inputSuggestion = SpecVocabulary.Suggest(name, context.Inputs.Keys);
                    Error(node, path, $"${{{{inputs.{name}}}}} names an unknown input '{name}'"
                        + (inputSuggestion is null ? "" : $"; did you mean '{inputSuggestion}'?"));
                    return m.Value;
                case "outputs" when name.Length > 0:
                    if (!context.Outputs.Contains(name))
                    {
                        Error(node, path, $"${{{{outputs.{name}}}}} names an unknown output '{name}'");
                    }

                    return "${{outputs." + name + "}}";
                case "name":
                    return "${{name}}";
                case "default_datastore":
                    Warning(node, path, "${{default_datastore}} is an Azure datastore; it is kept as written");
                    return "${{default_datastore}}";
                default:
                    Error(node, path, $"unknown placeholder '{m.Value}'; known: ${{{{search_space.NAME}}}}, ${{{{inputs.NAME}}}}, ${{{{outputs.NAME}}}}, ${{{{name}}}}");
                    return m.Value;
            }
        });
    }

    [GeneratedRegex(@"\$\{\{(?<body>[^{}]*)\}\}")]
    private static partial Regex PlaceholderPattern();

    [GeneratedRegex(@"(?<!\$\{)\{((?:search_space|inputs|outputs)\.[A-Za-z0-9_][A-Za-z0-9_.\-]*)\}")]
    private static partial Regex SingleBracePattern();
}
