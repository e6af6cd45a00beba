using System.Globalization;

namespace HyperDrive.Training.Processes;

/// <summary>The fields of <c>/proc/&lt;pid&gt;/stat</c> the runner needs (proc(5)).</summary>
internal readonly record struct ProcStat(int ProcessId, char State, int ProcessGroupId, ulong StartTicks)
{
    public bool IsZombie => State is 'Z' or 'X' or 'x';

    /// <summary>Null when the process does not exist (or is gone while being read).</summary>
    public static ProcStat? Read(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        return Parse(text);
    }

    /// <summary>The command name (field 2) may hold spaces and parentheses: fields are counted after its last ')'.</summary>
    public static ProcStat? Parse(string text)
    {
        var close = text.LastIndexOf(')');
        var open = text.IndexOf('(', StringComparison.Ordinal);
        if (close < 0 || open < 1)
        {
            return null;
        }

        var fields = text[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);

        // fields[0] is field 3 (state), so field N is fields[N - 3].
        if (fields.Length < 20
            || !int.TryParse(text.AsSpan(0, open).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid)
            || !int.TryParse(fields[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out var pgrp)
            || !ulong.TryParse(fields[19], NumberStyles.Integer, CultureInfo.InvariantCulture, out var start))
        {
            return null;
        }

        return new ProcStat(pid, fields[0][0], pgrp, start);
    }

    /// <summary>Every process whose group is <paramref name="pgid"/>, zombies included.</summary>
    public static IEnumerable<ProcStat> GroupMembers(int pgid)
    {
        IEnumerable<string> entries;
        try
        {
            entries = Directory.EnumerateDirectories("/proc");
        }
        catch (IOException)
        {
            yield break;
        }

        foreach (var entry in entries)
        {
            if (int.TryParse(Path.GetFileName(entry), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && Read(pid) is { } stat && stat.ProcessGroupId == pgid)
            {
                yield return stat;
            }
        }
    }
}
