using System.CommandLine;

namespace HyperDrive.Cli.Engine;

/// <summary>The data folder (journal, trial folders): <c>--data-dir</c>, else HYPERDRIVE_DATA_DIR, else <c>./.hyperdrive</c>.</summary>
internal static class DataDirectory
{
    public static Option<string?> Option() => new("--data-dir")
    {
        Description = "The data folder (journal and trial folders); default ./.hyperdrive or $HYPERDRIVE_DATA_DIR.",
    };

    public static string Resolve(ParseResult parseResult, Option<string?> option) =>
        Path.GetFullPath(parseResult.GetValue(option)
            ?? Environment.GetEnvironmentVariable("HYPERDRIVE_DATA_DIR")
            ?? Path.Combine(Environment.CurrentDirectory, ".hyperdrive"));
}
