using System.Data.Common;
using HyperDrive.Actors.Artifacts;

namespace HyperDrive.Actors.Tests.Artifacts;

/// <summary>What the SQL store adds to the contract: chunks, checksums, atomic replacement, cleanup of failed puts.</summary>
public abstract class SqlArtifactStoreContract : ArtifactStoreContract
{
    protected override IArtifactStore CreateStore(ArtifactLimits? limits = null) => CreateSqlStore(limits);

    protected abstract SqlArtifactStore CreateSqlStore(ArtifactLimits? limits = null, int chunkSize = SqlArtifactStore.DefaultChunkSize);

    /// <summary>A plain connection to the store's database, to look at and tamper with its rows.</summary>
    protected abstract DbConnection Connect();

    [StoreFact]
    public async Task Put_should_split_the_file_into_chunks_of_the_configured_size_and_read_across_their_boundaries()
    {
        var store = CreateSqlStore(chunkSize: 1000);
        foreach (var size in new[] { 999, 1000, 1001, 2000, 25_432 })
        {
            var key = Root + "chunks/" + size;
            var bytes = Bytes(size, seed: size);
            await store.PutAsync(key, new UnseekableStream(bytes));

            Assert.Equal(bytes, await ReadAll(store, key));
            Assert.Equal((size + 999) / 1000, await Scalar($"SELECT COUNT(*) FROM {SqlArtifactStore.ChunksTable} WHERE version = (SELECT version FROM {SqlArtifactStore.ArtifactsTable} WHERE key = @key)", key));
        }
    }

    [StoreFact]
    public async Task Read_should_fail_naming_the_key_when_a_chunk_was_altered_in_the_database()
    {
        var store = CreateSqlStore(chunkSize: 4096);
        var key = Root + "checkpoints/model.pt";
        var bytes = Bytes(10_000, seed: 21);
        await store.PutAsync(key, new MemoryStream(bytes));
        var altered = Bytes(4096, seed: 22);

        await using (var connection = Connect())
        {
            await connection.OpenAsync();
            await using var update = connection.CreateCommand();
            update.CommandText = $"UPDATE {SqlArtifactStore.ChunksTable} SET data = @data WHERE seq = 1 AND version = (SELECT version FROM {SqlArtifactStore.ArtifactsTable} WHERE key = @key)";
            AddParameter(update, "@data", altered);
            AddParameter(update, "@key", key);
            Assert.Equal(1, await update.ExecuteNonQueryAsync());
        }

        var corrupt = await Assert.ThrowsAsync<InvalidDataException>(() => ReadAll(store, key));
        Assert.Contains(key, corrupt.Message, StringComparison.Ordinal);
        Assert.Contains("SHA-256", corrupt.Message, StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task Read_should_fail_naming_the_key_when_a_chunk_is_missing()
    {
        var store = CreateSqlStore(chunkSize: 4096);
        var key = Root + "outputs/model.pt";
        await store.PutAsync(key, new MemoryStream(Bytes(10_000, seed: 23)));

        Assert.Equal(1, await Execute($"DELETE FROM {SqlArtifactStore.ChunksTable} WHERE seq = 1 AND version = (SELECT version FROM {SqlArtifactStore.ArtifactsTable} WHERE key = @key)", key));

        var corrupt = await Assert.ThrowsAsync<InvalidDataException>(() => ReadAll(store, key));
        Assert.Contains(key, corrupt.Message, StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task Replace_and_delete_should_leave_no_chunk_of_an_old_version()
    {
        var store = CreateSqlStore(chunkSize: 1000);
        var key = Root + "replaced";
        await store.PutAsync(key, new MemoryStream(Bytes(5500, seed: 24)));
        var first = await VersionOf(key);
        await store.PutAsync(key, new MemoryStream(Bytes(1500, seed: 25)));
        var second = await VersionOf(key);

        Assert.NotEqual(first, second);
        Assert.Equal(0, await Scalar($"SELECT COUNT(*) FROM {SqlArtifactStore.ChunksTable} WHERE version = @key", first));
        Assert.Equal(2, await Scalar($"SELECT COUNT(*) FROM {SqlArtifactStore.ChunksTable} WHERE version = @key", second));

        await store.DeletePrefixAsync(Root);
        Assert.Equal(0, await Scalar($"SELECT COUNT(*) FROM {SqlArtifactStore.ChunksTable} WHERE version = @key", second));
    }

    [StoreFact]
    public async Task A_refused_or_failed_put_should_leave_no_chunks_and_no_upload_behind()
    {
        var store = CreateSqlStore(new ArtifactLimits(1 << 20, 2500), chunkSize: 1000);
        var key = Root + "refused";
        await Assert.ThrowsAsync<ArtifactLimitExceededException>(() => store.PutAsync(key, new UnseekableStream(Bytes(9000, seed: 26))));
        await Assert.ThrowsAsync<IOException>(() => store.PutAsync(key, new FailingStream(Bytes(1500, seed: 27))));

        Assert.Equal(0, await Scalar($"SELECT COUNT(*) FROM {SqlArtifactStore.UploadsTable} WHERE key = @key", key));
        Assert.False(await store.ExistsAsync(key));
    }

    [StoreFact]
    public async Task Purge_should_remove_the_chunks_of_an_upload_whose_process_died()
    {
        var store = CreateSqlStore();
        await store.PutAsync(Root + "first", new MemoryStream([1]));
        var version = "dead" + Guid.NewGuid().ToString("N")[..28];
        await Execute($"INSERT INTO {SqlArtifactStore.UploadsTable} (version, key, started) VALUES (@key, 'x', @started)", version, DateTimeOffset.UtcNow.AddHours(-1));
        await Execute($"INSERT INTO {SqlArtifactStore.ChunksTable} (version, seq, data) VALUES (@key, 0, @started)", version, new byte[] { 1, 2, 3 });

        Assert.Equal(0, await store.PurgeAbandonedUploadsAsync(TimeSpan.FromHours(2)));
        Assert.True(await store.PurgeAbandonedUploadsAsync(TimeSpan.FromMinutes(30)) >= 1);

        Assert.Equal(0, await Scalar($"SELECT COUNT(*) FROM {SqlArtifactStore.ChunksTable} WHERE version = @key", version));
        Assert.Equal(0, await Scalar($"SELECT COUNT(*) FROM {SqlArtifactStore.UploadsTable} WHERE version = @key", version));
        Assert.True(await store.ExistsAsync(Root + "first"));
    }

    private async Task<string> VersionOf(string key) =>
        (string)(await ScalarObject($"SELECT version FROM {SqlArtifactStore.ArtifactsTable} WHERE key = @key", key))!;

    private async Task<long> Scalar(string sql, string key) => Convert.ToInt64(await ScalarObject(sql, key), System.Globalization.CultureInfo.InvariantCulture);

    private async Task<object?> ScalarObject(string sql, string key)
    {
        await using var connection = Connect();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        AddParameter(command, "@key", key);
        return await command.ExecuteScalarAsync();
    }

    private async Task<int> Execute(string sql, string key, object? started = null)
    {
        await using var connection = Connect();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        AddParameter(command, "@key", key);
        if (started is not null)
        {
            AddParameter(command, "@started", started);
        }

        return await command.ExecuteNonQueryAsync();
    }

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    /// <summary>Hands out some bytes, then fails like a broken connection.</summary>
    private sealed class FailingStream(byte[] bytes) : Stream
    {
        private readonly UnseekableStream _inner = new(bytes);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = _inner.Read(buffer, offset, count);
            return read > 0 ? read : throw new IOException("connection reset by peer");
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
