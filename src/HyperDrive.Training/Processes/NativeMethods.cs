using System.Runtime.InteropServices;

namespace HyperDrive.Training.Processes;

/// <summary>.NET's Process cannot send SIGTERM nor signal a process group (STACK.md): libc's kill can.</summary>
internal static class NativeMethods
{
    public const int SigTerm = 15;
    public const int SigKill = 9;
    public const int ErrorNoSuchProcess = 3; // ESRCH

    [DllImport("libc", SetLastError = true, EntryPoint = "kill")]
    public static extern int Kill(int pid, int sig);

    [DllImport("libc", EntryPoint = "getpgrp")]
    public static extern int GetProcessGroup();
}
