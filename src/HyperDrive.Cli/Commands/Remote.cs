using System.Globalization;
using System.Text.Json;
using HyperDrive.Cli.Api;
using HyperDrive.Cli.Output;

namespace HyperDrive.Cli.Commands;

/// <summary>The API side of the client commands: the same output as the local commands, from the API's JSON.</summary>
internal static class Remote
{
    /// <summary>Runs an API call, turning an <see cref="ApiException"/> into its message and exit code.</summary>
    public static async Task<int> RunAsync(ApiClient client, TextWriter error, Func<ApiClient, Task<int>> call)
    {
        using (client)
        {
            try
            {
                return await call(client);
            }
            catch (ApiException e)
            {
                await error.WriteLineAsync($"error: {(e.Status is { } s ? $"{(int)s} {s}: " : "")}{ErrorText(e.Message)}");
                return e.ExitCode;
            }
        }
    }

    public static string Escape(string id) => Uri.EscapeDataString(id);

    /// <summary>One progress line from a sweep summary (<c>GET /api/sweeps/{id}</c> or an event).</summary>
    public static string ProgressLine(JsonElement summary)
    {
        var counts = summary.GetProperty("counts");
        int Count(string name) => counts.GetProperty(name).GetInt32();
        var ended = Count("completed") + Count("failed") + Count("canceled");
        var best = summary.GetProperty("best");
        var metric = summary.GetProperty("primary_metric").GetString();
        var bestText = best.ValueKind == JsonValueKind.Null
            ? $"no trial has reported {metric} yet"
            : $"best {metric} {Number(best.GetProperty("metrics").TryGetProperty(metric!, out var v) ? v.GetDouble() : double.NaN)} (trial {best.GetProperty("number").GetInt32()})";
        return $"{summary.GetProperty("sweep").GetString()} {summary.GetProperty("state").GetString()}: {ended} ended ({Count("completed")} completed, " +
            $"{Count("failed")} failed, {Count("canceled")} canceled), {Count("running") + Count("queued")} running; {bestText}";
    }

    /// <param name="byNumber">Order by trial number; otherwise keep the given order (the API's: best first).</param>
    public static void WriteTrialsTable(TextWriter output, JsonElement sweep, bool byNumber)
    {
        var metric = sweep.GetProperty("primary_metric").GetString()!;
        var trials = Trials(sweep, byNumber);

        var table = new TextTable(["trial", "state", metric, "parameters", "attempts", "reason"]);
        foreach (var trial in trials)
        {
            var primary = trial.GetProperty("metrics").TryGetProperty(metric, out var value) ? Number(value.GetDouble()) : "-";
            var parameters = string.Join(" ", Flatten("", trial.GetProperty("parameters")));
            var reason = trial.GetProperty("reason").ValueKind == JsonValueKind.String ? trial.GetProperty("reason").GetString()!.Split('\n')[0] : "";
            table.AddRow([trial.GetProperty("number").GetInt32().ToString(CultureInfo.InvariantCulture), trial.GetProperty("state").GetString()!,
                primary, parameters, trial.GetProperty("attempts").GetInt32().ToString(CultureInfo.InvariantCulture), reason.Length > 80 ? reason[..79] + "…" : reason]);
        }

        table.Write(output);
    }

    /// <summary>The CSV of <c>runs --csv</c> from the API's trials: flattened parameters and final metrics as columns.</summary>
    public static void WriteTrialsCsv(TextWriter output, JsonElement sweep, bool byNumber)
    {
        var trials = Trials(sweep, byNumber);

        var rows = trials.Select(t => (
            Trial: t,
            Parameters: Flatten("", t.GetProperty("parameters"), exact: true).Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]),
            Metrics: t.GetProperty("metrics").EnumerateObject().ToDictionary(m => m.Name, m => m.Value.GetRawText()))).ToList();
        var parameterNames = rows.SelectMany(r => r.Parameters.Keys).Distinct().ToList();
        var metricNames = rows.SelectMany(r => r.Metrics.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        output.WriteLine(string.Join(",", new[] { "number", "state", "attempts", "reason" }.Concat(parameterNames).Concat(metricNames).Select(CsvCell)));
        foreach (var (trial, parameters, metrics) in rows)
        {
            var reason = trial.GetProperty("reason").ValueKind == JsonValueKind.String ? trial.GetProperty("reason").GetString()! : "";
            var cells = new List<string>
            {
                trial.GetProperty("number").GetInt32().ToString(CultureInfo.InvariantCulture), trial.GetProperty("state").GetString()!,
                trial.GetProperty("attempts").GetInt32().ToString(CultureInfo.InvariantCulture), reason,
            };
            cells.AddRange(parameterNames.Select(p => parameters.GetValueOrDefault(p, "")));
            cells.AddRange(metricNames.Select(m => metrics.GetValueOrDefault(m, "")));
            output.WriteLine(string.Join(",", cells.Select(CsvCell)));
        }
    }

    public static string CsvCell(string cell) =>
        cell.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : cell;

    private static List<JsonElement> Trials(JsonElement sweep, bool byNumber)
    {
        var trials = sweep.GetProperty("trials").EnumerateArray();
        return byNumber ? [.. trials.OrderBy(t => t.GetProperty("number").GetInt32())] : [.. trials];
    }

    /// <param name="exact">Numbers as the API wrote them (CSV) rather than to 5 significant digits (tables).</param>
    private static IEnumerable<string> Flatten(string prefix, JsonElement parameters, bool exact = false)
    {
        foreach (var property in parameters.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.Object)
            {
                foreach (var inner in Flatten(prefix + property.Name + ".", property.Value, exact))
                {
                    yield return inner;
                }
            }
            else
            {
                var text = !exact && property.Value.ValueKind == JsonValueKind.Number && !property.Value.TryGetInt64(out _)
                    ? Number(property.Value.GetDouble())
                    : property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : property.Value.GetRawText();
                yield return prefix + property.Name + "=" + text;
            }
        }
    }

    private static string Number(double value) => value.ToString("G5", CultureInfo.InvariantCulture);

    private static string ErrorText(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.TryGetProperty("error", out var error))
            {
                return error.GetString() ?? body;
            }

            if (json.RootElement.TryGetProperty("errors", out var errors))
            {
                return Environment.NewLine + string.Join(Environment.NewLine, errors.EnumerateArray().Select(e => "  " + e.GetString()));
            }
        }
        catch (JsonException)
        {
            // Not JSON: show it as it came.
        }

        return body;
    }
}
