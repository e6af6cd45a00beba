using System.Collections.Concurrent;
using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Event;
using HyperDrive.Actors.Artifacts;
using HyperDrive.Actors.Nodes;
using HyperDrive.Actors.Sweeps;
using HyperDrive.Core.Placement;
using HyperDrive.Core.Specs;
using HyperDrive.Training.Processes;
using HyperDrive.Training.Runners;

namespace HyperDrive.Actors.Trials;

/// <summary>
/// One trial, a sharded entity of region <c>trial</c>. It runs attempts through a runner, forwards every
/// interval to the sweep's coordinator, stops on <see cref="StopTrial"/>, and reports the end. Idempotent on
/// (trial, attempt): a repeated <see cref="StartTrial"/> answers with its status and starts nothing; a newer
/// attempt supersedes a running one (which is stopped; the coordinator ignores its results).
/// </summary>
public sealed class TrialActor : ReceiveActor
{
    private static readonly ConcurrentDictionary<string, (string Text, SweepSpec Spec)> SpecCache = new();

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly ITrialRunnerFactory _runners;
    private readonly IActorRef _sweeps;
    private readonly string _node;
    private readonly AttemptRegistry? _registry;
    private readonly NodeSlots? _slots;
    private readonly TrialFiles? _files;
    private readonly string? _dataDirectory;
    // Every interval of the current attempt (re-sent to a recovered coordinator), and those not sent yet.
    private readonly List<IntervalMetrics> _intervals = [];
    private readonly List<IntervalMetrics> _unsent = [];
    private int _unsentBytes;
    private TrialAttemptEnded? _ended;
    private StartTrial? _current;
    private CancellationTokenSource? _stop;
    private bool _running;

    public TrialActor(ITrialRunnerFactory runners, IActorRef sweeps, TrialNodeContext context)
    {
        _runners = runners;
        _sweeps = sweeps;
        _node = context.Node;
        _registry = context.Registry;
        _slots = context.Slots;
        _files = context.Files;
        _dataDirectory = context.DataDirectory;

        Receive<StartTrial>(OnStart);
        Receive<StopTrial>(OnStop);
        Receive<AttemptObserved>(observed =>
        {
            if (observed.Attempt != _current?.Attempt)
            {
                return;
            }

            if (observed.Message is IntervalMetrics interval)
            {
                Batch(interval);
                return;
            }

            SendIntervals();
            _sweeps.Tell(observed.Message);
        });
        Receive<SendBatch>(_ => SendIntervals());
        Receive<ProbeAttempt>(OnProbe);
        Receive<WarmShard>(_ => Context.Parent.Tell(new Passivate(PoisonPill.Instance)));
        Receive<AttemptFinished>(OnFinished);
        Receive<ReceiveTimeout>(_ => Context.Parent.Tell(new Passivate(PoisonPill.Instance)));
    }

    public static Props Props(ITrialRunnerFactory runners, IActorRef sweeps, TrialNodeContext context) =>
        Akka.Actor.Props.Create(() => new TrialActor(runners, sweeps, context));

    /// <summary>A trial actor of a node with no slot ledger, store or data folder of its own (local specs).</summary>
    public static Props Props(ITrialRunnerFactory runners, IActorRef sweeps, string node, AttemptRegistry? registry = null) =>
        Props(runners, sweeps, new TrialNodeContext(node) { Registry = registry });

    protected override void PostStop()
    {
        _stop?.Cancel();
        base.PostStop();
    }

    private void OnStart(StartTrial start)
    {
        if (_current is { } current && start.Attempt <= current.Attempt)
        {
            Sender.Tell(new TrialActorStatus(current.SweepId, current.TrialNumber, current.Attempt, _running));
            return;
        }

        if (Refusal(start) is { } refusal)
        {
            _log.Warning("Trial {0}/{1}: attempt {2} refused: {3}", start.SweepId, start.TrialNumber, start.Attempt, refusal);
            _sweeps.Tell(new TrialAttemptEnded(start.SweepId, start.TrialNumber, start.Attempt, AttemptEnd.Refused, refusal, false));
            if (_running)
            {
                _stop!.Cancel();
            }

            return;
        }

        if (_running)
        {
            _log.Info("Trial {0}/{1}: attempt {2} supersedes attempt {3}", start.SweepId, start.TrialNumber, start.Attempt, _current!.Attempt);
            _stop!.Cancel();
        }

        SendIntervals();
        _current = start;
        _intervals.Clear();
        _ended = null;
        _running = true;
        _stop = new CancellationTokenSource();
        Context.SetReceiveTimeout(null);
        Launch(start, _stop.Token);
    }

    /// <summary>
    /// Why this node cannot run the attempt (null when it can): it was placed on another node, or its lease does
    /// not fit this node's own ledger. A superseded attempt's lease is given back first: its process is ending.
    /// </summary>
    private string? Refusal(StartTrial start)
    {
        if (start.Node.Length > 0 && start.Node != _node)
        {
            return $"attempt placed on node {start.Node} reached node {_node}";
        }

        if (_slots is null || start.Lease is not { } lease)
        {
            return null;
        }

        if (_running && _current is { } current)
        {
            _slots.Release(new TrialKey(current.SweepId, current.TrialNumber, current.Attempt));
        }

        return _slots.TryTake(lease, out var refusal) ? null : refusal;
    }

    private void OnStop(StopTrial stop)
    {
        if (_current is { } current && stop.Attempt == current.Attempt && _running)
        {
            _log.Info("Trial {0}/{1} attempt {2} stopping: {3}", stop.SweepId, stop.TrialNumber, stop.Attempt, stop.Reason);
            _stop!.Cancel();
        }
    }

    private void OnFinished(AttemptFinished finished)
    {
        var outcome = finished.Outcome;
        if (finished.Attempt == _current?.Attempt)
        {
            SendIntervals();
        }

        _slots?.Release(new TrialKey(finished.SweepId, finished.TrialNumber, finished.Attempt));
        var ended = new TrialAttemptEnded(finished.SweepId, finished.TrialNumber, finished.Attempt, ToEnd(outcome.Kind), Describe(outcome), outcome.TimedOut);
        _sweeps.Tell(ended);
        if (finished.Attempt == _current?.Attempt)
        {
            _running = false;
            _ended = ended;

            // Kept a while so a coordinator that restarts elsewhere can still collect the end (ProbeAttempt).
            Context.SetReceiveTimeout(TimeSpan.FromMinutes(2));
        }
    }

    /// <summary>
    /// A recovered coordinator asks about an attempt it had started: the intervals it has not recorded are sent
    /// again, then the end if the attempt has ended, else that it still runs; an attempt this actor does not know
    /// is answered as not running (its node restarted, or the actor was passivated), and the coordinator restarts it.
    /// </summary>
    private void OnProbe(ProbeAttempt probe)
    {
        if (_current?.Attempt != probe.Attempt)
        {
            _sweeps.Tell(new TrialAttemptProbed(probe.SweepId, probe.TrialNumber, probe.Attempt, Running: false));
            if (!_running)
            {
                Context.SetReceiveTimeout(TimeSpan.FromSeconds(30));
            }

            return;
        }

        SendIntervals();
        foreach (var chunk in _intervals.Where(i => i.Interval > probe.LastInterval).Chunk(MaxBatchIntervals))
        {
            _sweeps.Tell(new TrialIntervalsReported(probe.SweepId, probe.TrialNumber, probe.Attempt, [.. chunk]));
        }

        _sweeps.Tell(_ended is { } ended ? ended : new TrialAttemptProbed(probe.SweepId, probe.TrialNumber, probe.Attempt, Running: true));
    }

    /// <summary>
    /// Holds an interval until the mailbox has no more lines to add to it: the first interval of a batch sends this
    /// actor a <see cref="SendBatch"/>, which arrives after the lines already queued, so a trial that reports faster than
    /// the coordinator's round trip sends bursts, and a slow one sends each line as it comes. A batch is capped so a
    /// message stays well below the remoting frame size.
    /// </summary>
    private void Batch(IntervalMetrics interval)
    {
        _intervals.Add(interval);
        _unsent.Add(interval);
        _unsentBytes += 16 + interval.Metrics.Sum(m => m.Key.Length + 24);
        if (_unsent.Count == 1)
        {
            Self.Tell(SendBatch.Instance);
        }

        if (_unsent.Count >= MaxBatchIntervals || _unsentBytes >= MaxBatchBytes)
        {
            SendIntervals();
        }
    }

    private void SendIntervals()
    {
        if (_unsent.Count == 0 || _current is not { } current)
        {
            return;
        }

        _sweeps.Tell(new TrialIntervalsReported(current.SweepId, current.TrialNumber, current.Attempt, [.. _unsent]));
        _unsent.Clear();
        _unsentBytes = 0;
    }

    private void Launch(StartTrial placed, CancellationToken token)
    {
        var self = Self;

        // Trial folders live in this node's data folder; a sweep submitted with its code reads it from the store.
        var submitted = placed.SpecDirectory == TrialFiles.SubmittedSpecDirectory
            ? TrialFiles.SubmittedCodeFolder(_dataDirectory ?? placed.DataDirectory, placed.SweepId)
            : null;
        var start = placed with { DataDirectory = _dataDirectory ?? placed.DataDirectory, SpecDirectory = submitted ?? placed.SpecDirectory };
        var spec = SpecFor(start, out var specError);
        var runner = spec is null ? null : _runners.For(spec.Trial, out specError);
        if (spec is null || runner is null)
        {
            self.Tell(new AttemptFinished(start.SweepId, start.TrialNumber, start.Attempt,
                new TrialOutcome(TrialOutcomeKind.Failed, ImmutableDictionary<string, double>.Empty, specError)));
            return;
        }

        _sweeps.Tell(new TrialAttemptStarted(start.SweepId, start.TrialNumber, start.Attempt, _node));
        var request = TrialFolders.Request(start, spec);
        var observer = new ForwardingObserver(self, start);
        var attempt = Task.Run(
            async () =>
            {
                await ReapEarlierAttemptsAsync(start, request.StopGracePeriod);
                return _files is null
                    ? await runner.RunAsync(request, observer, token)
                    : await RunWithFilesAsync(_files, runner, request, submitted, observer, token);
            },
            CancellationToken.None);
        _registry?.Add(attempt, _stop!);
        attempt.ContinueWith(
            task => new AttemptFinished(start.SweepId, start.TrialNumber, start.Attempt, task.IsCompletedSuccessfully
                ? task.Result
                : new TrialOutcome(TrialOutcomeKind.InfrastructureFailure, ImmutableDictionary<string, double>.Empty,
                    "runner crashed: " + (task.Exception?.GetBaseException().Message ?? "canceled"))),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default).PipeTo(self);
    }

    /// <summary>
    /// Runs an attempt with its files moved through the artifact store: code and checkpoints in before it, changed
    /// checkpoints and the log up while it runs, outputs up at the end. An attempt whose files cannot be fetched
    /// fails with the reason; outputs over the store's size limit fail a completed attempt with the limit's message.
    /// </summary>
    private static async Task<TrialOutcome> RunWithFilesAsync(
        TrialFiles files, ITrialRunner runner, TrialRunRequest request, string? submitted, ITrialObserver observer, CancellationToken token)
    {
        try
        {
            await files.PrepareAsync(request, submitted, token);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or System.Data.Common.DbException)
        {
            return new TrialOutcome(TrialOutcomeKind.Failed, ImmutableDictionary<string, double>.Empty,
                "could not fetch the trial's code or checkpoints from the artifact store: " + e.Message);
        }

        await using var sync = files.StartSync(request);
        var outcome = await runner.RunAsync(request, observer, token);
        try
        {
            await sync.FinishAsync(CancellationToken.None);
        }
        catch (ArtifactLimitExceededException limit) when (outcome.Kind == TrialOutcomeKind.Completed)
        {
            return outcome with { Kind = TrialOutcomeKind.Failed, Error = limit.Message };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Data.Common.DbException)
        {
            return outcome.Kind == TrialOutcomeKind.Completed
                ? outcome with { Kind = TrialOutcomeKind.InfrastructureFailure, Error = "outputs not stored: " + e.Message }
                : outcome;
        }

        return outcome;
    }

    /// <summary>
    /// A restarted trial first ends whatever an earlier attempt left running (a process of a killed run,
    /// recorded in its process.json), so no attempt of the same trial runs twice.
    /// </summary>
    private static async Task ReapEarlierAttemptsAsync(StartTrial start, TimeSpan grace)
    {
        for (var earlier = 1; earlier < start.Attempt; earlier++)
        {
            var record = Path.Combine(TrialFolders.Attempt(start.DataDirectory, start.SweepId, start.TrialNumber, earlier), ProcessRecord.FileName);
            if (File.Exists(record))
            {
                await ProcessGroupReaper.ReapAsync(record, grace);
            }
        }
    }

    private static SweepSpec? SpecFor(StartTrial start, out string? error)
    {
        error = null;
        var cacheKey = start.SweepId + "\n" + start.SpecDirectory;
        if (SpecCache.TryGetValue(cacheKey, out var cached) && cached.Text == start.SpecText)
        {
            return cached.Spec;
        }

        var read = SweepSpecReader.ReadText(start.SpecText, start.SpecDirectory);
        if (read.Spec is null)
        {
            error = "the sweep file does not read on this node: " + string.Join("; ", read.Errors);
            return null;
        }

        SpecCache[cacheKey] = (start.SpecText, read.Spec);
        return read.Spec;
    }

    private static AttemptEnd ToEnd(TrialOutcomeKind kind) => kind switch
    {
        TrialOutcomeKind.Completed => AttemptEnd.Completed,
        TrialOutcomeKind.Failed => AttemptEnd.Failed,
        TrialOutcomeKind.Canceled => AttemptEnd.Canceled,
        _ => AttemptEnd.InfrastructureFailure,
    };

    private static string? Describe(TrialOutcome outcome) =>
        outcome.Error is null ? null
        : string.IsNullOrWhiteSpace(outcome.LogTail) ? outcome.Error
        : outcome.Error + Environment.NewLine + outcome.LogTail.TrimEnd();

    private const int MaxBatchIntervals = 1000;

    // JSON bytes, estimated: remoting's default frame is 128,000 bytes.
    private const int MaxBatchBytes = 48_000;

    private sealed record AttemptObserved(int Attempt, object Message);

    private sealed class SendBatch
    {
        public static readonly SendBatch Instance = new();

        private SendBatch()
        {
        }
    }

    private sealed record AttemptFinished(string SweepId, int TrialNumber, int Attempt, TrialOutcome Outcome);

    /// <summary>Runs on the runner's threads: everything goes through the actor's mailbox, which keeps the order.</summary>
    private sealed class ForwardingObserver(IActorRef trial, StartTrial start) : ITrialObserver
    {
        public void OnInterval(IntervalReport report) => trial.Tell(new AttemptObserved(start.Attempt,
            new IntervalMetrics(report.Interval, ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, report.Metrics))));

        public void OnMalformedMetric(string reason) => trial.Tell(new AttemptObserved(start.Attempt,
            new TrialMetricRejected(start.SweepId, start.TrialNumber, start.Attempt, reason)));

        public void OnProcessStarted(int processId, int processGroupId)
        {
        }
    }
}
