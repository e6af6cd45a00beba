using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using HyperDrive.Training.Processes;

namespace HyperDrive.Benchmarks;

/// <summary>
/// A real cluster on 127.0.0.1: one seed process and N worker processes, each with its own data folder, sharing one
/// SQLite journal (or a PostgreSQL database). Talks to the seed's HTTP API; disposing stops every node and reaps
/// the trial processes a killed worker left behind.
/// </summary>
internal sealed class LocalCluster : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };
    private readonly string _dll;

    private LocalCluster(string dll, string folder, NodeProcess seed, IReadOnlyList<NodeProcess> workers, string api)
    {
        _dll = dll;
        Folder = folder;
        Seed = seed;
        Workers = workers;
        Api = api;
    }

    public string Folder { get; }

    public NodeProcess Seed { get; }

    public IReadOnlyList<NodeProcess> Workers { get; }

    public string Api { get; }

    /// <summary>Failed API polls (a 500 when the coordinator does not answer the API in time).</summary>
    public List<string> ApiErrors { get; } = [];

    public static async Task<LocalCluster> StartAsync(string dll, string folder, int workers, int cpuSlots, string? postgres, IReadOnlyList<string> config)
    {
        Directory.CreateDirectory(folder);
        var clusterPort = FreePort();
        var apiPort = FreePort();
        var seedAddress = $"akka.tcp://hyperdrive@127.0.0.1:{clusterPort}";
        var journal = postgres is not null ? new[] { "--postgres", postgres } : ["--sqlite", Path.Combine(folder, "journal.db")];
        var common = config.SelectMany(c => new[] { "--config", c }).Concat(journal).ToList();
        var seed = NodeProcess.Start("seed", dll, folder, Path.Combine(folder, "seed-data"), clusterPort,
            ["seed", "--data-dir", Path.Combine(folder, "seed-data"), "--cluster-port", Invariant(clusterPort), "--port", Invariant(apiPort), .. common]);
        var started = new List<NodeProcess>();
        try
        {
            if (!await seed.WaitForOutputAsync("HyperDrive seed node:", StartTimeout))
            {
                throw new InvalidOperationException("the seed did not start:\n" + seed.Output);
            }

            for (var i = 1; i <= workers; i++)
            {
                var port = FreePort();
                var data = Path.Combine(folder, $"w{i}-data");
                started.Add(NodeProcess.Start($"w{i}", dll, folder, data, port,
                    ["worker", "--seed-node", seedAddress, "--cluster-port", Invariant(port), "--cpu-slots", Invariant(cpuSlots), "--data-dir", data, .. common]));
            }

            foreach (var worker in started)
            {
                if (!await worker.WaitForOutputAsync("HyperDrive worker node:", StartTimeout))
                {
                    throw new InvalidOperationException($"worker {worker.Name} did not start:\n" + worker.Output);
                }
            }
        }
        catch
        {
            seed.Dispose();
            started.ForEach(w => w.Dispose());
            throw;
        }

        var cluster = new LocalCluster(dll, folder, seed, started, $"http://127.0.0.1:{apiPort}");
        await cluster.WaitForWorkersAsync();
        return cluster;
    }

    /// <summary>Submits with the real CLI (it uploads the code snapshot); returns the sweep id.</summary>
    public async Task<string> SubmitAsync(string sweepFile)
    {
        using var submit = NodeProcess.Start("submit", _dll, Folder, Folder, 0, ["submit", sweepFile, "--api", Api]);
        if (!await submit.WaitForExitAsync(TimeSpan.FromSeconds(120)) || !submit.Output.Contains("Submitted sweep ", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("submit failed:\n" + submit.Output);
        }

        return submit.Output.Split("Submitted sweep ")[1].Split('\n')[0].Trim();
    }

    public async Task<JsonDocument> GetAsync(string path)
    {
        var body = await _http.GetStringAsync(Api + path);
        return JsonDocument.Parse(body);
    }

    /// <summary>Polls the sweep's summary (cheap: no histories) until it has ended with no trial running.</summary>
    public async Task<string> WaitForEndAsync(string id, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            JsonDocument sweep;
            try
            {
                sweep = await GetAsync($"/api/sweeps/{id}");
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // A busy coordinator can miss the API's ask timeout: count it (a finding) and ask again.
                ApiErrors.Add($"{DateTimeOffset.UtcNow:HH:mm:ss.fff} GET /api/sweeps/{id}: {e.Message}");
                await Task.Delay(500);
                continue;
            }

            using var _ = sweep;
            var state = sweep.RootElement.GetProperty("state").GetString()!;
            var counts = sweep.RootElement.GetProperty("counts");
            if (state != "Running" && counts.GetProperty("running").GetInt32() == 0 && counts.GetProperty("queued").GetInt32() == 0)
            {
                return state;
            }

            await Task.Delay(500);
        }

        throw new TimeoutException($"sweep {id} did not end within {timeout}");
    }

    public async Task<IReadOnlyList<TrialResult>> TrialsAsync(string id)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await TrialsOnceAsync(id);
            }
            catch (HttpRequestException e) when (attempt < 10)
            {
                ApiErrors.Add($"{DateTimeOffset.UtcNow:HH:mm:ss.fff} GET /api/sweeps/{id}/trials: {e.Message}");
                await Task.Delay(1000);
            }
        }
    }

    private async Task<IReadOnlyList<TrialResult>> TrialsOnceAsync(string id)
    {
        using var trials = await GetAsync($"/api/sweeps/{id}/trials");
        return [.. trials.RootElement.GetProperty("trials").EnumerateArray().Select(TrialResult.Read)];
    }

    public async Task CancelAsync(string id)
    {
        using var response = await _http.PostAsync(Api + $"/api/sweeps/{id}/cancel", null);
    }

    /// <summary>The first line of the seed's log (any of its log files) containing every one of <paramref name="parts"/>, with its timestamp.</summary>
    public DateTimeOffset? SeedLogLine(params string[] parts)
    {
        var logs = Path.Combine(Seed.DataDirectory, "logs");
        if (!Directory.Exists(logs))
        {
            return null;
        }

        foreach (var file in Directory.GetFiles(logs, "*.log"))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            while (reader.ReadLine() is { } line)
            {
                if (parts.All(p => line.Contains(p, StringComparison.Ordinal))
                    && DateTimeOffset.TryParse(line.Split(' ')[0], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
                {
                    return at;
                }
            }
        }

        return null;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var worker in Workers)
        {
            await worker.StopAsync(TimeSpan.FromSeconds(15));
        }

        await Seed.StopAsync(TimeSpan.FromSeconds(15));
        foreach (var node in Workers.Append(Seed))
        {
            node.Dispose();
        }

        // A SIGKILLed worker's trial processes outlive it: end their process groups.
        foreach (var record in Directory.GetFiles(Folder, ProcessRecord.FileName, SearchOption.AllDirectories))
        {
            await ProcessGroupReaper.ReapAsync(record, TimeSpan.FromSeconds(2));
        }

        _http.Dispose();
    }

    private async Task WaitForWorkersAsync()
    {
        // The seed knows a worker once its capacity announcement has gossiped; give it a moment to see all of them.
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < StartTimeout)
        {
            using var cluster = await GetAsync("/api/cluster");
            var up = cluster.RootElement.GetProperty("nodes").EnumerateArray()
                .Count(n => n.GetProperty("status").GetString() == "Up" && n.GetProperty("roles").EnumerateArray().Any(r => r.GetString() == "worker"));
            if (up == Workers.Count)
            {
                await Task.Delay(1500);
                return;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException("the workers did not all come up");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
