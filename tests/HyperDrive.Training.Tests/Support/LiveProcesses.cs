using System.Globalization;

namespace HyperDrive.Training.Tests.Support;

internal static class LiveProcesses
{
    /// <summary>True while the process exists and is not a zombie (an orphan's zombie may never be reaped in a container).</summary>
    public static bool IsRunning(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
        }
        catch (IOException)
        {
            return false;
        }

        var state = stat[(stat.LastIndexOf(')') + 2)..][0];
        return state is not ('Z' or 'X');
    }

    public static int ReadPid(string path) => int.Parse(File.ReadAllText(path).Trim(), CultureInfo.InvariantCulture);
}
