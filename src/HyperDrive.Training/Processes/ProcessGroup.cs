using System.Diagnostics;
using System.Runtime.InteropServices;

namespace HyperDrive.Training.Processes;

/// <summary>Signals and stops a trial's process group (its leader was started through <c>setsid</c>, so pgid = pid).</summary>
internal static class ProcessGroup
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan KillWait = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Signals the whole group. Right after start the leader may not have called setsid yet (no such group):
    /// then the leader alone is signaled. Never signals the engine's own group.
    /// </summary>
    public static void Signal(int pgid, int signal)
    {
        if (pgid <= 1 || pgid == NativeMethods.GetProcessGroup())
        {
            return;
        }

        if (NativeMethods.Kill(-pgid, signal) != 0 && Marshal.GetLastPInvokeError() == NativeMethods.ErrorNoSuchProcess)
        {
            NativeMethods.Kill(pgid, signal);
        }
    }

    /// <summary>
    /// True while a live (non-zombie) process is in the group. A zombie cannot hold anything and may never be reaped
    /// when the container's init does not reap orphans, so it does not count.
    /// </summary>
    public static bool IsAlive(int pgid)
    {
        if (NativeMethods.Kill(-pgid, 0) != 0 && Marshal.GetLastPInvokeError() == NativeMethods.ErrorNoSuchProcess)
        {
            return ProcStat.Read(pgid) is { IsZombie: false } leader && leader.ProcessGroupId != NativeMethods.GetProcessGroup();
        }

        return ProcStat.GroupMembers(pgid).Any(p => !p.IsZombie);
    }

    /// <summary>SIGTERM to the group, up to <paramref name="grace"/> for it to end, then SIGKILL; true when the group is verified empty.</summary>
    public static async Task<bool> StopAsync(int pgid, TimeSpan grace)
    {
        if (!IsAlive(pgid))
        {
            return true;
        }

        Signal(pgid, NativeMethods.SigTerm);
        if (await WaitUntilEmptyAsync(pgid, grace).ConfigureAwait(false))
        {
            return true;
        }

        Signal(pgid, NativeMethods.SigKill);
        return await WaitUntilEmptyAsync(pgid, KillWait).ConfigureAwait(false);
    }

    private static async Task<bool> WaitUntilEmptyAsync(int pgid, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (IsAlive(pgid))
        {
            if (clock.Elapsed >= limit)
            {
                return false;
            }

            await Task.Delay(PollInterval).ConfigureAwait(false);
        }

        return true;
    }
}
