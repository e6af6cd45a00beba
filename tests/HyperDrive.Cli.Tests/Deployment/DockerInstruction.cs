using System.Text.Json;

namespace HyperDrive.Cli.Tests.Deployment;

/// <summary>One instruction: its stage, keyword (upper case) and the rest of the line.</summary>
internal sealed record DockerInstruction(int Stage, string Keyword, string Arguments)
{
    public string[] Words() => Arguments.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The value of a flag such as <c>--from=build</c>, or null.</summary>
    public string? Flag(string name) =>
        Words().Where(w => w.StartsWith("--" + name + "=", StringComparison.Ordinal)).Select(w => w[(name.Length + 3)..]).FirstOrDefault();

    /// <summary>The sources and the destination of a COPY or ADD (flags removed; shell or JSON form).</summary>
    public (IReadOnlyList<string> Sources, string Destination) CopyOperands()
    {
        var words = Arguments.TrimStart().StartsWith('[')
            ? JsonSerializer.Deserialize<string[]>(Arguments)!
            : Words().Where(w => !w.StartsWith("--", StringComparison.Ordinal)).ToArray();
        return (words[..^1], words[^1]);
    }
}
