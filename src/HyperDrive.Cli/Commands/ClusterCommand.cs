using System.CommandLine;
using System.Text.Json;
using HyperDrive.Cli.Api;
using HyperDrive.Cli.Output;

namespace HyperDrive.Cli.Commands;

/// <summary><c>hyperdrive cluster --api URL</c>: the nodes of the cluster, their roles and status.</summary>
internal static class ClusterCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var api = new ApiOptionSet();
        var command = new Command("cluster", "Show the nodes of a cluster (through a seed node's API).");
        api.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            if (api.Client(parseResult) is not { } client)
            {
                await error.WriteLineAsync("error: cluster needs --api URL");
                return ExitCodes.BadInput;
            }

            return await Remote.RunAsync(client, error, async c =>
            {
                using var json = JsonDocument.Parse(await c.GetStringAsync("api/cluster", cancellationToken));
                var table = new TextTable(["node", "status", "roles", "slots free", "running", "GPUs (free)"]);
                foreach (var node in json.RootElement.GetProperty("nodes").EnumerateArray())
                {
                    var isWorker = node.GetProperty("slots").ValueKind == JsonValueKind.Number;
                    var gpus = node.GetProperty("gpus").EnumerateArray().Select(g =>
                        $"{g.GetProperty("index").GetInt32()}: {g.GetProperty("name").GetString()}" +
                        (g.GetProperty("memory_bytes").ValueKind == JsonValueKind.Number ? $" {g.GetProperty("memory_bytes").GetInt64() / (1024.0 * 1024 * 1024):0.#} GiB" : "") +
                        $" ({g.GetProperty("free").GetString()} free)").ToList();
                    table.AddRow([
                        node.GetProperty("node_id").GetString()!,
                        node.GetProperty("status").GetString()!,
                        string.Join(",", node.GetProperty("roles").EnumerateArray().Select(r => r.GetString())),
                        isWorker ? Slots(node.GetProperty("free_slots").GetInt32(), node.GetProperty("slots").GetInt32()) : "-",
                        isWorker ? node.GetProperty("running_trials").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture) : "-",
                        !isWorker ? "-" : gpus.Count == 0 ? "none" : string.Join("; ", gpus),
                    ]);
                }

                table.Write(output);
                if (json.RootElement.GetProperty("gpu_warning").ValueKind == JsonValueKind.String)
                {
                    await output.WriteLineAsync("warning: " + json.RootElement.GetProperty("gpu_warning").GetString());
                }

                return ExitCodes.Ok;
            });
        });
        return command;
    }

    private static string Slots(int free, int total) =>
        total >= 1 << 20 ? "unbounded" : FormattableString.Invariant($"{free}/{total}");
}
