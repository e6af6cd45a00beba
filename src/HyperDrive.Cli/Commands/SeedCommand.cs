using System.CommandLine;
using HyperDrive.Actors.Hosting;
using HyperDrive.Actors.Trials;
using HyperDrive.Cli.Api;
using HyperDrive.Cli.Engine;

namespace HyperDrive.Cli.Commands;

/// <summary>
/// <c>hyperdrive seed</c>: a long-lived node that runs sweeps submitted over its HTTP API. Today it holds every
/// role itself (coordinator, worker, api); worker nodes joining it come with the cluster.
/// </summary>
internal static class SeedCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var bind = new Option<string>("--bind") { Description = "The API's address (default 127.0.0.1; any other needs --token).", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port") { Description = "The API's port (0 picks a free one).", DefaultValueFactory = _ => 8089 };
        var token = new Option<string?>("--token") { Description = "Bearer token every request must carry (default $HYPERDRIVE_API_TOKEN)." };
        var dataDir = DataDirectory.Option();
        var command = new Command("seed", "Run a node that serves the HTTP API and runs the sweeps submitted to it.") { bind, port, token, dataDir };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var options = new ApiOptions(
                parseResult.GetValue(bind)!,
                parseResult.GetValue(port),
                parseResult.GetValue(token) ?? Environment.GetEnvironmentVariable("HYPERDRIVE_API_TOKEN"));
            if (options.Problem() is { } problem)
            {
                await error.WriteLineAsync("error: " + problem);
                return ExitCodes.BadInput;
            }

            var data = DataDirectory.Resolve(parseResult, dataDir);
            await using var node = await HyperDriveNode.StartEmbeddedAsync(data, new TrialRunnerFactory(), rememberSweeps: true, cancellationToken: cancellationToken);
            await using var api = await ApiServer.StartAsync(options, node, cancellationToken);
            await output.WriteLineAsync($"HyperDrive seed node: API on {api.Url}, data in {data}. Ctrl-C to stop (running sweeps resume when it starts again).");
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                await output.WriteLineAsync("Stopping: running trials are stopped and will restart when the seed node starts again.");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
