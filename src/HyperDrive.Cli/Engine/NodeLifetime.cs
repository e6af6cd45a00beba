using Akka.Actor;
using HyperDrive.Actors.Hosting;

namespace HyperDrive.Cli.Engine;

/// <summary>Keeps a long-lived node running until Ctrl-C or SIGTERM (a graceful leave), or until the cluster downs it.</summary>
internal static class NodeLifetime
{
    public static async Task<int> RunUntilStoppedAsync(HyperDriveNode node, TextWriter output, CancellationToken cancellationToken)
    {
        try
        {
            await node.System.WhenTerminated.WaitAsync(cancellationToken);
            await output.WriteLineAsync("The node left the cluster (downed or shut down).");
            return ExitCodes.Failure;
        }
        catch (OperationCanceledException)
        {
            await output.WriteLineAsync("Leaving the cluster: running trials stop here and restart on other nodes.");
            return ExitCodes.Ok;
        }
    }
}
