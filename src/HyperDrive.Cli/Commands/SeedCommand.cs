using System.CommandLine;
using HyperDrive.Actors.Hosting;
using HyperDrive.Actors.Trials;
using HyperDrive.Cli.Api;
using HyperDrive.Cli.Engine;

namespace HyperDrive.Cli.Commands;

/// <summary>
/// <c>hyperdrive seed</c>: a coordinator node (roles coordinator and api) that runs the sweeps submitted to its HTTP
/// API on the worker nodes that join it. A second <c>seed</c> listing the same seed nodes is a second coordinator
/// node: it serves the API too and takes the sweeps over when the first dies. <c>--worker</c> runs trials here as
/// well (one machine, no separate worker).
/// </summary>
internal static class SeedCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var bind = new Option<string>("--bind") { Description = "The API's address (default 127.0.0.1; any other needs --token).", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port") { Description = "The API's port (0 picks a free one).", DefaultValueFactory = _ => 8089 };
        var token = new Option<string?>("--token") { Description = "Bearer token every request must carry (default $HYPERDRIVE_API_TOKEN)." };
        var worker = new Option<bool>("--worker") { Description = "Run trials on this node too (with --cpu-slots/--gpus)." };
        var node = new NodeOptionSet(defaultClusterPort: 4053);
        var command = new Command("seed", "Run a coordinator node: it serves the HTTP API and runs submitted sweeps on the worker nodes.") { bind, port, token, worker };
        node.AddTo(command, capacity: true);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var api = new ApiOptions(
                parseResult.GetValue(bind)!,
                parseResult.GetValue(port),
                parseResult.GetValue(token) ?? Environment.GetEnvironmentVariable("HYPERDRIVE_API_TOKEN"));
            if (api.Problem() is { } problem)
            {
                await error.WriteLineAsync("error: " + problem);
                return ExitCodes.BadInput;
            }

            var roles = parseResult.GetValue(worker)
                ? [NodeOptions.Coordinator, NodeOptions.Api, NodeOptions.Worker]
                : System.Collections.Immutable.ImmutableArray.Create(NodeOptions.Coordinator, NodeOptions.Api);
            if (node.Read(parseResult, "seed", roles, out var invalid) is not { } options)
            {
                await error.WriteLineAsync("error: " + invalid);
                return ExitCodes.BadInput;
            }

            await using var started = await HyperDriveNode.StartAsync(options, new TrialRunnerFactory(), cancellationToken);
            await using var server = await ApiServer.StartAsync(api, started, cancellationToken);
            var cluster = Akka.Cluster.Cluster.Get(started.System).SelfAddress;
            await output.WriteLineAsync($"HyperDrive seed node: cluster {cluster}, API on {server.Url}, data in {options.DataDirectory}" +
                $"{(options.Postgres is null ? " (SQLite journal)" : " (PostgreSQL journal)")}. Ctrl-C to stop.");
            await output.FlushAsync(cancellationToken);
            return await NodeLifetime.RunUntilStoppedAsync(started, output, cancellationToken);
        });
        return command;
    }
}
