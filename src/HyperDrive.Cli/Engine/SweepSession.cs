using System.Threading.Channels;
using Akka.Actor;
using Akka.Event;
using HyperDrive.Actors.Hosting;
using HyperDrive.Actors.Models;
using HyperDrive.Actors.Sweeps;
using HyperDrive.Actors.Trials;
using HyperDrive.Cli.Views;
using HyperDrive.Core.History;

namespace HyperDrive.Cli.Engine;

/// <summary>
/// Runs a sweep in this process (embedded mode) and shows it until it ends or the user interrupts:
/// an interrupt stops the running trials cleanly and leaves the sweep resumable.
/// </summary>
internal sealed class SweepSession
{
    private readonly string _dataDirectory;
    private readonly TextWriter _output;
    private readonly TextWriter _error;

    public SweepSession(string dataDirectory, TextWriter output, TextWriter error)
    {
        _dataDirectory = dataDirectory;
        _output = output;
        _error = error;
        Catalog = new SweepCatalog(dataDirectory);
    }

    public SweepCatalog Catalog { get; }

    /// <summary>Starts the node, runs <paramref name="start"/> (submit or resume) and watches the sweep.</summary>
    public async Task<int> RunAsync(string sweepId, Func<HyperDriveNode, Task<SweepState?>> start, CancellationToken cancellationToken)
    {
        using var sweepLock = SweepLock.TryAcquire(Catalog.SweepFolder(sweepId), out var owner);
        if (sweepLock is null)
        {
            await _error.WriteLineAsync($"error: sweep {sweepId} is running in another process (pid {owner?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"}); use 'hyperdrive cancel {sweepId}' or wait for it");
            return ExitCodes.BadInput;
        }

        await using var node = await HyperDriveNode.StartEmbeddedAsync(_dataDirectory, new TrialRunnerFactory(), cancellationToken: cancellationToken);
        var started = await start(node);
        if (started is null)
        {
            return ExitCodes.BadInput;
        }

        var final = await WatchAsync(node, started, cancellationToken);
        if (cancellationToken.IsCancellationRequested && !(final.IsEnded && final.ActiveCount == 0))
        {
            await _output.WriteLineAsync($"Interrupted: stopping {final.ActiveCount} running trial(s). Resume with: hyperdrive resume {sweepId}");
            return ExitCodes.Failure;
        }

        var exitCode = Summarize(final);
        await RegisterBestAsync(node, final, cancellationToken);
        return exitCode;
    }

    /// <summary>
    /// <c>register_best</c>: once the sweep has ended, its best completed trial becomes the model's next version (or
    /// not, and the message says why). A failure here never changes the sweep's exit code: its results are recorded.
    /// </summary>
    private async Task RegisterBestAsync(HyperDriveNode node, SweepState final, CancellationToken cancellationToken)
    {
        if (final.Spec?.RegisterBest is not { } registerBest)
        {
            return;
        }

        try
        {
            var registry = new ModelRegistry(_dataDirectory, node.Artifacts);
            var registration = await registry.RegisterBestAsync(final, registerBest, cancellationToken);
            node.System.Log.Info("sweep {0}: register_best: {1}", final.SweepId, registration.Message);
            await _output.WriteLineAsync(registration.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            node.System.Log.Warning("sweep {0}: register_best failed: {1}", final.SweepId, e.Message);
            await _error.WriteLineAsync($"error: register_best: {e.Message}; nothing registered");
        }
    }

    private async Task<SweepState> WatchAsync(HyperDriveNode node, SweepState initial, CancellationToken cancellationToken)
    {
        var channel = Channel.CreateUnbounded<SweepChanged>(new UnboundedChannelOptions { SingleReader = true });
        var subscriber = node.System.ActorOf(ChannelSubscriber.Props(channel.Writer));
        node.Sweeps.Tell(new SubscribeToSweep(initial.SweepId, subscriber));
        var total = initial.Spec?.Limits.MaxTotalTrials ?? 1000;
        IProgressView view = Console.IsOutputRedirected || !ReferenceEquals(_output, Console.Out)
            ? new ProgressLineView(_output, total)
            : new LiveTableView(_output, total);
        var state = initial;
        var malformed = 0;
        var cancelRequest = Path.Combine(Catalog.SweepFolder(initial.SweepId), "cancel-requested");
        while (!cancellationToken.IsCancellationRequested && !(state.IsEnded && state.ActiveCount == 0))
        {
            using var tick = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            tick.CancelAfter(TimeSpan.FromSeconds(1));
            try
            {
                var changed = await channel.Reader.ReadAsync(tick.Token);
                state = changed.State;
                malformed = changed.MalformedMetricLines;
                view.Render(state, malformed, changed.Waiting);
            }
            catch (OperationCanceledException)
            {
                // A tick without news (look for a cancel request from another process), or an interrupt.
                if (cancellationToken.IsCancellationRequested)
                {
                    break;
                }
            }

            if (File.Exists(cancelRequest))
            {
                File.Delete(cancelRequest);
                node.Sweeps.Tell(new CancelSweep(initial.SweepId, "canceled by user (hyperdrive cancel)"));
            }
        }

        view.Finish(state, malformed);
        return state;
    }

    private int Summarize(SweepState state)
    {
        _output.WriteLine($"Sweep {state.SweepId} {SweepJson.StateName(state).ToLowerInvariant()}: {state.EndReason}");
        _output.WriteLine($"Trials: {TrialFormatting.Counts(state)}");
        var best = SweepQueries.Best(state);
        if (best is null)
        {
            _output.WriteLine($"No trial reported the primary metric '{state.History.Objective.PrimaryMetric}'.");
            return state.Status != SweepStatus.Failed && state.Trials.Any(t => t.Status == TrialStatus.Completed) ? ExitCodes.Ok : ExitCodes.Failure;
        }

        _output.WriteLine($"Best trial {best.Number}: {state.History.Objective.PrimaryMetric} {TrialFormatting.Number(SweepQueries.Primary(state, best)!.Value)}  {TrialFormatting.Parameters(best.Parameters)}");
        var outputs = Path.Combine(TrialFolders.Attempt(_dataDirectory, state.SweepId, best.Number, best.Attempt), "work", "outputs");
        if (Directory.Exists(outputs) && Directory.EnumerateFileSystemEntries(outputs).Any())
        {
            _output.WriteLine($"  outputs: {outputs}");
        }

        // A failed sweep (its sampler plug-in) keeps its completed trials, but a script must see that it did not finish.
        return state.Status == SweepStatus.Failed ? ExitCodes.Failure : ExitCodes.Ok;
    }
}
