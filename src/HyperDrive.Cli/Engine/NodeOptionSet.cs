using System.Collections.Immutable;
using System.CommandLine;
using HyperDrive.Actors.Hosting;
using HyperDrive.Core.Placement;

namespace HyperDrive.Cli.Engine;

/// <summary>The options every cluster node shares (<c>seed</c>, <c>worker</c>): address, seed nodes, journal, capacity, HOCON overrides.</summary>
internal sealed class NodeOptionSet
{
    private readonly Option<string> _host = new("--host")
    {
        Description = "The address this node binds and other nodes reach it on (default 127.0.0.1).",
        DefaultValueFactory = _ => "127.0.0.1",
    };

    private readonly Option<int> _clusterPort;

    private readonly Option<string[]> _seedNodes = new("--seed-node")
    {
        Description = "A seed node's address, akka.tcp://hyperdrive@HOST:PORT (repeat for several; list the same seeds, in the same order, on every node).",
        AllowMultipleArgumentsPerToken = false,
    };

    private readonly Option<string?> _postgres = new("--postgres")
    {
        Description = "The PostgreSQL journal's connection string (default $HYPERDRIVE_POSTGRES; without it: SQLite in the data folder, one machine only).",
    };

    private readonly Option<string?> _sqlite = new("--sqlite")
    {
        Description = "Without --postgres: the SQLite journal file the nodes of this machine share (default DATA-DIR/journal.db).",
    };

    private readonly Option<int?> _gpus = new("--gpus") { Description = "GPUs to announce instead of those nvidia-smi finds (tests, CPU clusters)." };

    private readonly Option<int?> _cpuSlots = new("--cpu-slots") { Description = "Trials this node runs at once (default: one per core)." };

    private readonly Option<string[]> _config = new("--config")
    {
        Description = "A HOCON override, KEY=VALUE (repeatable), e.g. akka.cluster.failure-detector.acceptable-heartbeat-pause=6s.",
    };

    private readonly Option<string?> _dataDirectory = DataDirectory.Option();

    public NodeOptionSet(int defaultClusterPort)
    {
        _clusterPort = new Option<int>("--cluster-port")
        {
            Description = $"The cluster (Akka remoting) port (default {defaultClusterPort}; 0 picks a free one).",
            DefaultValueFactory = _ => defaultClusterPort,
        };
    }

    public void AddTo(Command command, bool capacity)
    {
        command.Options.Add(_host);
        command.Options.Add(_clusterPort);
        command.Options.Add(_seedNodes);
        command.Options.Add(_postgres);
        command.Options.Add(_sqlite);
        command.Options.Add(_dataDirectory);
        command.Options.Add(_config);
        if (capacity)
        {
            command.Options.Add(_gpus);
            command.Options.Add(_cpuSlots);
        }
    }

    /// <summary>The node's options, or an error naming the option and the value.</summary>
    public NodeOptions? Read(ParseResult parseResult, string mode, ImmutableArray<string> roles, out string? error)
    {
        error = null;
        var seeds = parseResult.GetValue(_seedNodes) ?? [];
        foreach (var seed in seeds)
        {
            if (!seed.StartsWith("akka.tcp://hyperdrive@", StringComparison.Ordinal) || !TryParseAddress(seed))
            {
                error = $"--seed-node '{seed}' is not a seed address; expected akka.tcp://hyperdrive@HOST:PORT";
                return null;
            }
        }

        var port = parseResult.GetValue(_clusterPort);
        if (port is < 0 or > 65535)
        {
            error = $"--cluster-port {port} is not a port (0-65535)";
            return null;
        }

        if (parseResult.GetValue(_gpus) is < 0 or > 1024)
        {
            error = $"--gpus {parseResult.GetValue(_gpus)} must be between 0 and 1024";
            return null;
        }

        if (parseResult.GetValue(_cpuSlots) is < 0)
        {
            error = $"--cpu-slots {parseResult.GetValue(_cpuSlots)} must be 0 or more";
            return null;
        }

        var overrides = new List<string>();
        foreach (var pair in parseResult.GetValue(_config) ?? [])
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                error = $"--config '{pair}' is not KEY=VALUE";
                return null;
            }

            overrides.Add(pair[..equals].Trim() + " = " + pair[(equals + 1)..].Trim());
        }

        var data = DataDirectory.Resolve(parseResult, _dataDirectory);
        return new NodeOptions
        {
            DataDirectory = data,
            Mode = mode,
            Roles = roles,
            Host = parseResult.GetValue(_host)!,
            Port = port,
            SeedNodes = [.. seeds],
            Postgres = parseResult.GetValue(_postgres) ?? Environment.GetEnvironmentVariable("HYPERDRIVE_POSTGRES"),
            SqliteJournal = parseResult.GetValue(_sqlite) is { } sqlite ? Path.GetFullPath(sqlite) : null,
            Gpus = parseResult.GetValue(_gpus),
            CpuSlots = parseResult.GetValue(_cpuSlots),
            RememberSweeps = true,
            Placement = PlacementOptions.Cluster,
            ExtraHocon = string.Join("\n", overrides),
            LogFile = Path.Combine(data, "logs", FormattableString.Invariant($"{mode}-{Environment.ProcessId}.log")),
        };
    }

    private static bool TryParseAddress(string text)
    {
        try
        {
            var address = Akka.Actor.Address.Parse(text);
            return address.Host is not null && address.Port is > 0;
        }
        catch (UriFormatException)
        {
            return false;
        }
    }
}
