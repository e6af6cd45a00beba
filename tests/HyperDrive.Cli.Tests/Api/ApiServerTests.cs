using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using HyperDrive.Actors.Hosting;
using HyperDrive.Actors.Trials;
using HyperDrive.Cli.Api;
using HyperDrive.Cli.Tests.EndToEnd;

namespace HyperDrive.Cli.Tests.Api;

/// <summary>The seed node's HTTP API on a free loopback port, with a real embedded node behind it.</summary>
[Collection(nameof(ProcessTestsCollection))]
public sealed class ApiServerTests : IAsyncLifetime
{
    private const string Token = "s3cret-token";
    private readonly TempFolder _temp = new("hyperdrive-api-");
    private HyperDriveNode? _node;
    private ApiServer? _api;
    private HttpClient? _client;

    private HttpClient Client => _client!;

    public async Task InitializeAsync()
    {
        _node = await HyperDriveNode.StartEmbeddedAsync(_temp.Combine("data"), new TrialRunnerFactory(), rememberSweeps: true);
        _api = await ApiServer.StartAsync(new ApiOptions("127.0.0.1", 0, Token), _node, CancellationToken.None);
        _client = new HttpClient { BaseAddress = new Uri(_api.Url), Timeout = TimeSpan.FromSeconds(60) };
        _client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
    }

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        if (_api is not null)
        {
            await _api.DisposeAsync();
        }

        if (_node is not null)
        {
            await _node.DisposeAsync();
        }

        _temp.Dispose();
    }

    [Fact]
    public async Task Requests_without_the_token_should_get_401()
    {
        using var anonymous = new HttpClient { BaseAddress = new Uri(_api!.Url) };
        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/api/sweeps");
        wrong.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "guess");

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/sweeps")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.SendAsync(wrong)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync("/api/sweeps")).StatusCode);
    }

    [Theory]
    [InlineData("0.0.0.0", null, "without a token")]
    [InlineData("192.168.1.10", "", "without a token")]
    [InlineData("localhost-ish", "t", "expects an IP address")]
    public void Options_should_refuse_a_non_loopback_bind_without_a_token(string bind, string? token, string expected)
    {
        Assert.Contains(expected, new ApiOptions(bind, 8089, token).Problem());
        Assert.Null(new ApiOptions("127.0.0.1", 8089, null).Problem());
        Assert.Null(new ApiOptions("0.0.0.0", 8089, "t").Problem());
    }

    [Fact]
    public async Task Submitted_sweep_should_stream_its_events_until_it_ends_and_serve_its_trials()
    {
        var spec = File.ReadAllText(Path.Combine(CliRunner.RepositoryRoot(), "examples", "fictitious.yml"));

        var created = await Client.PostAsync("/api/sweeps", new StringContent(spec, Encoding.UTF8, "application/yaml"));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        var states = new List<JsonElement>();
        using (var stream = await Client.GetStreamAsync($"/api/sweeps/{id}/events"))
        using (var reader = new StreamReader(stream))
        {
            while (await reader.ReadLineAsync() is { } line)
            {
                if (line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    states.Add(JsonDocument.Parse(line["data: ".Length..]).RootElement.Clone());
                }
            }
        }

        Assert.True(states.Count > 2);
        Assert.Equal("Completed", states[^1].GetProperty("state").GetString());
        Assert.Equal(20, states[^1].GetProperty("counts").EnumerateObject().Sum(c => c.Value.GetInt32()));

        using var trials = JsonDocument.Parse(await Client.GetStringAsync($"/api/sweeps/{id}/trials"));
        var list = trials.RootElement.GetProperty("trials").EnumerateArray().ToList();
        Assert.Equal(20, list.Count);
        var best = states[^1].GetProperty("best");
        Assert.Equal(list[0].GetProperty("number").GetInt32(), best.GetProperty("number").GetInt32());

        using var one = JsonDocument.Parse(await Client.GetStringAsync($"/api/sweeps/{id}/trials/3"));
        Assert.Equal(3, one.RootElement.GetProperty("number").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"/api/sweeps/{id}/trials/99")).StatusCode);

        using var all = JsonDocument.Parse(await Client.GetStringAsync("/api/sweeps"));
        Assert.Contains(all.RootElement.EnumerateArray(), s => s.GetProperty("id").GetString() == id && s.GetProperty("state").GetString() == "Completed");
    }

    [Fact]
    public async Task Client_commands_should_show_what_the_API_serves()
    {
        var example = Path.Combine(CliRunner.RepositoryRoot(), "examples", "fictitious.yml");
        var dead = "http://127.0.0.1:9";

        var submit = await CliRunner.RunAsync("submit", example, "--watch", "--api", dead, "--api", _api!.Url, "--token", Token);

        Assert.True(submit.ExitCode == 0, submit.Output + submit.Error);
        var id = submit.Output.Split('\n')[0].Split(' ')[^1].Trim();
        Assert.Contains($"{id} Completed: 20 ended", submit.Output);

        var runs = await CliRunner.RunAsync("runs", id, "--json", "--api", _api.Url, "--token", Token);
        Assert.Equal((await Client.GetStringAsync($"/api/sweeps/{id}/trials")).Trim(), runs.Output.Trim());
        var remoteCsv = await CliRunner.RunAsync("runs", id, "--csv", "--api", _api.Url, "--token", Token);
        var localCsv = await CliRunner.RunAsync("runs", id, "--csv", "--data-dir", _temp.Combine("data"));
        Assert.Equal(localCsv.Output, remoteCsv.Output);
        var table = await CliRunner.RunAsync("runs", id, "--api", _api.Url, "--token", Token);
        Assert.Equal(22, table.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

        var best = await CliRunner.RunAsync("best", id, "--json", "--api", _api.Url, "--token", Token);
        using var bestJson = JsonDocument.Parse(best.Output);
        using var trials = JsonDocument.Parse(runs.Output);
        Assert.Equal(trials.RootElement.GetProperty("trials")[0].GetProperty("number").GetInt32(), bestJson.RootElement.GetProperty("number").GetInt32());

        var status = await CliRunner.RunAsync("status", "--api", _api.Url, "--token", Token);
        Assert.Contains(id, status.Output);
        var cluster = await CliRunner.RunAsync("cluster", "--api", _api.Url, "--token", Token);
        Assert.Contains("api,coordinator,worker", cluster.Output);
        Assert.Contains("unbounded", cluster.Output);
        var logs = await CliRunner.RunAsync("logs", id, "1", "--api", _api.Url, "--token", Token);
        Assert.Equal(2, logs.ExitCode);
        Assert.Contains("writes none", logs.Error);
    }

    [Fact]
    public async Task Client_commands_should_exit_2_on_a_bad_token_and_1_when_no_API_answers()
    {
        var unauthorized = await CliRunner.RunAsync("status", "--api", _api!.Url, "--token", "wrong");
        var unreachable = await CliRunner.RunAsync("status", "--api", "http://127.0.0.1:9");

        Assert.Equal(2, unauthorized.ExitCode);
        Assert.Contains("401", unauthorized.Error);
        Assert.Equal(1, unreachable.ExitCode);
        Assert.Contains("no API reachable", unreachable.Error);
    }

    [Fact]
    public async Task A_bad_sweep_file_should_get_400_with_every_error()
    {
        const string Bad = """
            name: bad
            trial: { builtin: fictitious }
            search_space:
              lr: { type: uniform, min_value: 1, max_value: 0 }
            objective: { primary_metric: accuracy, goal: sideways }
            """;

        var response = await Client.PostAsync("/api/sweeps", new StringContent(Bad, Encoding.UTF8, "application/yaml"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("uniform expects min_value < max_value", body);
        Assert.Contains("objective.goal", body);
    }

    [Fact]
    public async Task Unknown_sweeps_should_get_404_and_the_cluster_should_list_this_node_with_every_role()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/api/sweeps/nope-0000")).StatusCode);

        using var cluster = JsonDocument.Parse(await Client.GetStringAsync("/api/cluster"));
        var node = Assert.Single(cluster.RootElement.GetProperty("nodes").EnumerateArray());
        Assert.Equal("Up", node.GetProperty("status").GetString());
        Assert.Equal(["api", "coordinator", "worker"], node.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
    }
}
