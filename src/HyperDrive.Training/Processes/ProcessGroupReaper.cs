namespace HyperDrive.Training.Processes;

/// <summary>Ends the process group of a trial that outlived the engine run that started it (found through its <see cref="ProcessRecord"/>).</summary>
public static class ProcessGroupReaper
{
    /// <summary>
    /// If the recorded leader is still the same process (same pid and start time), stops its whole group: SIGTERM,
    /// <paramref name="grace"/>, SIGKILL. A pid now held by another process, or a leader that is gone, is left alone:
    /// signaling it could hit an unrelated process. Returns whether anything of the trial was alive.
    /// </summary>
    public static async Task<bool> ReapAsync(ProcessRecord record, TimeSpan grace)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (!IsSameProcess(record))
        {
            return false;
        }

        await ProcessGroup.StopAsync(record.ProcessGroupId, grace, () => IsSameProcess(record)).ConfigureAwait(false);
        return true;
    }

    /// <summary>Reads <paramref name="recordPath"/>, reaps its group, and deletes the record; false when there was no record or nothing alive.</summary>
    public static async Task<bool> ReapAsync(string recordPath, TimeSpan grace)
    {
        if (ProcessRecord.TryRead(recordPath) is not { } record)
        {
            return false;
        }

        var alive = await ReapAsync(record, grace).ConfigureAwait(false);
        File.Delete(recordPath);
        return alive;
    }

    /// <summary>True when the recorded pid is alive (not a zombie) and started at the recorded time.</summary>
    public static bool IsSameProcess(ProcessRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return record.ProcessId > 1
            && ProcStat.Read(record.ProcessId) is { IsZombie: false } stat
            && stat.StartTicks == record.StartTicks;
    }
}
