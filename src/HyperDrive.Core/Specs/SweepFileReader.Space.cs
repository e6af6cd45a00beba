using System.Collections.Immutable;
using System.Globalization;
using HyperDrive.Core.Parameters;
using HyperDrive.Core.Spaces;
using HyperDrive.Core.Specs.Yaml;

namespace HyperDrive.Core.Specs;

internal sealed partial class SweepFileReader
{
    private const string ChoiceArgumentsMessage =
        "choice expects non-empty single list, non-empty single range() or a positive number of arbitrary comma separated inputs.";

    private double _logBase = Math.E;

    private SearchSpace? ReadTopSearchSpace(YMapping root, SamplingSpec sampling)
    {
        const string path = "search_space";
        _logBase = sampling.LogBase;
        var node = root["search_space"];
        if (IsAbsent(node))
        {
            Error(node ?? root, path, "search_space is required: name at least one parameter");
            return null;
        }

        var map = Mapping(node, path);
        if (map is null)
        {
            return null;
        }

        if (map.Entries.Count == 0)
        {
            Error(map, path, "search_space expects at least one parameter, got an empty mapping");
            return null;
        }

        var space = ReadSpace(map, path, inBranch: false);
        if (space is null)
        {
            return null;
        }

        CheckSamplerSupport(space, path, sampling.Type, map);
        return space;
    }

    private SearchSpace? ReadSpace(YMapping map, string path, bool inBranch)
    {
        var parameters = ImmutableArray.CreateBuilder<SearchParameter>();
        var ok = true;
        foreach (var (key, value) in map.Entries)
        {
            var at = Join(path, key.Value);
            if (key.Value.Length == 0 || key.Value.Contains('.', StringComparison.Ordinal) || key.Value.Any(char.IsWhiteSpace))
            {
                Error(key, at, $"parameter name '{key.Value}' expects letters, digits, '_' or '-' (no dots or spaces)");
                ok = false;
                continue;
            }

            var expression = ReadExpression(value, at, inBranch);
            if (expression is null)
            {
                ok = false;
                continue;
            }

            parameters.Add(new SearchParameter(key.Value, expression));
        }

        return ok ? new SearchSpace(parameters.ToImmutable()) : null;
    }

    private ParameterExpression? ReadExpression(YNode node, string path, bool inBranch)
    {
        switch (node)
        {
            case YMapping map when map["type"] is YScalar { IsNull: false } t
                && (SpecVocabulary.Expressions.ContainsKey(t.Value.Trim().ToLowerInvariant()) || !inBranch):
                var kind = t.Value.Trim().ToLowerInvariant();
                if (!SpecVocabulary.Expressions.ContainsKey(kind))
                {
                    var suggestion = SpecVocabulary.Suggest(kind, SpecVocabulary.Expressions.Keys);
                    Error(t, Join(path, "type"), $"unknown parameter expression '{t.Value}'"
                        + (suggestion is null ? "" : $"; did you mean '{suggestion}'?")
                        + $" Valid: {string.Join(", ", SpecVocabulary.Expressions.Keys.Order(StringComparer.Ordinal))}");
                    return null;
                }

                return ReadYamlExpression(kind, map, path);
            case YScalar s when !s.IsNull && ExpressionStringParser.CallName(s.Value) is { } call
                && (!inBranch || SpecVocabulary.Expressions.ContainsKey(call.ToLowerInvariant())):
                return ReadExpressionString(s, path);
            case YMapping nested when inBranch:
                var inner = ReadSpace(nested, path, inBranch: true);
                return inner is null ? null : BranchOrConstant(inner);
            case YScalar or YSequence when inBranch:
                return new FixedExpression(ToValue(node));
            default:
                Error(node, path, $"expects a parameter expression ({{type: uniform, min_value: 0, max_value: 1}} or uniform(0, 1)), got {node.Describe()}");
                return null;
        }
    }

    private static ParameterExpression BranchOrConstant(SearchSpace inner) =>
        inner.Parameters.All(p => p.Expression is FixedExpression)
            ? new FixedExpression(new MapValue([.. inner.Parameters.Select(p => KeyValuePair.Create(p.Name, ((FixedExpression)p.Expression).Value))]))
            : new ChoiceExpression([ChoiceOption.Of(inner)]);

    private ParameterExpression? ReadYamlExpression(string kind, YMapping map, string path)
    {
        var fields = SpecVocabulary.Expressions[kind];
        CheckKeys(map, path, ["type", .. fields], $"{path} ({kind})");
        if (kind == "choice")
        {
            return ReadChoiceValues(map["values"], Join(path, "values"), map);
        }

        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        var ok = true;
        foreach (var field in fields)
        {
            var node = map[field];
            if (IsAbsent(node))
            {
                Error(node ?? map, Join(path, field), $"{kind} expects {field}");
                ok = false;
                continue;
            }

            if (Number(node, Join(path, field)) is { } v)
            {
                values[field] = v;
            }
            else
            {
                ok = false;
            }
        }

        return ok ? BuildNumeric(kind, values, path, f => map[f] ?? map) : null;
    }

    private ParameterExpression? ReadExpressionString(YScalar scalar, string path)
    {
        string name;
        ImmutableArray<ParameterValue> args;
        try
        {
            (name, args) = ExpressionStringParser.Parse(scalar.Value);
        }
        catch (FormatException ex)
        {
            Error(scalar, path, $"cannot read expression '{YScalar.Shorten(scalar.Value)}': {ex.Message}");
            return null;
        }

        var kind = name.ToLowerInvariant();
        if (!SpecVocabulary.Expressions.TryGetValue(kind, out var fields))
        {
            var suggestion = SpecVocabulary.Suggest(kind, SpecVocabulary.Expressions.Keys);
            Error(scalar, path, $"unknown parameter expression '{name}'" + (suggestion is null ? "" : $"; did you mean '{suggestion}'?"));
            return null;
        }

        if (kind == "choice")
        {
            if (args.Length == 0)
            {
                Error(scalar, path, "Please specify an input for choice.");
                return null;
            }

            if (args.Any(a => a is ListValue))
            {
                if (args.Length > 1 || ((ListValue)args[0]).Items.Length == 0)
                {
                    Error(scalar, path, ChoiceArgumentsMessage);
                    return null;
                }

                args = ((ListValue)args[0]).Items;
            }

            return new ChoiceExpression([.. args.Select(ChoiceOption.Of)]);
        }

        if (args.Length != fields.Length)
        {
            Error(scalar, path, $"{kind} expects {fields.Length} argument{(fields.Length == 1 ? "" : "s")} ({string.Join(", ", fields)}), got {args.Length}");
            return null;
        }

        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        var ok = true;
        for (var i = 0; i < fields.Length; i++)
        {
            if (args[i].AsDouble() is { } v)
            {
                values[fields[i]] = v;
            }
            else
            {
                Error(scalar, Join(path, fields[i]), $"{kind} expects {fields[i]} to be a number, got '{args[i]}'");
                ok = false;
            }
        }

        return ok ? BuildNumeric(kind, values, path, _ => scalar) : null;
    }

    private ParameterExpression? ReadChoiceValues(YNode? node, string path, YMapping parent)
    {
        if (IsAbsent(node))
        {
            Error(node ?? parent, path, "Please specify an input for choice.");
            return null;
        }

        if (node is YScalar s && ExpressionStringParser.LooksLikeCall(s.Value) && s.Value.TrimStart().StartsWith("range", StringComparison.Ordinal))
        {
            return ReadExpressionString(new YScalar($"choice({s.Value})", true, null, s.Line, s.Column), path);
        }

        if (node is not YSequence seq)
        {
            Error(node, path, $"expects a list of values, got {node!.Describe()}");
            return null;
        }

        if (seq.Items.Count == 0)
        {
            Error(seq, path, "Please specify an input for choice.");
            return null;
        }

        var options = ImmutableArray.CreateBuilder<ChoiceOption>();
        var ok = true;
        for (var i = 0; i < seq.Items.Count; i++)
        {
            var item = seq.Items[i];
            var at = $"{path}[{i}]";
            switch (item)
            {
                case YMapping m when m["type"] is YScalar t && SpecVocabulary.Expressions.ContainsKey(t.Value.Trim().ToLowerInvariant())
                    && m.Entries.All(e => e.Key.Value == "type" || SpecVocabulary.Expressions[t.Value.Trim().ToLowerInvariant()].Contains(e.Key.Value)):
                    Error(item, at, "a choice value cannot be a parameter expression; name it inside a mapping ({name: x, lr: {type: uniform, …}})");
                    ok = false;
                    break;
                case YMapping m:
                    var branch = ReadSpace(m, at, inBranch: true);
                    if (branch is null)
                    {
                        ok = false;
                        break;
                    }

                    options.Add(branch.Parameters.All(p => p.Expression is FixedExpression)
                        ? ChoiceOption.Of(new MapValue([.. branch.Parameters.Select(p => KeyValuePair.Create(p.Name, ((FixedExpression)p.Expression).Value))]))
                        : ChoiceOption.Of(branch));
                    break;
                default:
                    options.Add(ChoiceOption.Of(ToValue(item)));
                    break;
            }
        }

        return ok ? new ChoiceExpression(options.ToImmutable()) : null;
    }

    private ParameterExpression? BuildNumeric(string kind, Dictionary<string, double> f, string path, Func<string, YNode> nodeOf)
    {
        var ok = true;
        void Fail(string field, string message)
        {
            Error(nodeOf(field), Join(path, field), message);
            ok = false;
        }

        static string N(double v) => v.ToString("R", CultureInfo.InvariantCulture);

        double q = 0;
        if (f.TryGetValue("q", out q))
        {
            if (Math.Floor(q) != q)
            {
                Fail("q", $"{kind} expects q to be an int (got {N(q)})");
            }
            else if (q <= 0)
            {
                Fail("q", $"{kind} expects q to be a positive int (got {N(q)})");
            }
        }

        switch (kind)
        {
            case "randint":
                var upper = f["upper"];
                if (Math.Floor(upper) != upper)
                {
                    Fail("upper", $"randint expects an integer upper, got {N(upper)}");
                }
                else if (upper <= 0)
                {
                    Fail("upper", $"randint expects a positive number as input (got {N(upper)})");
                }

                return ok ? new RandIntExpression((long)upper) : null;
            case "uniform" or "quniform":
                if (!(f["min_value"] < f["max_value"]))
                {
                    Fail("min_value", $"{kind} expects min_value < max_value (got min_value {N(f["min_value"])}, max_value {N(f["max_value"])})");
                }

                break;
            case "loguniform" or "qloguniform":
                if (!(f["min_value"] <= f["max_value"]))
                {
                    Fail("min_value", $"{kind} expects min_value <= max_value (got min_value {N(f["min_value"])}, max_value {N(f["max_value"])})");
                }

                break;
            default:
                if (f["sigma"] < 0)
                {
                    Fail("sigma", $"{kind} expects sigma to be non negative (got {N(f["sigma"])})");
                }

                break;
        }

        if (!ok)
        {
            return null;
        }

        ParameterExpression expression = kind switch
        {
            "uniform" => new UniformExpression(f["min_value"], f["max_value"]),
            "quniform" => new QUniformExpression(f["min_value"], f["max_value"], q),
            "loguniform" => new LogUniformExpression(f["min_value"], f["max_value"]),
            "qloguniform" => new QLogUniformExpression(f["min_value"], f["max_value"], q),
            "normal" => new NormalExpression(f["mu"], f["sigma"]),
            "qnormal" => new QNormalExpression(f["mu"], f["sigma"], q),
            "lognormal" => new LogNormalExpression(f["mu"], f["sigma"]),
            _ => new QLogNormalExpression(f["mu"], f["sigma"], q),
        };

        if (kind is "quniform" or "qloguniform")
        {
            var (low, high) = kind == "quniform"
                ? (f["min_value"], f["max_value"])
                : (Math.Pow(_logBase, f["min_value"]), Math.Pow(_logBase, f["max_value"]));
            var lowest = Rounding.Quantize(low, q);
            var highest = Rounding.Quantize(high, q);
            if (lowest < low || highest > high)
            {
                Warning(nodeOf("q"), path,
                    $"{expression} can round to {lowest} … {highest}, outside [{N(low)}, {N(high)}]: values are round(x / q) * q and are never clipped");
            }
        }

        return expression;
    }

    /// <summary>Grid takes only choice (Azure); mixed string/non-string choice values are an error for grid, a warning otherwise.</summary>
    private void CheckSamplerSupport(SearchSpace space, string path, string sampler, YNode node)
    {
        var map = node as YMapping;
        foreach (var parameter in space.Parameters)
        {
            var at = Join(path, parameter.Name);
            var where = map?[parameter.Name] ?? node;
            switch (parameter.Expression)
            {
                case FixedExpression:
                    break;
                case ChoiceExpression choice:
                    var constants = choice.Options.Where(o => o.Constant is not null and not MapValue and not ListValue).Select(o => o.Constant!).ToList();
                    var strings = constants.Count(c => c is TextValue);
                    if (strings > 0 && strings < constants.Count)
                    {
                        const string message = "Either all or none of the 'choice' values should be 'str' type.";
                        if (sampler == "grid")
                        {
                            Error(where, at, message);
                        }
                        else
                        {
                            Warning(where, at, message + " (Azure's rule for grid and bayesian; read as given)");
                        }
                    }

                    for (var i = 0; i < choice.Options.Length; i++)
                    {
                        if (choice.Options[i].Branch is { } branch)
                        {
                            CheckSamplerSupport(branch, $"{at}.values[{i}]", sampler, where);
                        }
                    }

                    break;
                default:
                    if (sampler == "grid")
                    {
                        Error(where, at, $"This sampling method expects only the following distributions: [choice] (grid; got {parameter.Expression.Kind})");
                    }

                    break;
            }
        }
    }
}
