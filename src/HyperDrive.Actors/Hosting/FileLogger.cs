using System.Globalization;
using Akka.Actor;
using Akka.Event;

namespace HyperDrive.Actors.Hosting;

/// <summary>
/// Akka's log sink for console processes: writes every log event to <c>hyperdrive.log-file</c> (the data folder's
/// <c>node.log</c>) instead of standard output, which belongs to the live view. Without a file it keeps
/// warnings and errors on standard error.
/// </summary>
public sealed class FileLogger : ReceiveActor
{
    private readonly StreamWriter? _writer;

    public FileLogger()
    {
        var path = Context.System.Settings.Config.GetString("hyperdrive.log-file", "");
        if (!string.IsNullOrEmpty(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            _writer = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        }

        Receive<InitializeLogger>(_ => Sender.Tell(new LoggerInitialized()));
        Receive<LogEvent>(Write);
    }

    protected override void PostStop()
    {
        _writer?.Dispose();
        base.PostStop();
    }

    private void Write(LogEvent e)
    {
        var line = string.Create(CultureInfo.InvariantCulture,
            $"{e.Timestamp:yyyy-MM-ddTHH:mm:ss.fffZ} {e.LogLevel().ToString().Replace("Level", "", StringComparison.Ordinal).ToUpperInvariant()} {e.LogSource} {e.Message}{(e.Cause is null ? "" : " " + e.Cause)}");
        if (_writer is not null)
        {
            _writer.WriteLine(line);
        }
        else if (e.LogLevel() >= LogLevel.WarningLevel)
        {
            Console.Error.WriteLine(line);
        }
    }
}
