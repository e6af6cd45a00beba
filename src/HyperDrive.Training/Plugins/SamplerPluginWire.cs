using System.Globalization;
using System.Text;
using System.Text.Json;
using HyperDrive.Core.History;
using HyperDrive.Core.Parameters;
using HyperDrive.Core.Spaces;

namespace HyperDrive.Training.Plugins;

/// <summary>
/// The JSON of the plug-in protocol (docs/sweep-file.md, "Sampler plug-ins"): one request object per line, one
/// answer per line. The space is written as in the sweep file; the history as one entry per trial with its status
/// and its final primary value.
/// </summary>
public static class SamplerPluginWire
{
    /// <summary>
    /// <c>{"op":"search","n":K,"space":…,"objective":…,"seed":…,"logbase":…,"options":…,"history":[…]}</c>, and
    /// <c>"warm_start":[…]</c> (earlier sweeps' finished trials, <c>resume_from</c>) when there are any.
    /// </summary>
    public static string Search(int count, SearchSpace space, SamplingOptions sampling, long seed, MapValue options, SweepHistory history,
        IReadOnlyList<TrialRecord>? warmStart = null)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(sampling);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(history);
        return Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("op", "search");
            writer.WriteNumber("n", count);
            writer.WritePropertyName("space");
            WriteSpace(writer, space);
            writer.WriteStartObject("objective");
            writer.WriteString("primary_metric", history.Objective.PrimaryMetric);
            writer.WriteString("goal", history.Objective.Goal == Goal.Maximize ? "maximize" : "minimize");
            writer.WriteEndObject();
            writer.WriteNumber("seed", seed);
            writer.WriteNumber("logbase", sampling.LogBase);
            writer.WritePropertyName("options");
            options.WriteJson(writer);
            writer.WriteStartArray("history");
            foreach (var trial in history.Trials)
            {
                writer.WriteStartObject();
                writer.WriteNumber("trial", trial.Number);
                WriteResult(writer, trial, history.Objective);
                writer.WriteNumber("intervals", trial.Primary.Count);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            if (warmStart is { Count: > 0 })
            {
                writer.WriteStartArray("warm_start");
                foreach (var prior in warmStart)
                {
                    writer.WriteStartObject();
                    WriteResult(writer, prior, history.Objective);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        });
    }

    /// <summary>A trial's <c>parameters</c>, <c>status</c>, <c>value</c> (its final primary value) and <c>loss</c> (null without one).</summary>
    private static void WriteResult(Utf8JsonWriter writer, TrialRecord trial, Objective objective)
    {
        writer.WritePropertyName("parameters");
        trial.Parameters.WriteJson(writer);
        writer.WriteString("status", trial.Status.ToString().ToLowerInvariant());
        if (trial.FinalValue is { } value && double.IsFinite(value))
        {
            writer.WriteNumber("value", value);
            writer.WriteNumber("loss", objective.ToLoss(value));
        }
        else
        {
            writer.WriteNull("value");
            writer.WriteNull("loss");
        }
    }

    public static string GetState() => """{"op":"get_state"}""";

    /// <summary><c>{"op":"set_state","state":STATE}</c>; <paramref name="stateJson"/> is the JSON the plug-in gave to get_state.</summary>
    public static string SetState(string stateJson)
    {
        using var state = JsonDocument.Parse(stateJson);
        return Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("op", "set_state");
            writer.WritePropertyName("state");
            state.RootElement.WriteTo(writer);
            writer.WriteEndObject();
        });
    }

    /// <summary>The search space as in the sweep file: <c>{name: {type, min_value, max_value, values, upper, q, mu, sigma}}</c>.</summary>
    public static void WriteSpace(Utf8JsonWriter writer, SearchSpace space)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(space);
        writer.WriteStartObject();
        foreach (var parameter in space.Parameters)
        {
            writer.WritePropertyName(parameter.Name);
            WriteExpression(writer, parameter.Expression);
        }

        writer.WriteEndObject();
    }

    /// <summary>A JSON value read as a parameter value: integral number tokens are integers, others reals.</summary>
    public static ParameterValue ToValue(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => new MapValue([.. element.EnumerateObject().Select(p => KeyValuePair.Create(p.Name, ToValue(p.Value)))]),
        JsonValueKind.Array => new ListValue([.. element.EnumerateArray().Select(ToValue)]),
        JsonValueKind.String => new TextValue(element.GetString()!),
        JsonValueKind.True => new BooleanValue(true),
        JsonValueKind.False => new BooleanValue(false),
        JsonValueKind.Number when element.TryGetInt64(out var integer) && IsIntegerToken(element.GetRawText()) => new IntegerValue(integer),
        JsonValueKind.Number => new RealValue(element.GetDouble()),
        _ => NullValue.Instance,
    };

    private static bool IsIntegerToken(string raw) => raw.AsSpan().IndexOfAny(".eE") < 0;

    private static void WriteExpression(Utf8JsonWriter writer, ParameterExpression expression)
    {
        if (expression is FixedExpression constant)
        {
            constant.Value.WriteJson(writer);
            return;
        }

        writer.WriteStartObject();
        writer.WriteString("type", expression.Kind);
        switch (expression)
        {
            case ChoiceExpression choice:
                writer.WriteStartArray("values");
                foreach (var option in choice.Options)
                {
                    if (option.Constant is { } value)
                    {
                        value.WriteJson(writer);
                    }
                    else
                    {
                        WriteSpace(writer, option.Branch!);
                    }
                }

                writer.WriteEndArray();
                break;
            case RandIntExpression r:
                writer.WriteNumber("upper", r.Upper);
                break;
            case UniformExpression u:
                Bounds(writer, u.Min, u.Max, null);
                break;
            case QUniformExpression q:
                Bounds(writer, q.Min, q.Max, q.Q);
                break;
            case LogUniformExpression l:
                Bounds(writer, l.Min, l.Max, null);
                break;
            case QLogUniformExpression ql:
                Bounds(writer, ql.Min, ql.Max, ql.Q);
                break;
            case NormalExpression n:
                Normal(writer, n.Mu, n.Sigma, null);
                break;
            case QNormalExpression qn:
                Normal(writer, qn.Mu, qn.Sigma, qn.Q);
                break;
            case LogNormalExpression ln:
                Normal(writer, ln.Mu, ln.Sigma, null);
                break;
            case QLogNormalExpression qln:
                Normal(writer, qln.Mu, qln.Sigma, qln.Q);
                break;
            default:
                writer.WriteString("expression", expression.ToExpressionString());
                break;
        }

        writer.WriteEndObject();
    }

    private static void Bounds(Utf8JsonWriter writer, double min, double max, double? q)
    {
        writer.WriteNumber("min_value", min);
        writer.WriteNumber("max_value", max);
        if (q is { } step)
        {
            writer.WriteNumber("q", step);
        }
    }

    private static void Normal(Utf8JsonWriter writer, double mu, double sigma, double? q)
    {
        writer.WriteNumber("mu", mu);
        writer.WriteNumber("sigma", sigma);
        if (q is { } step)
        {
            writer.WriteNumber("q", step);
        }
    }

    private static string Write(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    internal static string Truncate(string text, int max) =>
        text.Length <= max ? text : text[..max] + string.Create(CultureInfo.InvariantCulture, $"… ({text.Length} characters)");
}
