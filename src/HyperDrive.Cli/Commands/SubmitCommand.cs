using System.CommandLine;
using System.Text.Json;
using HyperDrive.Cli.Api;
using HyperDrive.Cli.Engine;

namespace HyperDrive.Cli.Commands;

/// <summary><c>hyperdrive submit FILE --api URL [--watch]</c>: sends a sweep file to a seed node.</summary>
internal static class SubmitCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var file = new Argument<string>("file") { Description = "The sweep file (YAML or JSON)." };
        var watch = new Option<bool>("--watch") { Description = "Follow the sweep until it ends." };
        var api = new ApiOptionSet();
        var command = new Command("submit", "Submit a sweep to a seed node's API.") { file, watch };
        api.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var path = parseResult.GetRequiredValue(file);
            if (api.Client(parseResult) is not { } client)
            {
                await error.WriteLineAsync("error: submit needs --api URL (or use 'hyperdrive run FILE' to run here)");
                return ExitCodes.BadInput;
            }

            if (!File.Exists(path))
            {
                await error.WriteLineAsync($"error: file not found: {path}");
                client.Dispose();
                return ExitCodes.BadInput;
            }

            var text = await File.ReadAllTextAsync(path, cancellationToken);
            var (archive, problem) = await CodeArchive.CreateAsync(path, cancellationToken);
            if (problem is not null)
            {
                await error.WriteLineAsync("error: " + problem);
                client.Dispose();
                return ExitCodes.BadInput;
            }

            await using var code = archive;
            if (code is not null)
            {
                await output.WriteLineAsync(FormattableString.Invariant($"Uploading the code snapshot ({code.Length / 1024.0:0.#} KiB)"));
            }

            return await Remote.RunAsync(client, error, async c =>
            {
                using var response = await c.SendContentAsync(HttpMethod.Post, "api/sweeps", () => CodeArchive.Body(text, code), cancellationToken);
                using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
                var id = json.RootElement.GetProperty("id").GetString()!;
                foreach (var warning in json.RootElement.GetProperty("warnings").EnumerateArray())
                {
                    await error.WriteLineAsync($"{path}:{warning.GetString()}");
                }

                await output.WriteLineAsync($"Submitted sweep {id}");
                return parseResult.GetValue(watch) ? await WatchCommand.FollowAsync(c, id, output, cancellationToken) : ExitCodes.Ok;
            });
        });
        return command;
    }
}
