using System.Data.Common;
using System.Security.Cryptography;

namespace HyperDrive.Actors.Artifacts;

/// <summary>
/// Reads one artifact's chunks row by row from an open reader (one chunk in memory at a time), hashing as it goes;
/// the read that reaches the end checks the size, the chunk sequence and the SHA-256. Owns the connection.
/// </summary>
internal sealed class SqlArtifactReadStream : Stream
{
    private readonly string _key;
    private readonly DbConnection _connection;
    private readonly DbCommand _command;
    private readonly DbDataReader _reader;
    private readonly long _size;
    private readonly string _sha256;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private byte[] _chunk = [];
    private int _offset;
    private int _nextSeq;
    private long _position;
    private bool _rowPending;
    private bool _verified;

    /// <param name="reader">Positioned on the first row: version, size, sha256, seq (null when no chunk), data.</param>
    public SqlArtifactReadStream(string key, DbConnection connection, DbCommand command, DbDataReader reader)
    {
        _key = key;
        _connection = connection;
        _command = command;
        _reader = reader;
        _size = reader.GetInt64(1);
        _sha256 = reader.GetString(2);
        _rowPending = !reader.IsDBNull(3);
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => _size;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        while (_offset == _chunk.Length)
        {
            if (!_rowPending && !(_rowPending = _reader.Read()))
            {
                Verify();
                return 0;
            }

            TakeRow();
        }

        return Copy(buffer);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (_offset == _chunk.Length)
        {
            if (!_rowPending && !(_rowPending = await _reader.ReadAsync(cancellationToken).ConfigureAwait(false)))
            {
                Verify();
                return 0;
            }

            TakeRow();
        }

        return Copy(buffer.Span);
    }

    private void TakeRow()
    {
        _rowPending = false;
        var seq = _reader.IsDBNull(3) ? -1 : _reader.GetInt32(3);
        if (seq != _nextSeq)
        {
            throw Corrupt($"chunk {_nextSeq} is missing (found {seq})");
        }

        _nextSeq++;
        _chunk = _reader.GetFieldValue<byte[]>(4);
        _offset = 0;
        _hash.AppendData(_chunk);
        if (_position + _chunk.Length > _size)
        {
            throw Corrupt($"its chunks hold more than the recorded {_size} bytes");
        }
    }

    private int Copy(Span<byte> buffer)
    {
        var count = Math.Min(buffer.Length, _chunk.Length - _offset);
        _chunk.AsSpan(_offset, count).CopyTo(buffer);
        _offset += count;
        _position += count;
        return count;
    }

    private void Verify()
    {
        if (_verified)
        {
            return;
        }

        if (_position != _size)
        {
            throw Corrupt($"its chunks hold {_position} bytes, not the recorded {_size}");
        }

        var actual = Convert.ToHexStringLower(_hash.GetHashAndReset());
        if (!string.Equals(actual, _sha256, StringComparison.OrdinalIgnoreCase))
        {
            throw Corrupt($"its SHA-256 is {actual}, not the recorded {_sha256}");
        }

        _verified = true;
    }

    private InvalidDataException Corrupt(string why) => new($"artifact '{_key}' is corrupted in the database: {why}");

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _reader.Dispose();
            _command.Dispose();
            _connection.Dispose();
            _hash.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await _reader.DisposeAsync().ConfigureAwait(false);
        await _command.DisposeAsync().ConfigureAwait(false);
        await _connection.DisposeAsync().ConfigureAwait(false);
        _hash.Dispose();
        await base.DisposeAsync().ConfigureAwait(false);
    }
}
