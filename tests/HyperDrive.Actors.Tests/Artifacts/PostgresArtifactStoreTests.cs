using System.Data.Common;
using HyperDrive.Actors.Artifacts;
using HyperDrive.Actors.Tests.Support;
using Npgsql;

namespace HyperDrive.Actors.Tests.Artifacts;

/// <summary>The contract on PostgreSQL (<c>HYPERDRIVE_TEST_POSTGRES</c>); every test is reported as skipped without it.</summary>
[RequiresPostgres]
public sealed class PostgresArtifactStoreTests : SqlArtifactStoreContract
{
    protected override SqlArtifactStore CreateSqlStore(ArtifactLimits? limits = null, int chunkSize = SqlArtifactStore.DefaultChunkSize) =>
        SqlArtifactStore.ForPostgres(PostgresFactAttribute.ConnectionString, limits, chunkSize);

    protected override DbConnection Connect() => new NpgsqlConnection(PostgresFactAttribute.ConnectionString);

    [PostgresFact]
    public async Task Concurrent_puts_of_one_key_should_leave_one_complete_version_and_no_stray_chunks()
    {
        var stores = Enumerable.Range(0, 3).Select(_ => CreateSqlStore(chunkSize: 8192)).ToList();
        var key = Root + "contended";
        await Task.WhenAll(Enumerable.Range(0, 12).Select(async i =>
        {
            await Task.Yield();
            await stores[i % 3].PutAsync(key, new MemoryStream(Bytes(30_000, seed: 200 + i)));
        }));

        var last = await ReadAll(stores[0], key);
        Assert.Contains(Enumerable.Range(0, 12), i => Bytes(30_000, seed: 200 + i).AsSpan().SequenceEqual(last));
        await using var connection = Connect();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM {SqlArtifactStore.UploadsTable} WHERE key = '{key}'";
        Assert.Equal(0L, await command.ExecuteScalarAsync());
    }
}
