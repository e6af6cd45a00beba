using System.Reflection;
using Akka.Configuration;
using Akka.Persistence.Sql;

namespace HyperDrive.Actors.Hosting;

/// <summary>
/// Loads the HOCON files of <c>hocon/</c> (embedded in this assembly) and composes them in the fixed order:
/// overrides → persistence → mode → base → plugin defaults. A file next to the executable or under
/// <c>HYPERDRIVE_HOCON_DIR</c> with the same name replaces the embedded one, so operators can edit them.
/// </summary>
public static class HoconLayers
{
    private const string ResourcePrefix = "HyperDrive.hocon.";

    /// <summary>The command-line-style override that points the journal and snapshot store at a SQLite file.</summary>
    public static string SqliteFile(string path)
    {
        var connection = ("Data Source=" + path).Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
        return $"akka.persistence.journal.sql.connection-string = \"{connection}\"\n" +
            $"akka.persistence.snapshot-store.sql.connection-string = \"{connection}\"\n";
    }

    /// <summary>The command-line-style override that points the journal and snapshot store at a PostgreSQL database.</summary>
    public static string PostgresConnection(string connectionString)
    {
        var connection = connectionString.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
        return $"akka.persistence.journal.sql.connection-string = \"{connection}\"\n" +
            $"akka.persistence.snapshot-store.sql.connection-string = \"{connection}\"\n";
    }

    /// <summary>The command-line-style override that sets a node's address and roles.</summary>
    public static string Node(string host, int port, IEnumerable<string> roles) =>
        $"akka.remote.dot-netty.tcp.hostname = {Quote(host)}\n" +
        $"akka.remote.dot-netty.tcp.port = {port.ToString(System.Globalization.CultureInfo.InvariantCulture)}\n" +
        $"akka.cluster.roles = [{string.Join(", ", roles.Select(Quote))}]\n";

    /// <summary>A HOCON string literal.</summary>
    public static string Quote(string text) =>
        "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    /// <summary>The text of one layer (<c>base</c>, <c>embedded</c>, <c>sqlite</c>, …).</summary>
    public static string Read(string layer)
    {
        var overrideFolder = Environment.GetEnvironmentVariable("HYPERDRIVE_HOCON_DIR");
        if (!string.IsNullOrEmpty(overrideFolder) && File.Exists(Path.Combine(overrideFolder, layer + ".conf")))
        {
            return File.ReadAllText(Path.Combine(overrideFolder, layer + ".conf"));
        }

        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(ResourcePrefix + layer + ".conf")
            ?? throw new ArgumentException($"no HOCON layer '{layer}'; known: {string.Join(", ", Known())}", nameof(layer));
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>The layers shipped in this assembly.</summary>
    public static IEnumerable<string> Known() =>
        Assembly.GetExecutingAssembly().GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            .Select(n => n[ResourcePrefix.Length..^".conf".Length]);

    /// <summary>
    /// Composes layers: the first wins. <paramref name="overrides"/> (may be empty) come before every file.
    /// The SQL plugin's defaults are always the last fallback (STACK §1: they are not injected otherwise).
    /// </summary>
    public static Config Compose(string overrides, params string[] layers)
    {
        var config = string.IsNullOrWhiteSpace(overrides) ? Config.Empty : ConfigurationFactory.ParseString(overrides);
        foreach (var layer in layers)
        {
            config = config.WithFallback(ConfigurationFactory.ParseString(Read(layer)));
        }

        return config.WithFallback(SqlPersistence.DefaultConfiguration);
    }
}
