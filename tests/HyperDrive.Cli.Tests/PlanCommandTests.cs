using System.Text.Json;

namespace HyperDrive.Cli.Tests;

public sealed class PlanCommandTests
{
    private static string Example => Path.Combine(CliRunner.RepositoryRoot(), "examples", "fictitious.yml");

    [Fact]
    public async Task Plan_should_print_the_requested_number_of_proposals_as_a_table()
    {
        var result = await CliRunner.RunAsync("plan", Example, "--count", "10");

        Assert.Equal(0, result.ExitCode);
        var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("trial", lines[0]);
        Assert.Contains("thr", lines[0]);
        Assert.Contains("epoch", lines[0]);
        Assert.Contains("lr", lines[0]);
        Assert.Equal(12, lines.Length);
        Assert.StartsWith("10 ", lines[^1]);
    }

    [Fact]
    public async Task Plan_should_print_proposals_inside_the_space_as_json()
    {
        var result = await CliRunner.RunAsync("plan", Example, "--count", "25", "--json");

        Assert.Equal(0, result.ExitCode);
        using var document = JsonDocument.Parse(result.Output);
        var proposals = document.RootElement.GetProperty("proposals").EnumerateArray().ToList();
        Assert.Equal(25, proposals.Count);
        Assert.Equal("fictitious", document.RootElement.GetProperty("sweep").GetString());
        for (var i = 0; i < proposals.Count; i++)
        {
            Assert.Equal(i + 1, proposals[i].GetProperty("number").GetInt32());
            var parameters = proposals[i].GetProperty("parameters");
            var thr = parameters.GetProperty("thr").GetDouble();
            var lr = parameters.GetProperty("lr").GetDouble();
            Assert.InRange(thr, 0.0, 1.0);
            Assert.InRange(lr, Math.Exp(-9.2), Math.Exp(-0.2));
            Assert.Contains(parameters.GetProperty("epoch").GetInt32(), new[] { 10, 20, 40, 80 });
        }

        Assert.True(proposals.Select(p => p.GetProperty("parameters").GetProperty("thr").GetDouble()).Distinct().Count() > 20);
    }

    [Fact]
    public async Task Plan_should_give_the_same_proposals_for_the_same_seed_and_others_for_another_seed()
    {
        var first = await CliRunner.RunAsync("plan", Example, "--count", "5", "--json");
        var again = await CliRunner.RunAsync("plan", Example, "--count", "5", "--json");
        var other = await CliRunner.RunAsync("plan", Example, "--count", "5", "--json", "--seed", "43");

        Assert.Equal(first.Output, again.Output);
        Assert.NotEqual(first.Output, other.Output);
    }

    [Fact]
    public async Task Plan_should_stop_and_say_so_when_a_grid_is_exhausted()
    {
        var result = await CliRunner.RunAsync("plan", CliRunner.Spec("grid-small.yml"), "--count", "10");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("exhausted after 6 proposal(s)", result.Output);
        var json = await CliRunner.RunAsync("plan", CliRunner.Spec("grid-small.yml"), "--count", "10", "--json");
        using var document = JsonDocument.Parse(json.Output);
        var combinations = document.RootElement.GetProperty("proposals").EnumerateArray()
            .Select(p => p.GetProperty("parameters").ToString()).ToList();
        Assert.Equal(6, combinations.Distinct().Count());
        Assert.True(document.RootElement.GetProperty("exhausted").GetBoolean());
    }

    [Fact]
    public async Task Plan_should_cover_all_ten_expressions()
    {
        var result = await CliRunner.RunAsync("plan", CliRunner.Spec("all-expressions.yml"), "--count", "3", "--json");

        Assert.Equal(0, result.ExitCode);
        using var document = JsonDocument.Parse(result.Output);
        var parameters = document.RootElement.GetProperty("proposals")[0].GetProperty("parameters");
        Assert.Equal(["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"], parameters.EnumerateObject().Select(p => p.Name));
        Assert.Equal(0, parameters.GetProperty("d").GetInt64() % 16);
    }

    [Fact]
    public async Task Plan_should_say_it_cannot_preview_a_sampler_plugin()
    {
        var result = await CliRunner.RunAsync("plan", CliRunner.Spec("plugin.yml"), "--count", "3");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("plan cannot preview a sampler plug-in", result.Error);
        Assert.Contains("python3 random_search.py", result.Error);
        Assert.Equal("", result.Output);
    }

    [Fact]
    public async Task Plan_should_exit_2_when_count_is_not_positive()
    {
        var result = await CliRunner.RunAsync("plan", Example, "--count", "0");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--count", result.Error);
    }

    [Fact]
    public async Task Plan_should_exit_2_with_the_errors_when_the_file_is_invalid()
    {
        var result = await CliRunner.RunAsync("plan", CliRunner.Spec("invalid.yml"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("uniform expects min_value < max_value", result.Error);
    }
}
