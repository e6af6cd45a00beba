using System.Diagnostics;
using System.Runtime.InteropServices;

namespace HyperDrive.Training.Processes;

/// <summary>Signals and stops a trial's process group (its leader was started through <c>setsid</c>, so pgid = pid).</summary>
internal static class ProcessGroup
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan KillWait = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Signals the whole group. Right after start the leader may not have called setsid yet (no such group): then
    /// the leader alone is signaled, but only while <paramref name="leaderIsOurs"/> says its pid still names the
    /// trial's leader (not yet reaped, so not recycled). Never signals the engine's own group.
    /// </summary>
    public static void Signal(int pgid, int signal, Func<bool> leaderIsOurs)
    {
        if (pgid <= 1 || pgid == NativeMethods.GetProcessGroup())
        {
            return;
        }

        if (NativeMethods.Kill(-pgid, signal) != 0 && Marshal.GetLastPInvokeError() == NativeMethods.ErrorNoSuchProcess && leaderIsOurs())
        {
            NativeMethods.Kill(pgid, signal);
        }
    }

    /// <summary>
    /// True while a live (non-zombie) process is in the group. A zombie cannot hold anything and may never be reaped
    /// when the container's init does not reap orphans, so it does not count.
    /// </summary>
    public static bool IsAlive(int pgid, Func<bool> leaderIsOurs)
    {
        if (NativeMethods.Kill(-pgid, 0) != 0 && Marshal.GetLastPInvokeError() == NativeMethods.ErrorNoSuchProcess)
        {
            return leaderIsOurs() && ProcStat.Read(pgid) is { IsZombie: false };
        }

        return ProcStat.GroupMembers(pgid).Any(p => !p.IsZombie);
    }

    /// <summary>SIGTERM to the group, up to <paramref name="grace"/> for it to end, then SIGKILL; true when the group is verified empty.</summary>
    public static async Task<bool> StopAsync(int pgid, TimeSpan grace, Func<bool> leaderIsOurs)
    {
        if (!IsAlive(pgid, leaderIsOurs))
        {
            return true;
        }

        Signal(pgid, NativeMethods.SigTerm, leaderIsOurs);
        if (await WaitUntilEmptyAsync(pgid, grace, leaderIsOurs).ConfigureAwait(false))
        {
            return true;
        }

        Signal(pgid, NativeMethods.SigKill, leaderIsOurs);
        return await WaitUntilEmptyAsync(pgid, KillWait, leaderIsOurs).ConfigureAwait(false);
    }

    private static async Task<bool> WaitUntilEmptyAsync(int pgid, TimeSpan limit, Func<bool> leaderIsOurs)
    {
        var clock = Stopwatch.StartNew();
        while (IsAlive(pgid, leaderIsOurs))
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
