using System.Data.Common;
using HyperDrive.Actors.Artifacts;
using Microsoft.Data.Sqlite;

namespace HyperDrive.Actors.Tests.Artifacts;

public sealed class SqliteArtifactStoreTests : SqlArtifactStoreContract
{
    private string ConnectionString => "Data Source=" + Path.Combine(Folder, "journal.db");

    protected override SqlArtifactStore CreateSqlStore(ArtifactLimits? limits = null, int chunkSize = SqlArtifactStore.DefaultChunkSize) =>
        SqlArtifactStore.ForSqlite(ConnectionString, limits, chunkSize);

    protected override DbConnection Connect() => new SqliteConnection(ConnectionString);

    [Fact]
    public async Task Two_stores_on_one_file_should_write_and_read_concurrently_without_database_is_locked()
    {
        // Two stores, as two processes would have (the second without connection pooling): every operation has its own connection.
        var first = CreateSqlStore(chunkSize: 16 * 1024);
        var second = SqlArtifactStore.ForSqlite(ConnectionString + ";Pooling=False", chunkSize: 16 * 1024);
        var work = Enumerable.Range(0, 24).Select(async i =>
        {
            var store = i % 2 == 0 ? first : second;
            var key = $"{Root}concurrent/{i % 6}/{i}.bin";
            await Task.Yield();
            await store.PutAsync(key, new UnseekableStream(Bytes(50_000 + i, seed: i)));
            Assert.Equal(Bytes(50_000 + i, seed: i), await ReadAll(i % 2 == 0 ? second : first, key));
            await store.PutAsync($"{Root}shared", new MemoryStream(Bytes(20_000, seed: 100 + i)));
        });

        await Task.WhenAll(work);

        Assert.Equal(25, (await first.ListAsync(Root)).Count);
        var shared = await ReadAll(second, Root + "shared");
        Assert.Contains(Enumerable.Range(0, 24), i => Bytes(20_000, seed: 100 + i).AsSpan().SequenceEqual(shared));
    }

    public override void Dispose()
    {
        SqliteConnection.ClearAllPools();
        base.Dispose();
    }
}
