namespace HyperDrive.Cli.Engine;

/// <summary>
/// Only one process runs a sweep at a time: two would both write its journal. The lock is an open file
/// handle (released by the OS when the process dies, even by kill -9) with the owner's pid inside.
/// </summary>
internal sealed class SweepLock : IDisposable
{
    private readonly FileStream _stream;

    private SweepLock(FileStream stream)
    {
        _stream = stream;
    }

    public static SweepLock? TryAcquire(string sweepFolder, out int? ownerPid)
    {
        Directory.CreateDirectory(sweepFolder);
        var path = Path.Combine(sweepFolder, "run.lock");
        try
        {
            var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            stream.SetLength(0);
            var pid = System.Text.Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
            stream.Write(pid);
            stream.Flush();
            ownerPid = null;
            return new SweepLock(stream);
        }
        catch (IOException)
        {
            ownerPid = ReadOwner(path);
            return null;
        }
    }

    /// <summary>True when a live process holds the sweep's lock.</summary>
    public static bool IsHeld(string sweepFolder, out int? ownerPid)
    {
        using var probe = TryAcquire(sweepFolder, out ownerPid);
        return probe is null;
    }

    public void Dispose() => _stream.Dispose();

    private static int? ReadOwner(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            return int.TryParse(reader.ReadToEnd().Trim(), out var pid) ? pid : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
