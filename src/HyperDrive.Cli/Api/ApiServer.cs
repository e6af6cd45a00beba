using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Akka.Actor;
using Akka.Cluster;
using HyperDrive.Actors.Artifacts;
using HyperDrive.Actors.Hosting;
using HyperDrive.Actors.Sweeps;
using HyperDrive.Cli.Engine;
using HyperDrive.Core.Specs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HyperDrive.Cli.Api;

/// <summary>
/// The native HTTP API of a node with role <c>api</c> (DESIGN §8): submit, list, inspect, watch (server-sent
/// events) and cancel sweeps, and see the cluster. JSON everywhere; the trial shape is the one of
/// <c>runs --json</c>, so the console and scripts see exactly what the API serves.
/// </summary>
internal sealed class ApiServer : IAsyncDisposable
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(30);
    private readonly WebApplication _app;
    private readonly Dictionary<string, SweepLock> _locks = [];

    private ApiServer(WebApplication app)
    {
        _app = app;
    }

    /// <summary>The address the API listens on (with the real port when 0 was asked for).</summary>
    public string Url => _app.Urls.First();

    public static async Task<ApiServer> StartAsync(ApiOptions options, HyperDriveNode node, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();

        // Code snapshots come in the submit request: allow what the artifact store allows one file.
        var largest = ArtifactLimits.FromConfig(node.System.Settings.Config).MaxBytesPerFile;
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = largest);
        builder.Services.Configure<Microsoft.AspNetCore.Http.Features.FormOptions>(form => form.MultipartBodyLengthLimit = largest);
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://{(options.Bind.Contains(':', StringComparison.Ordinal) ? "[" + options.Bind + "]" : options.Bind)}:{options.Port}");
        var app = builder.Build();
        var server = new ApiServer(app);

        // A coordinator that does not answer in time (a mailbox full of metric messages, a node moving) is a 503 that
        // says so and can be retried, not an opaque 500.
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
            }
            catch (AskTimeoutException) when (!context.Response.HasStarted)
            {
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                context.Response.Headers.RetryAfter = "5";
                await context.Response.WriteAsJsonAsync(new
                {
                    error = $"the sweep's coordinator did not answer within {AskTimeout.TotalSeconds:0} s (busy with metric messages, or moving to another node); try again",
                });
            }
        });
        var catalog = new SweepIndex(node.Artifacts, new SweepCatalog(node.DataDirectory));
        if (!string.IsNullOrEmpty(options.Token))
        {
            var expected = Encoding.UTF8.GetBytes("Bearer " + options.Token);
            app.Use(async (context, next) =>
            {
                var given = Encoding.UTF8.GetBytes(context.Request.Headers.Authorization.ToString());
                if (!CryptographicOperations.FixedTimeEquals(given, expected))
                {
                    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    context.Response.Headers.WWWAuthenticate = "Bearer";
                    await context.Response.WriteAsJsonAsync(new { error = "a valid bearer token is required" });
                    return;
                }

                await next(context);
            });
        }

        app.MapPost("/api/sweeps", (HttpRequest request) => server.SubmitAsync(request, node, catalog));
        app.MapGet("/api/sweeps", () => server.ListAsync(node, catalog));
        app.MapGet("/api/sweeps/{id}", (string id) => WithSweep(node, catalog, id, state => Results.Text(Summary(state), "application/json")));
        app.MapGet("/api/sweeps/{id}/trials", (string id) => WithSweep(node, catalog, id,
            state => Results.Text(SweepJson.Sweep(state, SweepQueries.SortedByPrimary(state)), "application/json")));
        app.MapGet("/api/sweeps/{id}/trials/{number:int}", (string id, int number) => WithSweep(node, catalog, id, state =>
            state.HasTrial(number)
                ? Results.Text(SweepJson.Trial(state.Trial(number)), "application/json")
                : Results.NotFound(new { error = $"sweep {state.SweepId} has no trial {number} (it has {state.Trials.Count})" })));
        app.MapGet("/api/sweeps/{id}/trials/{number:int}/log", (string id, int number) =>
            WithSweepAsync(node, catalog, id, state => TrialLogAsync(node, state, number)));
        app.MapGet("/api/sweeps/{id}/outputs", (string id, int? trial, HttpContext context) => WithSweepAsync(node, catalog, id, async state =>
        {
            if (Commands.OutputsCommand.Pick(state, trial, out var missing) is not { } picked)
            {
                return Results.NotFound(new { error = missing });
            }

            var zip = new MemoryStream();
            await TrialOutputs.WriteZipAsync(node.Artifacts, node.DataDirectory, state.SweepId, picked, zip, context.RequestAborted);
            zip.Position = 0;
            context.Response.Headers["X-HyperDrive-Trial"] = picked.Number.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Results.File(zip, "application/zip", $"{state.SweepId}-trial-{picked.Number}-outputs.zip");
        }));
        app.MapGet("/api/sweeps/{id}/events", (string id, HttpContext context) => server.StreamAsync(node, catalog, id, context));
        app.MapPost("/api/sweeps/{id}/cancel", async (string id) =>
        {
            var (resolved, problem) = await catalog.ResolveAsync(id, CancellationToken.None);
            if (resolved is null)
            {
                return Results.NotFound(new { error = problem });
            }

            var reply = await node.Sweeps.Ask<SweepStateReply>(new CancelSweep(resolved, "canceled through the API"), AskTimeout);
            return Results.Text(Summary(reply.State), "application/json");
        });
        app.MapGet("/api/cluster", async () => Results.Json(await ClusterView(node)));
        await app.StartAsync(cancellationToken);
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        foreach (var held in _locks.Values)
        {
            held.Dispose();
        }
    }

    /// <summary>
    /// Submits a sweep: the body is the sweep file (YAML or JSON), or a multipart form with the file as <c>spec</c> and
    /// its code folder as a zip in <c>code</c> (what <c>hyperdrive submit</c> sends). The code goes to the artifact
    /// store, from which every worker unpacks it, so no node needs the client's files.
    /// </summary>
    private async Task<IResult> SubmitAsync(HttpRequest request, HyperDriveNode node, SweepIndex catalog)
    {
        string text;
        IFormFile? code = null;
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync();
            code = form.Files.GetFile("code");
            if (form.Files.GetFile("spec") is { } specFile)
            {
                using var specReader = new StreamReader(specFile.OpenReadStream(), Encoding.UTF8);
                text = await specReader.ReadToEndAsync();
            }
            else if (form.TryGetValue("spec", out var specField) && specField.Count == 1)
            {
                text = specField[0]!;
            }
            else
            {
                return Results.BadRequest(new { errors = new[] { "the form has no 'spec' field (the sweep file)" } });
            }
        }
        else
        {
            using var reader = new StreamReader(request.Body, Encoding.UTF8);
            text = await reader.ReadToEndAsync();
        }

        var specDirectory = code is null ? node.DataDirectory : TrialFiles.SubmittedSpecDirectory;
        var read = SweepSpecReader.ReadText(text, code is null ? node.DataDirectory : Path.GetTempPath(), "request");
        if (!read.Succeeded)
        {
            return Results.BadRequest(new { errors = read.Errors.Select(e => e.ToString()), warnings = read.Warnings.Select(w => w.ToString()) });
        }

        var spec = read.Spec!;
        var id = await catalog.NewIdAsync(spec.Name ?? "sweep", CancellationToken.None);
        var seed = spec.Sampling.Seed ?? SweepCatalog.DefaultSeed(id);
        using var refusals = new StringWriter();
        if (Commands.SpecLoading.CreateSampler(spec with { Sampling = spec.Sampling with { Seed = seed } }, "request", refusals) is null)
        {
            return Results.BadRequest(new { errors = refusals.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries) });
        }

        if (code is not null)
        {
            try
            {
                await using var archive = code.OpenReadStream();
                await node.Artifacts.PutAsync(ArtifactKeys.CodeArchive(id), archive, CancellationToken.None);
            }
            catch (ArtifactLimitExceededException limit)
            {
                return Results.BadRequest(new { errors = new[] { "the code snapshot is too large: " + limit.Message } });
            }
        }

        var folder = catalog.Files.SweepFolder(id);
        await catalog.RegisterAsync(new SweepEntry(id, spec.Name ?? id, null, DateTimeOffset.UtcNow), CancellationToken.None);
        lock (_locks)
        {
            if (SweepLock.TryAcquire(folder, out _) is { } held)
            {
                _locks[id] = held;
            }
        }

        var reply = await node.Sweeps.Ask<object>(new SubmitSweep(id, text, specDirectory, null, seed), AskTimeout);
        return reply is SweepRejected rejected
            ? Results.BadRequest(new { errors = rejected.Errors })
            : Results.Created($"/api/sweeps/{id}", new { id, warnings = read.Warnings.Where(w => code is null || !w.Message.Contains("does not exist", StringComparison.Ordinal)).Select(w => w.ToString()) });
    }

    private async Task<IResult> ListAsync(HyperDriveNode node, SweepIndex catalog)
    {
        var list = new List<object>();
        foreach (var entry in await catalog.ListAsync(CancellationToken.None))
        {
            var state = (await node.Sweeps.Ask<SweepStateReply>(new GetSweepState(entry.Id), AskTimeout)).State;
            list.Add(new
            {
                id = entry.Id,
                name = entry.Name,
                state = state.Status == SweepStatus.None ? "NotStarted" : SweepJson.StateName(state),
                trials = state.Trials.Count,
                ended = state.FinishedCount,
                created = entry.Created,
            });
        }

        return Results.Json(list);
    }

    /// <summary>Server-sent events: an <c>state</c> event with the sweep's summary after every change, until it ends.</summary>
    private async Task StreamAsync(HyperDriveNode node, SweepIndex catalog, string id, HttpContext context)
    {
        var (resolved, problem) = await catalog.ResolveAsync(id, CancellationToken.None);
        if (resolved is null)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            await context.Response.WriteAsJsonAsync(new { error = problem });
            return;
        }

        context.Response.Headers.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        var channel = Channel.CreateUnbounded<SweepChanged>(new UnboundedChannelOptions { SingleReader = true });
        var subscriber = node.System.ActorOf(ChannelSubscriber.Props(channel.Writer));
        try
        {
            node.Sweeps.Tell(new SubscribeToSweep(resolved, subscriber));
            await foreach (var changed in channel.Reader.ReadAllAsync(context.RequestAborted))
            {
                var data = Summary(changed.State).ReplaceLineEndings(" ");
                await context.Response.WriteAsync($"event: state\ndata: {data}\n\n", context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
                if (changed.State.IsEnded && changed.State.ActiveCount == 0)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The client went away.
        }
        finally
        {
            node.System.Stop(subscriber);
        }
    }

    private static Task<IResult> WithSweep(HyperDriveNode node, SweepIndex catalog, string id, Func<SweepState, IResult> answer) =>
        WithSweepAsync(node, catalog, id, state => Task.FromResult(answer(state)));

    private static async Task<IResult> WithSweepAsync(HyperDriveNode node, SweepIndex catalog, string id, Func<SweepState, Task<IResult>> answer)
    {
        var (resolved, problem) = await catalog.ResolveAsync(id, CancellationToken.None);
        if (resolved is null)
        {
            return Results.NotFound(new { error = problem });
        }

        var state = (await node.Sweeps.Ask<SweepStateReply>(new GetSweepState(resolved), AskTimeout)).State;
        return state.Status == SweepStatus.None
            ? Results.NotFound(new { error = $"sweep {resolved} has no journal" })
            : await answer(state);
    }

    /// <summary>A trial's log: from this node's folder when the trial ran here, else from the artifact store its worker uploaded it to.</summary>
    private static async Task<IResult> TrialLogAsync(HyperDriveNode node, SweepState state, int number)
    {
        if (!state.HasTrial(number))
        {
            return Results.NotFound(new { error = $"sweep {state.SweepId} has no trial {number} (it has {state.Trials.Count})" });
        }

        var attempt = state.Trial(number).Attempt;
        var log = Actors.Trials.TrialFolders.Log(node.DataDirectory, state.SweepId, number, attempt);
        if (File.Exists(log))
        {
            return Results.Text(ReadShared(log), "text/plain");
        }

        if (attempt > 0 && await node.Artifacts.OpenReadAsync(ArtifactKeys.TrialLog(state.SweepId, number, attempt), CancellationToken.None) is { } stored)
        {
            await using (stored)
            {
                using var reader = new StreamReader(stored, Encoding.UTF8);
                return Results.Text(await reader.ReadToEndAsync(), "text/plain");
            }
        }

        return Results.NotFound(new { error = $"trial {number} has no log" + (state.Spec?.Trial.Builtin is { } b ? $" (the built-in trainer '{b}' writes none)" : "") });
    }

    /// <summary>State, counts and best trial of a sweep (GET /api/sweeps/{id} and the event stream).</summary>
    private static string Summary(SweepState state)
    {
        var best = SweepQueries.Best(state);
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteString("sweep", state.SweepId);
            writer.WriteString("state", SweepJson.StateName(state));
            writer.WriteString("primary_metric", state.History.Objective.PrimaryMetric);
            writer.WriteStartObject("counts");
            foreach (var status in Enum.GetValues<Core.History.TrialStatus>())
            {
                writer.WriteNumber(status.ToString().ToLowerInvariant(), state.Trials.Count(t => t.Status == status));
            }

            writer.WriteEndObject();
            if (state.EndReason is null)
            {
                writer.WriteNull("end_reason");
            }
            else
            {
                writer.WriteString("end_reason", state.EndReason);
            }

            writer.WritePropertyName("best");
            if (best is null)
            {
                writer.WriteNullValue();
            }
            else
            {
                SweepJson.WriteTrial(writer, best);
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>
    /// Every member with its roles and status; for workers, their capacity and what is free (as the node directory
    /// sees the leases they announced). CPU slots above a million are shown as unbounded (the embedded node).
    /// </summary>
    private static async Task<object> ClusterView(HyperDriveNode node)
    {
        var cluster = Cluster.Get(node.System);
        var nodes = node.Directory is null
            ? Actors.Nodes.ClusterNodes.None
            : await node.Directory.Ask<Actors.Nodes.ClusterNodes>(Actors.Nodes.GetClusterNodes.Instance, AskTimeout);
        var ledger = nodes.Leases.Aggregate(Core.Placement.SlotLedger.Empty, (l, lease) => l.TryAllocate(lease, out var next) ? next : l);
        var unreachable = cluster.State.Unreachable.Select(m => m.Address).ToHashSet();
        return new
        {
            self = cluster.SelfAddress.ToString(),
            nodes = cluster.State.Members.Select(m =>
            {
                var id = NodeIds.Of(m.Address);
                var capacity = nodes.Live.FirstOrDefault(n => n.NodeId == id);
                var free = capacity is null ? null : ledger.Free(capacity);
                return new
                {
                    address = m.Address.ToString(),
                    node_id = id,
                    status = unreachable.Contains(m.Address) ? "Unreachable" : m.Status.ToString(),
                    roles = m.Roles.Order(),
                    slots = capacity is null ? (int?)null : capacity.CpuSlots,
                    free_slots = free?.CpuSlots,
                    running_trials = capacity is null ? (int?)null : ledger.LeasesOn(id).Length,
                    gpus = capacity is null ? [] : capacity.Gpus.Select(g => new
                    {
                        index = g.Index,
                        name = g.Name,
                        memory_bytes = g.MemoryBytes,
                        free = Core.Placement.GpuUnits.Format(free!.Gpus.Single(f => f.Device.Index == g.Index).Units),
                    }).ToArray(),
                };
            }),
            gpu_warning = node.GpuWarning,
        };
    }
}
