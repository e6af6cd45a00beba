using System.Text.Json;

namespace HyperDrive.Benchmarks;

/// <summary>What the cluster benchmark reads of one trial of <c>GET /api/sweeps/{id}/trials</c> (times in Unix seconds).</summary>
internal sealed record TrialResult(int Number, string State, string Node, int Attempts, double? Started, double? Ended, int Intervals, double? T0, double? T1, double? Startup = null)
{
    public static TrialResult Read(JsonElement trial)
    {
        var metrics = trial.GetProperty("metrics");
        return new TrialResult(
            trial.GetProperty("number").GetInt32(),
            trial.GetProperty("state").GetString()!,
            trial.GetProperty("node").GetString() ?? "",
            trial.GetProperty("attempts").GetInt32(),
            Time(trial.GetProperty("started")),
            Time(trial.GetProperty("ended")),
            trial.GetProperty("history").GetArrayLength(),
            metrics.TryGetProperty("t0", out var t0) ? t0.GetDouble() : null,
            metrics.TryGetProperty("t1", out var t1) ? t1.GetDouble() : null,
            metrics.TryGetProperty("startup", out var startup) ? startup.GetDouble() : null);
    }

    public static double Unix(DateTimeOffset at) => (at - DateTimeOffset.UnixEpoch).TotalSeconds;

    private static double? Time(JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? Unix(DateTimeOffset.Parse(value.GetString()!, System.Globalization.CultureInfo.InvariantCulture)) : null;
}
