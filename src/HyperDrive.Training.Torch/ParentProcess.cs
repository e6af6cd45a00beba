using System.Globalization;

namespace HyperDrive.Training.Torch;

/// <summary>This process's parent id from <c>/proc/self/stat</c> (null where there is no procfs).</summary>
internal static class ParentProcess
{
    public static int? Id()
    {
        try
        {
            var stat = File.ReadAllText("/proc/self/stat");
            // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so read after the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(fields[1], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }
}
