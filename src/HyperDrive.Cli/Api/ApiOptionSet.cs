using System.CommandLine;

namespace HyperDrive.Cli.Api;

/// <summary>The <c>--api URL</c> (repeatable) and <c>--token</c> options of the client commands.</summary>
internal sealed class ApiOptionSet
{
    public Option<string[]> Api { get; } = new("--api")
    {
        Description = "The API of a seed node (repeat for several: the next is tried when one is down); default: this folder's embedded data.",
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<string?> Token { get; } = new("--token") { Description = "Bearer token for the API (default $HYPERDRIVE_API_TOKEN)." };

    public void AddTo(Command command)
    {
        command.Options.Add(Api);
        command.Options.Add(Token);
    }

    /// <summary>A client when --api was given, else null (the command works on the local data folder).</summary>
    public ApiClient? Client(ParseResult parseResult)
    {
        var urls = parseResult.GetValue(Api) ?? [];
        return urls.Length == 0
            ? null
            : new ApiClient(urls, parseResult.GetValue(Token) ?? Environment.GetEnvironmentVariable("HYPERDRIVE_API_TOKEN"));
    }
}
