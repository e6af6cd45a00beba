using System.Text.Json;
using System.Text.Json.Serialization;

namespace HyperDrive.Training.Processes;

/// <summary>
/// <c>process.json</c>, written next to the attempt's log when its process starts and removed once its group is
/// verified empty: a record left behind after a crash lets a later run end the orphaned group.
/// <see cref="StartTicks"/> (field 22 of <c>/proc/&lt;pid&gt;/stat</c>) tells the same process from a recycled pid.
/// </summary>
public sealed record ProcessRecord(
    [property: JsonPropertyName("pid")] int ProcessId,
    [property: JsonPropertyName("pgid")] int ProcessGroupId,
    [property: JsonPropertyName("startTicks")] ulong StartTicks,
    [property: JsonPropertyName("attempt")] int Attempt)
{
    public const string FileName = "process.json";

    public void Write(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this));

    /// <summary>Null when the file is missing or unreadable.</summary>
    public static ProcessRecord? TryRead(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<ProcessRecord>(File.ReadAllText(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }
}
