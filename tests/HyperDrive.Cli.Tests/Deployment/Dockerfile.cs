using System.Text.Json;

namespace HyperDrive.Cli.Tests.Deployment;

/// <summary>
/// The instructions of a Dockerfile: continuation lines joined, comments dropped, each instruction tagged with its
/// stage (0 for the first FROM). Enough of the format for the checks of this folder, not a full parser.
/// </summary>
internal sealed class Dockerfile
{
    private Dockerfile(IReadOnlyList<DockerInstruction> instructions, IReadOnlyDictionary<string, string> globalArgs)
    {
        Instructions = instructions;
        GlobalArgs = globalArgs;
        StageCount = instructions.Count(i => i.Keyword == "FROM");
    }

    public IReadOnlyList<DockerInstruction> Instructions { get; }

    /// <summary>ARG defaults declared before the first FROM (the ones FROM lines may use).</summary>
    public IReadOnlyDictionary<string, string> GlobalArgs { get; }

    public int StageCount { get; }

    public int FinalStage => StageCount - 1;

    public static Dockerfile Load(string path) => Parse(File.ReadAllText(path));

    public static Dockerfile Parse(string text)
    {
        var instructions = new List<DockerInstruction>();
        var globalArgs = new Dictionary<string, string>(StringComparer.Ordinal);
        var stage = -1;
        var pending = "";
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.TrimStart().StartsWith('#') || (pending.Length == 0 && line.Trim().Length == 0))
            {
                continue;
            }

            if (line.EndsWith('\\'))
            {
                pending += line[..^1] + " ";
                continue;
            }

            var whole = (pending + line).Trim();
            pending = "";
            var space = whole.IndexOfAny([' ', '\t']);
            var keyword = (space < 0 ? whole : whole[..space]).ToUpperInvariant();
            var arguments = space < 0 ? "" : whole[(space + 1)..].Trim();
            if (keyword == "FROM")
            {
                stage++;
            }

            if (keyword == "ARG" && stage < 0)
            {
                var equals = arguments.IndexOf('=', StringComparison.Ordinal);
                globalArgs[equals < 0 ? arguments : arguments[..equals]] = equals < 0 ? "" : arguments[(equals + 1)..];
            }

            instructions.Add(new DockerInstruction(Math.Max(stage, 0), keyword, arguments));
        }

        return new Dockerfile(instructions, globalArgs);
    }

    public IEnumerable<DockerInstruction> InStage(int stage, string keyword) =>
        Instructions.Where(i => i.Stage == stage && i.Keyword == keyword);

    /// <summary>The base image of a stage, with global ARG defaults filled in.</summary>
    public string BaseImage(int stage)
    {
        var words = InStage(stage, "FROM").Single().Words();
        var image = words.First(w => !w.StartsWith("--", StringComparison.Ordinal));
        foreach (var (name, value) in GlobalArgs)
        {
            image = image.Replace("${" + name + "}", value, StringComparison.Ordinal).Replace("$" + name, value, StringComparison.Ordinal);
        }

        return image;
    }

    /// <summary>The stage named <paramref name="alias"/> (FROM … AS alias), or -1.</summary>
    public int StageNamed(string alias)
    {
        for (var stage = 0; stage < StageCount; stage++)
        {
            var words = InStage(stage, "FROM").Single().Words();
            var asIndex = Array.FindIndex(words, w => w.Equals("AS", StringComparison.OrdinalIgnoreCase));
            if (asIndex >= 0 && asIndex + 1 < words.Length && words[asIndex + 1] == alias)
            {
                return stage;
            }
        }

        return -1;
    }

    /// <summary>The last ENTRYPOINT or CMD of the final stage in exec (JSON) form; null when absent or in shell form.</summary>
    public IReadOnlyList<string>? ExecForm(string keyword)
    {
        var instruction = InStage(FinalStage, keyword).LastOrDefault();
        if (instruction is null || !instruction.Arguments.StartsWith('['))
        {
            return null;
        }

        return JsonSerializer.Deserialize<string[]>(instruction.Arguments);
    }
}
