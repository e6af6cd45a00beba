using System.Runtime.CompilerServices;
using System.Text;

namespace HyperDrive.Training.Logs;

/// <summary>
/// Reads lines from a byte stream without ever holding more than <c>maxLineBytes</c> of one line: the rest of a longer
/// line is counted and dropped. Handles <c>\r\n</c>, binary bytes, and a last line without a newline.
/// </summary>
internal sealed class BoundedLineReader
{
    private readonly Stream _stream;
    private readonly byte[] _line;

    public BoundedLineReader(Stream stream, int maxLineBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLineBytes, 1);
        _stream = stream;
        _line = new byte[maxLineBytes];
    }

    public async IAsyncEnumerable<OutputLine> ReadLinesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var buffer = new byte[64 * 1024];
        var length = 0;
        long dropped = 0;
        while (true)
        {
            var read = await _stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            var start = 0;
            var lastNewline = Array.LastIndexOf(buffer, (byte)'\n', read - 1, read);
            while (start < read)
            {
                var newline = Array.IndexOf(buffer, (byte)'\n', start, read - start);
                var end = newline < 0 ? read : newline;
                var take = Math.Min(end - start, _line.Length - length);
                Buffer.BlockCopy(buffer, start, _line, length, take);
                length += take;
                dropped += end - start - take;
                if (newline < 0)
                {
                    break;
                }

                yield return Decode(length, dropped, newline == lastNewline);
                length = 0;
                dropped = 0;
                start = newline + 1;
            }
        }

        if (length > 0 || dropped > 0)
        {
            yield return Decode(length, dropped);
        }
    }

    private OutputLine Decode(int length, long dropped, bool last = true)
    {
        if (dropped == 0 && length > 0 && _line[length - 1] == '\r')
        {
            length--;
        }

        return new OutputLine(Encoding.UTF8.GetString(_line, 0, length), dropped, last);
    }
}
