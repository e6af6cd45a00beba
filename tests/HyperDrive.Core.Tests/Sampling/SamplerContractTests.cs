using System.Text.Json;
using System.Text.Json.Nodes;
using HyperDrive.Core.Parameters;
using HyperDrive.Core.Sampling;

namespace HyperDrive.Core.Tests.Sampling;

/// <summary>
/// The contract every built sampler keeps (STYLE rule 8): reproducible from the seed and the history (in this
/// process and, through the golden file, in any other process or version), proposals inside the space,
/// the same next proposal after a replay, and different proposals for different seeds.
/// </summary>
public sealed class SamplerContractTests
{
    private const int Proposals = 20;
    private static readonly long[] GoldenSeeds = [7, 20251122];
    private const string RegenerateVariable = "HYPERDRIVE_REGENERATE_GOLDEN";
    private const string GoldenFile = "sampler-golden.json";

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var sampler in SamplerTestKit.Samplers.Keys.Order(StringComparer.Ordinal))
        {
            foreach (var space in SamplerTestKit.Spaces.Keys.Order(StringComparer.Ordinal))
            {
                if (SamplerTestKit.Supports(sampler, space))
                {
                    data.Add(sampler, space);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Sampler_should_propose_the_same_sequence_when_built_again_with_the_same_seed(string sampler, string space)
    {
        var first = SamplerTestKit.Run(SamplerTestKit.Build(sampler, space, 42), Proposals).Proposals;
        var second = SamplerTestKit.Run(SamplerTestKit.Build(sampler, space, 42), Proposals).Proposals;

        Assert.NotEmpty(first);
        Assert.Equal(first.Select(p => p.ToJson()), second.Select(p => p.ToJson()));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Sampler_should_match_the_golden_proposals_when_run_in_any_process(string sampler, string space)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Sampling", "Fixtures", GoldenFile);
        if (Environment.GetEnvironmentVariable(RegenerateVariable) == "1")
        {
            Regenerate();
            return;
        }

        Assert.True(File.Exists(path), $"{path} is missing: run the tests once with {RegenerateVariable}=1 and commit the file");
        var golden = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        foreach (var seed in GoldenSeeds)
        {
            var key = Key(sampler, space, seed);
            Assert.True(golden.ContainsKey(key), $"{key} is missing from {GoldenFile}: regenerate it with {RegenerateVariable}=1");
            var expected = golden[key]!.AsArray().Select(n => n!.ToJsonString()).ToList();
            var actual = SamplerTestKit.Run(SamplerTestKit.Build(sampler, space, seed), Proposals).Proposals
                .Select(p => JsonNode.Parse(p.ToJson())!.ToJsonString()).ToList();
            Assert.Equal(expected, actual);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Sampler_should_propose_only_points_of_the_space_when_sampling(string sampler, string space)
    {
        var spec = SamplerTestKit.Spec(SamplerTestKit.Samplers[sampler], SamplerTestKit.Spaces[space], 3);
        // A GP proposal refits its kernel: 60 proposals (4 initial, 56 from the model) keep the suite fast.
        var proposals = SamplerTestKit.Run(SamplerTestKit.Build(sampler, space, 3), sampler == "bayesian" ? 60 : 200).Proposals;

        Assert.NotEmpty(proposals);
        Assert.All(proposals, p => Assert.True(
            spec.SearchSpace.Contains(p, spec.Sampling.ToSamplingOptions()), $"{p} is not in {spec.SearchSpace}"));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Sampler_should_propose_the_same_next_trial_when_the_history_is_replayed(string sampler, string space)
    {
        var original = SamplerTestKit.Build(sampler, space, 11);
        var (proposals, history) = SamplerTestKit.Run(original, 5);
        var next = original.Propose(history);

        // A recovered coordinator rebuilds the history from its events (never re-sampling) into a fresh sampler.
        var replayed = Core.History.SweepHistory.Empty(SamplerTestKit.Objective);
        foreach (var proposal in proposals)
        {
            replayed = SamplerTestKit.Feed(replayed, ParameterSetFromJson(proposal.ToJson()));
        }

        var recovered = SamplerTestKit.Build(sampler, space, 11);

        Assert.Equal(next?.ToJson(), recovered.Propose(replayed)?.ToJson());
        Assert.Equal(next?.ToJson(), original.Propose(history)?.ToJson());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Sampler_should_propose_different_points_when_the_seed_differs(string sampler, string space)
    {
        var one = SamplerTestKit.Run(SamplerTestKit.Build(sampler, space, 1), 5).Proposals.Select(p => p.ToJson()).ToList();
        var two = SamplerTestKit.Run(SamplerTestKit.Build(sampler, space, 2), 5).Proposals.Select(p => p.ToJson()).ToList();

        if (SamplerTestKit.UsesSeed(sampler))
        {
            Assert.NotEqual(one, two);
        }
        else
        {
            Assert.Equal(one, two);
        }
    }

    private static string Key(string sampler, string space, long seed) => $"{sampler}/{space}/seed={seed}";

    private static void Regenerate()
    {
        var root = new JsonObject();
        foreach (var row in Cases())
        {
            var (sampler, space) = ((string)row[0], (string)row[1]);
            foreach (var seed in GoldenSeeds)
            {
                var proposals = SamplerTestKit.Run(SamplerTestKit.Build(sampler, space, seed), Proposals).Proposals;
                root[Key(sampler, space, seed)] = new JsonArray([.. proposals.Select(p => JsonNode.Parse(p.ToJson()))]);
            }
        }

        var text = root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
        File.WriteAllText(Path.Combine(SamplerTestKit.SourceDirectory(), "Fixtures", GoldenFile), text);
    }

    // Round-trips a proposal through its JSON, as an event journal would.
    private static ParameterSet ParameterSetFromJson(string json)
    {
        using var document = JsonDocument.Parse(json);
        return new ParameterSet([.. document.RootElement.EnumerateObject().Select(p => KeyValuePair.Create(p.Name, FromJson(p.Value)))]);
    }

    private static ParameterValue FromJson(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => new MapValue([.. element.EnumerateObject().Select(p => KeyValuePair.Create(p.Name, FromJson(p.Value)))]),
        JsonValueKind.String => ParameterValue.Of(element.GetString()!),
        JsonValueKind.True => ParameterValue.Of(true),
        JsonValueKind.False => ParameterValue.Of(false),
        JsonValueKind.Number when element.TryGetInt64(out var i) && !element.GetRawText().Contains('.') && !element.GetRawText().Contains('E', StringComparison.OrdinalIgnoreCase) => ParameterValue.Of(i),
        JsonValueKind.Number => ParameterValue.Of(element.GetDouble()),
        _ => NullValue.Instance,
    };
}
