using System.Text.RegularExpressions;

namespace HyperDrive.Cli.Tests.Deployment;

/// <summary>
/// A node command line (<c>dotnet …/hyperdrive.dll seed|worker OPTIONS</c>) read against the cluster CLI contract
/// (prompts/cluster-contract.md): which options each command takes, which take a value, which may repeat.
/// </summary>
internal sealed partial class NodeCommand
{
    /// <summary>Every node option the contract defines.</summary>
    public static readonly IReadOnlySet<string> ContractOptions = new HashSet<string>(StringComparer.Ordinal)
    {
        "--host", "--cluster-port", "--seed-node", "--postgres", "--data-dir", "--bind", "--port", "--token", "--gpus", "--cpu-slots",
        "--sqlite", "--config",
    };

    private static readonly Dictionary<string, HashSet<string>> OptionsByCommand = new(StringComparer.Ordinal)
    {
        ["seed"] = ["--host", "--cluster-port", "--seed-node", "--postgres", "--data-dir", "--bind", "--port", "--token", "--gpus", "--cpu-slots", "--sqlite", "--config"],
        ["worker"] = ["--seed-node", "--host", "--cluster-port", "--gpus", "--cpu-slots", "--postgres", "--data-dir", "--sqlite", "--config"],
    };

    private static readonly HashSet<string> NumericOptions = ["--cluster-port", "--port", "--gpus", "--cpu-slots"];

    private readonly List<KeyValuePair<string, string>> _options;

    private NodeCommand(string command, List<KeyValuePair<string, string>> options, List<string> problems)
    {
        Command = command;
        _options = options;
        Problems = problems;
    }

    /// <summary><c>seed</c> or <c>worker</c> (empty when the line names neither).</summary>
    public string Command { get; }

    public IReadOnlyList<string> Problems { get; }

    public string? Value(string option) => _options.Where(o => o.Key == option).Select(o => o.Value).LastOrDefault();

    public IReadOnlyList<string> Values(string option) => [.. _options.Where(o => o.Key == option).Select(o => o.Value)];

    /// <param name="argv">The whole line, from <c>dotnet</c> on.</param>
    /// <param name="complete">False for an image's default arguments, which the run completes (a worker's --seed-node).</param>
    public static NodeCommand Parse(IReadOnlyList<string> argv, bool complete = true)
    {
        var problems = new List<string>();
        var options = new List<KeyValuePair<string, string>>();
        var line = string.Join(' ', argv);
        if (argv.Count < 3 || argv[0] != "dotnet" || !argv[1].EndsWith("hyperdrive.dll", StringComparison.Ordinal))
        {
            problems.Add($"'{line}' does not start with 'dotnet …/hyperdrive.dll'");
            return new NodeCommand("", options, problems);
        }

        var command = argv[2];
        if (!OptionsByCommand.TryGetValue(command, out var allowed))
        {
            problems.Add($"'{line}': '{command}' is not a node command (seed or worker)");
            return new NodeCommand("", options, problems);
        }

        for (var i = 3; i < argv.Count; i++)
        {
            var option = argv[i];
            if (!option.StartsWith("--", StringComparison.Ordinal))
            {
                problems.Add($"hyperdrive {command}: unexpected argument '{option}'");
                continue;
            }

            if (!allowed.Contains(option))
            {
                problems.Add(ContractOptions.Contains(option)
                    ? $"hyperdrive {command}: {option} is not an option of {command} in the contract"
                    : $"hyperdrive {command}: unknown option {option}");
            }

            if (i + 1 >= argv.Count || argv[i + 1].StartsWith("--", StringComparison.Ordinal) || argv[i + 1].Length == 0)
            {
                problems.Add($"hyperdrive {command}: {option} needs a value");
                continue;
            }

            var value = argv[++i];
            if (option != "--seed-node" && options.Any(o => o.Key == option))
            {
                problems.Add($"hyperdrive {command}: {option} given twice (only --seed-node repeats)");
            }

            CheckValue(command, option, value, problems);
            options.Add(new(option, value));
        }

        if (complete && command == "worker" && !options.Any(o => o.Key == "--seed-node"))
        {
            problems.Add("hyperdrive worker: needs at least one --seed-node");
        }

        return new NodeCommand(command, options, problems);
    }

    /// <summary>Host and port of an <c>akka.tcp://hyperdrive@HOST:PORT</c> address, or null.</summary>
    public static (string Host, int Port)? SeedAddress(string address)
    {
        var match = SeedNodePattern().Match(address);
        return match.Success ? (match.Groups["host"].Value, int.Parse(match.Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture)) : null;
    }

    private static void CheckValue(string command, string option, string value, List<string> problems)
    {
        // A compose variable (${…}) is filled in by compose; its form cannot be checked here.
        if (value.StartsWith("${", StringComparison.Ordinal))
        {
            return;
        }

        if (NumericOptions.Contains(option) && !(int.TryParse(value, out var number) && number >= 0))
        {
            problems.Add($"hyperdrive {command}: {option} '{value}' is not a whole number");
        }

        if (option == "--seed-node" && SeedAddress(value) is null)
        {
            problems.Add($"hyperdrive {command}: --seed-node '{value}' is not akka.tcp://hyperdrive@HOST:PORT");
        }
    }

    [GeneratedRegex(@"^akka\.tcp://hyperdrive@(?<host>[A-Za-z0-9.\-]+):(?<port>[0-9]{1,5})$")]
    private static partial Regex SeedNodePattern();
}
