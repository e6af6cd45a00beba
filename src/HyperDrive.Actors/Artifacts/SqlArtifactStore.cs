using System.Data.Common;
using System.Security.Cryptography;

namespace HyperDrive.Actors.Artifacts;

/// <summary>
/// The cluster's store: artifacts in the journal's own database (SQLite or PostgreSQL), so the database stays the
/// only stateful service. Three tables, created when missing:
/// <c>hyperdrive_artifacts(key, version, size, sha256, created)</c> names the current version of each key,
/// <c>hyperdrive_artifact_chunks(version, seq, data)</c> holds the bytes in chunks of <see cref="ChunkSize"/>, and
/// <c>hyperdrive_artifact_uploads(version, key, started)</c> the versions being written.
/// A put streams its chunks under a new version, then switches the key to it and drops the old chunks in one
/// transaction; a read streams the chunks of the version it found in one statement (one snapshot), checks the
/// SHA-256 at the end, and throws <see cref="InvalidDataException"/> naming the key when the bytes do not match.
/// </summary>
public sealed class SqlArtifactStore : IArtifactStore
{
    public const string ArtifactsTable = "hyperdrive_artifacts";
    public const string ChunksTable = "hyperdrive_artifact_chunks";
    public const string UploadsTable = "hyperdrive_artifact_uploads";
    public const int DefaultChunkSize = 1 << 20;

    // "key under prefix", written so that both databases can use the primary key's index for the range.
    private const string UnderPrefix = "key >= @prefix AND substr(key, 1, @prefixLength) = @prefix";

    /// <summary>Uploads older than this when a store starts are taken as abandoned (their process died) and removed.</summary>
    public static readonly TimeSpan AbandonedUploadAge = TimeSpan.FromHours(24);

    private readonly SqlArtifactDialect _dialect;
    private readonly string _connectionString;
    private readonly Lock _schemaGate = new();
    private Task? _schema;

    private SqlArtifactStore(SqlArtifactDialect dialect, string connectionString, ArtifactLimits? limits, int chunkSize)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkSize, 1);
        _dialect = dialect;
        _connectionString = connectionString;
        Limits = limits ?? ArtifactLimits.Default;
        ChunkSize = chunkSize;
    }

    public ArtifactLimits Limits { get; }

    public int ChunkSize { get; }

    /// <summary>The database's name for messages: <c>SQLite</c> or <c>PostgreSQL</c>.</summary>
    public string Database => _dialect.Name;

    /// <param name="connectionString">A Microsoft.Data.Sqlite connection string, e.g. the journal's <c>Data Source=.hyperdrive/journal.db</c>.</param>
    /// <param name="busyTimeout">How long to wait for another process's write before failing (default 30 s).</param>
    public static SqlArtifactStore ForSqlite(string connectionString, ArtifactLimits? limits = null, int chunkSize = DefaultChunkSize, TimeSpan? busyTimeout = null) =>
        new(new SqliteArtifactDialect(busyTimeout ?? TimeSpan.FromSeconds(30)), connectionString, limits, chunkSize);

    /// <param name="connectionString">An Npgsql connection string, e.g. the journal's <c>Host=…;Username=…;Password=…;Database=…</c>.</param>
    public static SqlArtifactStore ForPostgres(string connectionString, ArtifactLimits? limits = null, int chunkSize = DefaultChunkSize) =>
        new(new PostgresArtifactDialect(), connectionString, limits, chunkSize);

    /// <summary>The store for the journal's <c>provider-name</c> (<c>SQLite.MS</c>, <c>PostgreSQL.15</c>, …) and connection string.</summary>
    public static SqlArtifactStore ForJournalProvider(string providerName, string connectionString, ArtifactLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(providerName);
        if (providerName.StartsWith("SQLite", StringComparison.OrdinalIgnoreCase))
        {
            return ForSqlite(connectionString, limits);
        }

        if (providerName.StartsWith("PostgreSQL", StringComparison.OrdinalIgnoreCase))
        {
            return ForPostgres(connectionString, limits);
        }

        throw new ArgumentException($"no artifact store for the journal provider '{providerName}'; known: SQLite.*, PostgreSQL.*", nameof(providerName));
    }

    public async Task<ArtifactInfo> PutAsync(string key, Stream content, CancellationToken cancellationToken = default)
    {
        ArtifactKey.Validate(key);
        ArgumentNullException.ThrowIfNull(content);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var budget = ArtifactBudget.For(key, Limits, await OtherTrialBytesAsync(connection, key, cancellationToken).ConfigureAwait(false));
        budget.CheckKnownLength(content);

        var version = Guid.NewGuid().ToString("N");
        await ExecuteAsync(connection, null, $"INSERT INTO {UploadsTable} (version, key, started) VALUES (@version, @key, @now)", cancellationToken,
            ("version", version), ("key", key), ("now", DateTimeOffset.UtcNow)).ConfigureAwait(false);
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[ChunkSize];
            long size = 0;
            for (var seq = 0; ; seq++)
            {
                var filled = await ArtifactBudget.FillAsync(content, buffer, cancellationToken).ConfigureAwait(false);
                if (filled == 0)
                {
                    break;
                }

                size += filled;
                budget.Check(size);
                hash.AppendData(buffer, 0, filled);
                // One autocommitted insert per chunk: a write lock is never held while the source stream is read.
                await ExecuteAsync(connection, null, $"INSERT INTO {ChunksTable} (version, seq, data) VALUES (@version, @seq, @data)", cancellationToken,
                    ("version", version), ("seq", seq), ("data", filled == buffer.Length ? buffer : buffer[..filled])).ConfigureAwait(false);
                if (filled < buffer.Length)
                {
                    break;
                }
            }

            var sha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
            await using (var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false))
            {
                await RemoveKeyAsync(connection, transaction, key, cancellationToken).ConfigureAwait(false);
                await ExecuteAsync(connection, transaction,
                    $"INSERT INTO {ArtifactsTable} (key, version, size, sha256, created) VALUES (@key, @version, @size, @sha256, @now)", cancellationToken,
                    ("key", key), ("version", version), ("size", size), ("sha256", sha256), ("now", DateTimeOffset.UtcNow)).ConfigureAwait(false);
                await ExecuteAsync(connection, transaction, $"DELETE FROM {UploadsTable} WHERE version = @version", cancellationToken, ("version", version)).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }

            return new ArtifactInfo(key, size);
        }
        catch
        {
            await DropVersionAsync(connection, version).ConfigureAwait(false);
            throw;
        }
    }

    public async Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken = default)
    {
        ArtifactKey.Validate(key);
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        DbCommand? command = null;
        DbDataReader? reader = null;
        try
        {
            // One statement: the version row and its chunks come from one snapshot, so a concurrent put that
            // switches the key and drops these chunks cannot cut the file short.
            command = Command(connection, null,
                $"SELECT a.version, a.size, a.sha256, c.seq, c.data FROM {ArtifactsTable} a LEFT JOIN {ChunksTable} c ON c.version = a.version " +
                "WHERE a.key = @key ORDER BY c.seq", ("key", key));
            reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                await reader.DisposeAsync().ConfigureAwait(false);
                await command.DisposeAsync().ConfigureAwait(false);
                await connection.DisposeAsync().ConfigureAwait(false);
                return null;
            }

            return new SqlArtifactReadStream(key, connection, command, reader);
        }
        catch
        {
            if (reader is not null)
            {
                await reader.DisposeAsync().ConfigureAwait(false);
            }

            if (command is not null)
            {
                await command.DisposeAsync().ConfigureAwait(false);
            }

            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default)
    {
        ArtifactKey.Validate(key);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, $"SELECT 1 FROM {ArtifactsTable} WHERE key = @key", ("key", key));
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null and not DBNull;
    }

    public async Task<IReadOnlyList<ArtifactInfo>> ListAsync(string prefix, CancellationToken cancellationToken = default)
    {
        var normalized = ArtifactKey.NormalizePrefix(prefix);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null,
            $"SELECT key, size FROM {ArtifactsTable}" + (normalized.Length == 0 ? "" : " WHERE " + UnderPrefix), PrefixParameters(normalized));
        var found = new List<ArtifactInfo>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                found.Add(new ArtifactInfo(reader.GetString(0), reader.GetInt64(1)));
            }
        }

        found.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        return found;
    }

    public async Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        ArtifactKey.Validate(key);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var removed = await RemoveKeyAsync(connection, transaction, key, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return removed;
    }

    public async Task<int> DeletePrefixAsync(string prefix, CancellationToken cancellationToken = default)
    {
        var normalized = ArtifactKey.NormalizePrefix(prefix);
        if (normalized.Length == 0)
        {
            throw new ArgumentException("refusing to delete every artifact: give a non-empty prefix", nameof(prefix));
        }

        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var versions = await ReturningAsync(connection, transaction,
            $"DELETE FROM {ArtifactsTable} WHERE {UnderPrefix} RETURNING version", cancellationToken, PrefixParameters(normalized)).ConfigureAwait(false);
        foreach (var version in versions)
        {
            await ExecuteAsync(connection, transaction, $"DELETE FROM {ChunksTable} WHERE version = @version", cancellationToken, ("version", version)).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return versions.Count;
    }

    /// <summary>
    /// Removes the chunks of uploads that started more than <paramref name="olderThan"/> ago and never finished
    /// (their process died mid-put); returns how many. Runs by itself with <see cref="AbandonedUploadAge"/> when a store first touches the database.
    /// </summary>
    public async Task<int> PurgeAbandonedUploadsAsync(TimeSpan olderThan, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await PurgeAsync(connection, olderThan, cancellationToken).ConfigureAwait(false);
    }

    private static (string, object)[] PrefixParameters(string prefix) =>
        prefix.Length == 0 ? [] : [("prefix", prefix), ("prefixLength", prefix.EnumerateRunes().Count())];

    private async Task<long> OtherTrialBytesAsync(DbConnection connection, string key, CancellationToken cancellationToken)
    {
        var trial = ArtifactKeys.TrialOf(key);
        if (trial is null)
        {
            return 0;
        }

        await using var command = Command(connection, null,
            $"SELECT COALESCE(SUM(size), 0) FROM {ArtifactsTable} WHERE {UnderPrefix} AND key <> @key", [.. PrefixParameters(trial), ("key", key)]);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Unlinks the key and drops its chunks, inside <paramref name="transaction"/>; whether it held a file.</summary>
    private async Task<bool> RemoveKeyAsync(DbConnection connection, DbTransaction transaction, string key, CancellationToken cancellationToken)
    {
        if (_dialect.LockKey is { } lockKey)
        {
            await ExecuteAsync(connection, transaction, lockKey, cancellationToken, ("key", key)).ConfigureAwait(false);
        }

        var versions = await ReturningAsync(connection, transaction, $"DELETE FROM {ArtifactsTable} WHERE key = @key RETURNING version", cancellationToken, ("key", key)).ConfigureAwait(false);
        foreach (var version in versions)
        {
            await ExecuteAsync(connection, transaction, $"DELETE FROM {ChunksTable} WHERE version = @version", cancellationToken, ("version", version)).ConfigureAwait(false);
        }

        return versions.Count > 0;
    }

    private async Task DropVersionAsync(DbConnection connection, string version)
    {
        try
        {
            await ExecuteAsync(connection, null, $"DELETE FROM {ChunksTable} WHERE version = @version", CancellationToken.None, ("version", version)).ConfigureAwait(false);
            await ExecuteAsync(connection, null, $"DELETE FROM {UploadsTable} WHERE version = @version", CancellationToken.None, ("version", version)).ConfigureAwait(false);
        }
        catch (DbException)
        {
            // The upload stays registered; PurgeAbandonedUploadsAsync removes it later.
        }
    }

    private static async Task<int> PurgeAsync(DbConnection connection, TimeSpan olderThan, CancellationToken cancellationToken)
    {
        var cutoff = DateTimeOffset.UtcNow - olderThan;
        var abandoned = new List<string>();
        await using (var command = Command(connection, null, $"SELECT version, started FROM {UploadsTable}"))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                if (reader.GetFieldValue<DateTimeOffset>(1) <= cutoff)
                {
                    abandoned.Add(reader.GetString(0));
                }
            }
        }

        foreach (var version in abandoned)
        {
            await ExecuteAsync(connection, null, $"DELETE FROM {ChunksTable} WHERE version = @version", cancellationToken, ("version", version)).ConfigureAwait(false);
            await ExecuteAsync(connection, null, $"DELETE FROM {UploadsTable} WHERE version = @version", cancellationToken, ("version", version)).ConfigureAwait(false);
        }

        return abandoned.Count;
    }

    private async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        Task schema;
        lock (_schemaGate)
        {
            if (_schema is null || _schema.IsFaulted || _schema.IsCanceled)
            {
                _schema = CreateSchemaAsync();
            }

            schema = _schema;
        }

        await schema.WaitAsync(cancellationToken).ConfigureAwait(false);
        return await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = _dialect.Connect(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await _dialect.PrepareAsync(connection, cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task CreateSchemaAsync()
    {
        await using var connection = await OpenConnectionAsync(CancellationToken.None).ConfigureAwait(false);
        await _dialect.PrepareDatabaseAsync(connection, CancellationToken.None).ConfigureAwait(false);
        await using (var transaction = await connection.BeginTransactionAsync().ConfigureAwait(false))
        {
            if (_dialect.LockSchema is { } lockSchema)
            {
                await ExecuteAsync(connection, transaction, lockSchema, CancellationToken.None).ConfigureAwait(false);
            }

            foreach (var statement in _dialect.Schema)
            {
                await ExecuteAsync(connection, transaction, statement, CancellationToken.None).ConfigureAwait(false);
            }

            await transaction.CommitAsync().ConfigureAwait(false);
        }

        await PurgeAsync(connection, AbandonedUploadAge, CancellationToken.None).ConfigureAwait(false);
    }

    internal static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@" + name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        return command;
    }

    internal static async Task ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<List<string>> ReturningAsync(DbConnection connection, DbTransaction transaction, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        var values = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }
}
