using System.CommandLine;
using System.Text.Json;
using HyperDrive.Cli.Api;

namespace HyperDrive.Cli.Commands;

/// <summary><c>hyperdrive watch SWEEP --api URL</c>: follows a sweep's server-sent events until it ends.</summary>
internal static class WatchCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var sweep = SweepArgument.Create();
        var api = new ApiOptionSet();
        var command = new Command("watch", "Follow a sweep on a seed node until it ends.") { sweep };
        api.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            if (api.Client(parseResult) is not { } client)
            {
                await error.WriteLineAsync("error: watch needs --api URL (a sweep run here is shown by 'hyperdrive run' itself)");
                return ExitCodes.BadInput;
            }

            return await Remote.RunAsync(client, error, c => FollowAsync(c, parseResult.GetRequiredValue(sweep), output, cancellationToken));
        });
        return command;
    }

    /// <summary>Prints a progress line per event; the last one when the sweep has ended.</summary>
    public static async Task<int> FollowAsync(ApiClient client, string sweepId, TextWriter output, CancellationToken cancellationToken)
    {
        using var response = await client.SendAsync(HttpMethod.Get, $"api/sweeps/{Remote.Escape(sweepId)}/events", null, cancellationToken, stream: true);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
        var last = "";
        string? state = null;
        try
        {
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                if (!line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    continue;
                }

                using var summary = JsonDocument.Parse(line["data: ".Length..]);
                state = summary.RootElement.GetProperty("state").GetString();
                var progress = Remote.ProgressLine(summary.RootElement);
                if (progress != last)
                {
                    await output.WriteLineAsync(progress);
                    last = progress;
                }
            }
        }
        catch (OperationCanceledException)
        {
            await output.WriteLineAsync("(stopped watching; the sweep goes on)");
            return ExitCodes.Ok;
        }

        return state is "Completed" or "Canceled" ? ExitCodes.Ok : ExitCodes.Failure;
    }
}
