using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace HyperDrive.Actors.Artifacts;

/// <summary>What differs between SQLite and PostgreSQL for <see cref="SqlArtifactStore"/>; everything else is shared SQL.</summary>
internal abstract class SqlArtifactDialect
{
    public abstract string Name { get; }

    public abstract DbConnection Connect(string connectionString);

    /// <summary>Run on every connection just opened.</summary>
    public virtual Task PrepareAsync(DbConnection connection, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Run once per store before the schema is created, outside any transaction.</summary>
    public virtual Task PrepareDatabaseAsync(DbConnection connection, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// A statement, run first in a transaction, that makes concurrent transactions naming the same key (<c>@key</c>)
    /// wait for each other; <c>null</c> where write transactions are serialised anyway.
    /// </summary>
    public abstract string? LockKey { get; }

    /// <summary>Like <see cref="LockKey"/> for the schema creation (concurrent <c>CREATE TABLE IF NOT EXISTS</c> can collide).</summary>
    public abstract string? LockSchema { get; }

    public abstract string[] Schema { get; }
}

internal sealed class SqliteArtifactDialect(TimeSpan busyTimeout) : SqlArtifactDialect
{
    public override string Name => "SQLite";

    public override DbConnection Connect(string connectionString) => new SqliteConnection(connectionString);

    // Several processes share the file (the journal, the API, the artifact store): wait for the writer instead of
    // failing at once with "database is locked".
    public override Task PrepareAsync(DbConnection connection, CancellationToken cancellationToken) =>
        SqlArtifactStore.ExecuteAsync(connection, null, $"PRAGMA busy_timeout = {(long)busyTimeout.TotalMilliseconds}", cancellationToken);

    // WAL lets readers go on while one process writes; the setting is stored in the file (the journal uses it too).
    public override Task PrepareDatabaseAsync(DbConnection connection, CancellationToken cancellationToken) =>
        SqlArtifactStore.ExecuteAsync(connection, null, "PRAGMA journal_mode = WAL", cancellationToken);

    // Microsoft.Data.Sqlite begins transactions IMMEDIATE: one writer at a time.
    public override string? LockKey => null;

    public override string? LockSchema => null;

    public override string[] Schema =>
    [
        $"CREATE TABLE IF NOT EXISTS {SqlArtifactStore.ArtifactsTable} (key TEXT NOT NULL PRIMARY KEY, version TEXT NOT NULL, size INTEGER NOT NULL, sha256 TEXT NOT NULL, created TEXT NOT NULL)",
        $"CREATE TABLE IF NOT EXISTS {SqlArtifactStore.ChunksTable} (version TEXT NOT NULL, seq INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (version, seq))",
        $"CREATE TABLE IF NOT EXISTS {SqlArtifactStore.UploadsTable} (version TEXT NOT NULL PRIMARY KEY, key TEXT NOT NULL, started TEXT NOT NULL)",
    ];
}

internal sealed class PostgresArtifactDialect : SqlArtifactDialect
{
    public override string Name => "PostgreSQL";

    public override DbConnection Connect(string connectionString) => new NpgsqlConnection(connectionString);

    public override string? LockKey => "SELECT pg_advisory_xact_lock(hashtextextended(@key, 0))";

    // Any constant: the schema lock of this store ("HDART" in ASCII).
    public override string? LockSchema => "SELECT pg_advisory_xact_lock(310746632532)";

    // COLLATE "C": byte order, so that prefix ranges (key >= prefix) mean the same as in SQLite.
    public override string[] Schema =>
    [
        $"CREATE TABLE IF NOT EXISTS {SqlArtifactStore.ArtifactsTable} (key TEXT COLLATE \"C\" NOT NULL PRIMARY KEY, version TEXT NOT NULL, size BIGINT NOT NULL, sha256 TEXT NOT NULL, created TIMESTAMPTZ NOT NULL)",
        $"CREATE TABLE IF NOT EXISTS {SqlArtifactStore.ChunksTable} (version TEXT NOT NULL, seq INTEGER NOT NULL, data BYTEA NOT NULL, PRIMARY KEY (version, seq))",
        $"CREATE TABLE IF NOT EXISTS {SqlArtifactStore.UploadsTable} (version TEXT NOT NULL PRIMARY KEY, key TEXT NOT NULL, started TIMESTAMPTZ NOT NULL)",
    ];
}
