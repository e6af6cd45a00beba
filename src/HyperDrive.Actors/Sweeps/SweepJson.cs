using System.Globalization;
using System.Text;
using System.Text.Json;
using HyperDrive.Core.History;

namespace HyperDrive.Actors.Sweeps;

/// <summary>
/// The JSON users and scripts read (DESIGN §1): <c>{"sweep", "state", "trials": [ … ]}</c>, each trial
/// <c>{"number", "state", "parameters", "metrics", "history", "reason", "attempts", "node", "started", "ended"}</c>.
/// </summary>
public static class SweepJson
{
    public static string Sweep(SweepState state, IEnumerable<TrialView> trials) => Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("sweep", state.SweepId);
        writer.WriteString("state", StateName(state));
        writer.WriteString("primary_metric", state.History.Objective.PrimaryMetric);
        writer.WriteString("goal", state.History.Objective.Goal == Goal.Maximize ? "maximize" : "minimize");
        writer.WriteStartArray("trials");
        foreach (var trial in trials)
        {
            WriteTrial(writer, trial);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    });

    public static string Trial(TrialView trial) => Write(writer => WriteTrial(writer, trial));

    public static string StateName(SweepState state) => state.Status switch
    {
        SweepStatus.Running => "Running",
        SweepStatus.Completed => "Completed",
        SweepStatus.Canceled => "Canceled",
        SweepStatus.Failed => "Failed",
        _ => "Unknown",
    };

    public static void WriteTrial(Utf8JsonWriter writer, TrialView trial)
    {
        writer.WriteStartObject();
        writer.WriteNumber("number", trial.Number);
        writer.WriteString("state", trial.Status.ToString());
        writer.WritePropertyName("parameters");
        trial.Parameters.WriteJson(writer);
        writer.WriteStartObject("metrics");
        foreach (var (name, value) in trial.FinalMetrics)
        {
            writer.WriteNumber(name, value);
        }

        writer.WriteEndObject();
        writer.WriteStartArray("history");
        foreach (var interval in trial.History)
        {
            writer.WriteStartObject();
            writer.WriteNumber("interval", interval.Interval);
            foreach (var (name, value) in interval.Metrics)
            {
                writer.WriteNumber(name, value);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        WriteNullable(writer, "reason", trial.Reason);
        writer.WriteNumber("attempts", trial.Attempt);
        WriteNullable(writer, "node", trial.Node);
        WriteNullable(writer, "started", trial.Started?.ToString("O", CultureInfo.InvariantCulture));
        WriteNullable(writer, "ended", trial.Ended?.ToString("O", CultureInfo.InvariantCulture));
        writer.WriteEndObject();
    }

    private static void WriteNullable(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }

    private static string Write(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
