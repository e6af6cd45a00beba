using System.Globalization;
using System.Text;

namespace HyperDrive.Training.Logs;

/// <summary>
/// The attempt's log file, bounded in size. The first half of the budget is written as lines arrive (so the log can
/// be followed live); past it, the most recent lines are kept in a rolling buffer of the other half and written at
/// the end after a marker saying how much was left out. The file therefore holds the real beginning and the real end.
/// A separate small buffer keeps the last lines for a failure's <see cref="Tail"/>. Thread-safe.
/// </summary>
internal sealed class BoundedTrialLog : IDisposable
{
    private const int TailLines = 20;
    private const int TailChars = 4096;

    private readonly Lock _lock = new();
    private readonly FileStream _file;
    private readonly long _tailBudget;
    private readonly Queue<byte[]> _rolling = new();
    private readonly Queue<string> _tail = new();
    private long _headLeft;
    private long _rollingBytes;
    private long _omittedBytes;
    private long _omittedLines;
    private bool _disposed;

    /// <param name="path">Appended to, so that nothing already there is lost; its size counts against the budget.</param>
    /// <param name="maxBytes">The most the file grows by during this attempt (roughly: plus one marker line).</param>
    public BoundedTrialLog(string path, long maxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 2);
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
        }

        _file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        _headLeft = Math.Max(0, (maxBytes / 2) - _file.Length);
        _tailBudget = maxBytes - (maxBytes / 2);
    }

    /// <param name="flush">
    /// False while more lines are already at hand (the caller writes them next and flushes with the last): one write
    /// system call per burst instead of per line. The file is still followable: a burst ends with a flush.
    /// </param>
    public void WriteLine(string text, bool flush = true)
    {
        var bytes = Encoding.UTF8.GetBytes(text + "\n");
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _tail.Enqueue(text);
            if (_tail.Count > TailLines)
            {
                _tail.Dequeue();
            }

            if (_rolling.Count == 0 && bytes.Length <= _headLeft)
            {
                _file.Write(bytes);
                if (flush)
                {
                    _file.Flush();
                }

                _headLeft -= bytes.Length;
                return;
            }

            _headLeft = 0;
            if (bytes.Length > _tailBudget)
            {
                _omittedBytes += bytes.Length;
                _omittedLines++;
                return;
            }

            _rolling.Enqueue(bytes);
            _rollingBytes += bytes.Length;
            while (_rollingBytes > _tailBudget)
            {
                var old = _rolling.Dequeue();
                _rollingBytes -= old.Length;
                _omittedBytes += old.Length;
                _omittedLines++;
            }
        }
    }

    /// <summary>The last lines written (at most 20 lines and 4 KiB), for a failed trial's outcome.</summary>
    public string Tail()
    {
        lock (_lock)
        {
            var text = string.Join('\n', _tail);
            return text.Length <= TailChars ? text : text[^TailChars..];
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            if (_omittedLines > 0)
            {
                _file.Write(Encoding.UTF8.GetBytes(string.Create(
                    CultureInfo.InvariantCulture,
                    $"[hyperdrive] log size limit reached: {_omittedLines} lines ({_omittedBytes} bytes) left out here\n")));
            }

            foreach (var bytes in _rolling)
            {
                _file.Write(bytes);
            }

            _file.Dispose();
        }
    }
}
