using System.CommandLine;
using HyperDrive.Actors.Sweeps;
using HyperDrive.Cli.Engine;

namespace HyperDrive.Cli.Commands;

/// <summary>Resolves the SWEEP argument (an id or an unambiguous name) and reads its state.</summary>
internal static class SweepArgument
{
    public static Argument<string> Create() => new("sweep") { Description = "The sweep's id, or its name when unambiguous." };

    public static async Task<(string? Id, SweepState? State)> ReadAsync(string data, string idOrName, TextWriter error)
    {
        var (id, problem) = new SweepCatalog(data).Resolve(idOrName);
        if (id is null)
        {
            await error.WriteLineAsync("error: " + problem);
            return (null, null);
        }

        var state = await SweepReader.ReadAsync(data, id);
        if (state is null)
        {
            await error.WriteLineAsync($"error: sweep {id} has no journal in {data} (it never started)");
            return (id, null);
        }

        return (id, state);
    }
}
