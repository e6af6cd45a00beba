using Akka.Actor;
using HyperDrive.Actors.Hosting;
using HyperDrive.Actors.Sweeps;

namespace HyperDrive.Cli.Engine;

/// <summary>
/// Reads sweeps' states from the journal for the read-only commands (status, runs, best): a local actor
/// system whose <see cref="SweepView"/>s only recover, so reading never wakes a sweep, and works while
/// another process runs it.
/// </summary>
internal static class SweepReader
{
    public static async Task<IReadOnlyList<SweepState>> ReadAsync(string dataDirectory, IReadOnlyList<string> sweepIds)
    {
        if (sweepIds.Count == 0 || !File.Exists(HyperDriveNode.JournalPath(dataDirectory)))
        {
            return [];
        }

        var config = HoconLayers.Compose(HoconLayers.SqliteFile(HyperDriveNode.JournalPath(dataDirectory)), "local", "sqlite", "base");
        var system = ActorSystem.Create("hyperdrive-reader", config);
        try
        {
            var states = new List<SweepState>();
            foreach (var id in sweepIds)
            {
                var view = system.ActorOf(SweepView.Props(id));
                var reply = await view.Ask<SweepStateReply>(new GetSweepState(id), TimeSpan.FromSeconds(30));
                states.Add(reply.State);
                await view.GracefulStop(TimeSpan.FromSeconds(5));
            }

            return states;
        }
        finally
        {
            await system.Terminate();
        }
    }

    public static async Task<SweepState?> ReadAsync(string dataDirectory, string sweepId) =>
        (await ReadAsync(dataDirectory, [sweepId])).FirstOrDefault(s => s.Status != SweepStatus.None);
}
