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
                var table = new TextTable(["node", "status", "roles"]);
                foreach (var node in json.RootElement.GetProperty("nodes").EnumerateArray())
                {
                    table.AddRow([node.GetProperty("address").GetString()!, node.GetProperty("status").GetString()!,
                        string.Join(",", node.GetProperty("roles").EnumerateArray().Select(r => r.GetString()))]);
                }

                table.Write(output);
                await output.WriteLineAsync($"running trials: {json.RootElement.GetProperty("running_trials").GetInt32()}");
                var capacity = json.RootElement.GetProperty("capacity");
                var gpus = capacity.GetProperty("gpus").EnumerateArray().Select(g =>
                    $"{g.GetProperty("index").GetInt32()}: {g.GetProperty("name").GetString()}" +
                    (g.GetProperty("memory_bytes").ValueKind == JsonValueKind.Number ? $" ({g.GetProperty("memory_bytes").GetInt64() / (1024.0 * 1024 * 1024):0.#} GiB)" : "")).ToList();
                await output.WriteLineAsync($"capacity: {capacity.GetProperty("cpu_slots").GetInt32()} CPU slots, {(gpus.Count == 0 ? "no GPU" : string.Join(", ", gpus))}");
                if (capacity.GetProperty("gpu_warning").ValueKind == JsonValueKind.String)
                {
                    await output.WriteLineAsync("warning: " + capacity.GetProperty("gpu_warning").GetString());
                }
                return ExitCodes.Ok;
            });
        });
        return command;
    }
}
