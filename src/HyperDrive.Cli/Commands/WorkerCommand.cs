using System.Collections.Immutable;
using System.CommandLine;
using HyperDrive.Actors.Hosting;
using HyperDrive.Actors.Trials;
using HyperDrive.Cli.Engine;

namespace HyperDrive.Cli.Commands;

/// <summary>
/// <c>hyperdrive worker</c>: a node with the worker role. It joins the seed nodes, announces its capacity (the GPUs
/// nvidia-smi finds, or <c>--gpus</c>; <c>--cpu-slots</c> trials at once) and runs the trials placed on it.
/// </summary>
internal static class WorkerCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var node = new NodeOptionSet(defaultClusterPort: 0);
        var command = new Command("worker", "Run a worker node that joins a cluster and runs trials.");
        node.AddTo(command, capacity: true);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            if (node.Read(parseResult, "worker", [NodeOptions.Worker], out var invalid) is not { } options)
            {
                await error.WriteLineAsync("error: " + invalid);
                return ExitCodes.BadInput;
            }

            if (options.SeedNodes.IsEmpty)
            {
                await error.WriteLineAsync("error: worker needs --seed-node akka.tcp://hyperdrive@HOST:PORT (the address `hyperdrive seed` prints)");
                return ExitCodes.BadInput;
            }

            await using var started = await HyperDriveNode.StartAsync(options, new TrialRunnerFactory(), cancellationToken);
            var cluster = Akka.Cluster.Cluster.Get(started.System).SelfAddress;
            var gpus = started.Capacity.Gpus.Length;
            await output.WriteLineAsync($"HyperDrive worker node: {cluster}, {gpus} GPU{(gpus == 1 ? "" : "s")}, {started.Capacity.CpuSlots} CPU slots" +
                (started.GpuWarning is null ? "" : $" (GPUs not read: {started.GpuWarning})") + ". Ctrl-C to stop.");
            await output.FlushAsync(cancellationToken);
            return await NodeLifetime.RunUntilStoppedAsync(started, output, cancellationToken);
        });
        return command;
    }
}
