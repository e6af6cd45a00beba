using Akka.Configuration;
using HyperDrive.Actors.Hosting;

namespace HyperDrive.Actors.Tests.Support;

/// <summary>A local (non-cluster) actor system on the project's HOCON layers with a SQLite journal in a temp folder.</summary>
internal sealed class PersistenceConfig : IDisposable
{
    public PersistenceConfig()
    {
        Directory = Path.Combine(Path.GetTempPath(), "hyperdrive-specs-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    public Config Config()
    {
        return HoconLayers.Compose(HoconLayers.SqliteFile(Path.Combine(Directory, "journal.db")), "local", "sqlite", "base");
    }

    /// <summary>The same layers on PostgreSQL (<see cref="PostgresFactAttribute.ConnectionString"/>).</summary>
    public static Config PostgresConfig() =>
        HoconLayers.Compose(HoconLayers.PostgresConnection(PostgresFactAttribute.ConnectionString), "local", "postgres", "base");

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may still hold the file for a moment after the system stops; the OS cleans temp.
        }
    }
}
