using System.CommandLine;
using System.Text;
using System.Text.Json;
using HyperDrive.Cli.Output;
using HyperDrive.Core.History;
using HyperDrive.Core.Parameters;
using HyperDrive.Core.Policies;
using HyperDrive.Core.Sampling;
using HyperDrive.Core.Specs;

namespace HyperDrive.Cli.Commands;

/// <summary>
/// <c>hyperdrive plan FILE --count N [--json] [--seed S]</c>: the first N proposals the sampler would make,
/// with no trial run. Refuses samplers and policies that are known but not built yet, as <c>run</c> does.
/// </summary>
internal static class PlanCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var file = new Argument<string>("file") { Description = "The sweep file (YAML or JSON)." };
        var count = new Option<int>("--count", "-n")
        {
            Description = "How many proposals to show.",
            DefaultValueFactory = _ => 10,
        };
        var json = new Option<bool>("--json") { Description = "Print the proposals as JSON." };
        var seed = new Option<long?>("--seed") { Description = "Override the sampler's seed." };
        var command = new Command("plan", "Show the first proposals a sweep file's sampler would make, without running trials.")
        {
            file, count, json, seed,
        };
        command.SetAction(parseResult =>
        {
            var path = parseResult.GetRequiredValue(file);
            var n = parseResult.GetValue(count);
            if (n < 1)
            {
                error.WriteLine($"error: --count expects a positive integer, got {n}");
                return ExitCodes.BadInput;
            }

            var result = SpecLoading.Read(path, error);
            if (!result.Succeeded)
            {
                return ExitCodes.BadInput;
            }

            var spec = result.Spec!;
            if (parseResult.GetValue(seed) is { } overridden)
            {
                spec = spec with { Sampling = spec.Sampling with { Seed = overridden } };
            }

            if (SpecLoading.CreateSampler(spec, path, error) is not { } sampler)
            {
                return ExitCodes.BadInput;
            }

            if (sampler is PluginSampler plugin)
            {
                error.WriteLine($"{path}: plan cannot preview a sampler plug-in: its proposals come from its process (`{plugin.Plugin.Command}`) while the sweep runs");
                return ExitCodes.BadInput;
            }

            var proposals = Propose(sampler, spec.Objective, n);
            if (parseResult.GetValue(json))
            {
                output.WriteLine(ToJson(spec, sampler, proposals, n));
            }
            else
            {
                WriteTable(output, proposals);
                if (proposals.Count < n)
                {
                    output.WriteLine($"The space is exhausted after {proposals.Count} proposal(s): the sweep ends there.");
                }
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Asks the sampler for up to <paramref name="n"/> proposals, each joining the history as a pending trial.</summary>
    internal static List<ParameterSet> Propose(ISampler sampler, Objective objective, int n)
    {
        var history = SweepHistory.Empty(objective);
        var proposals = new List<ParameterSet>();
        while (proposals.Count < n && sampler.Propose(history) is { } proposal)
        {
            proposals.Add(proposal);
            history = history.Propose(proposal);
        }

        return proposals;
    }

    private static void WriteTable(TextWriter output, IReadOnlyList<ParameterSet> proposals)
    {
        var columns = proposals.SelectMany(p => p.Flatten().Select(e => e.Key)).Distinct().ToList();
        var table = new TextTable(["trial", .. columns]);
        for (var i = 0; i < proposals.Count; i++)
        {
            var leaves = proposals[i].Flatten().ToDictionary(e => e.Key, e => e.Value);
            table.AddRow([(i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
                .. columns.Select(c => leaves.TryGetValue(c, out var v) ? TextTable.FormatValue(v) : "-")]);
        }

        table.Write(output);
    }

    private static string ToJson(SweepSpec spec, ISampler sampler, IReadOnlyList<ParameterSet> proposals, int requested)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("sweep", spec.Name);
            writer.WriteString("sampler", sampler.Name);
            if (spec.Sampling.Seed is { } s)
            {
                writer.WriteNumber("seed", s);
            }
            else
            {
                writer.WriteNull("seed");
            }

            writer.WriteBoolean("exhausted", proposals.Count < requested);
            writer.WriteStartArray("proposals");
            for (var i = 0; i < proposals.Count; i++)
            {
                writer.WriteStartObject();
                writer.WriteNumber("number", i + 1);
                writer.WritePropertyName("parameters");
                proposals[i].WriteJson(writer);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
