using System.Collections.Immutable;
using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using HyperDrive.Training.Commands;
using HyperDrive.Training.Folders;
using HyperDrive.Training.Logs;
using HyperDrive.Training.Metrics;
using HyperDrive.Training.Processes;

namespace HyperDrive.Training.Runners;

/// <summary>
/// Runs a user's training command per the trial protocol (DESIGN §4). The command (or each of <c>trial.steps</c>) is
/// split into an argument vector, placeholders are substituted inside each argument, and the vector is started as
/// <c>setsid -- argv…</c>, never through a shell, so the trial leads a process group of its own that can be stopped
/// whole. The working directory gets a copy of <c>code</c>, <c>config.json</c>, <c>outputs/</c>; standard output is
/// scanned for <c>hyperdrive:</c> metric lines; both streams go to the bounded log; <c>val_dict_list.json</c> in the
/// output folder is read at the end.
/// </summary>
public sealed class ExternalCommandRunner : ITrialRunner
{
    public const string ConfigFileName = "config.json";

    private const double MaxTimeoutSeconds = 4_000_000;

    private static readonly TimeSpan ExitWait = TimeSpan.FromSeconds(10);

    private readonly ExternalCommandRunnerOptions _options;

    public ExternalCommandRunner(ExternalCommandRunnerOptions? options = null)
    {
        _options = options ?? new ExternalCommandRunnerOptions();
    }

    /// <summary><c>process.json</c> lies next to the attempt's log file (see <see cref="ProcessGroupReaper"/>).</summary>
    public static string ProcessRecordPath(TrialRunRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Path.Combine(Path.GetDirectoryName(Path.GetFullPath(request.LogFile))!, ProcessRecord.FileName);
    }

    /// <summary>HYPERDRIVE_TRIAL_ID: <c>&lt;sweep&gt;-&lt;trial number&gt;</c>.</summary>
    public static string TrialId(TrialRunRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return string.Create(CultureInfo.InvariantCulture, $"{request.SweepId}-{request.TrialNumber}");
    }

    public async Task<TrialOutcome> RunAsync(TrialRunRequest request, ITrialObserver observer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(observer);
        request = request with
        {
            WorkDirectory = Path.GetFullPath(request.WorkDirectory),
            OutputDirectory = Path.GetFullPath(request.OutputDirectory),
            CheckpointDirectory = Path.GetFullPath(request.CheckpointDirectory),
            LogFile = Path.GetFullPath(request.LogFile),
        };
        var tracker = new IntervalTracker(observer);
        var substitution = new PlaceholderSubstitution(request.Parameters, request.Inputs, request.OutputDirectory, request.SweepId);
        ImmutableArray<TrialCommand> commands;
        ImmutableDictionary<string, string> environment;
        try
        {
            commands = TrialCommandBuilder.Build(request.Trial, request.Parameters, substitution);
            environment = BuildEnvironment(request, substitution);
        }
        catch (TrialCommandException e)
        {
            return Outcome(TrialOutcomeKind.Failed, tracker, e.Message);
        }

        BoundedTrialLog log;
        try
        {
            PrepareFolder(request, substitution.ReferencedOutputs);
            log = new BoundedTrialLog(request.LogFile, _options.MaxLogBytes);
        }
        catch (FileNotFoundException e)
        {
            return Outcome(TrialOutcomeKind.Failed, tracker, e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Outcome(TrialOutcomeKind.InfrastructureFailure, tracker, $"could not prepare the trial folder: {e.Message}");
        }

        using (log)
        {
            using var timeout = new CancellationTokenSource();
            var timeoutSeconds = request.TimeoutSeconds ?? request.Trial.TimeoutSeconds;
            // CancelAfter takes at most ~49 days; a longer timeout is no timeout.
            if (timeoutSeconds is { } seconds && seconds < MaxTimeoutSeconds)
            {
                timeout.CancelAfter(TimeSpan.FromSeconds(Math.Max(0, seconds)));
            }

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            for (var i = 0; i < commands.Length; i++)
            {
                var outcome = await RunCommandAsync(request, commands, i, environment, log, tracker, stop.Token).ConfigureAwait(false);
                if (outcome is not null)
                {
                    return outcome.Kind == TrialOutcomeKind.Canceled
                        ? Stopped(tracker, cancellationToken, timeoutSeconds)
                        : outcome;
                }
            }

            if (ReadValDictList(request, tracker) is { } malformed)
            {
                log.WriteLine("[hyperdrive] " + malformed);
                return Outcome(TrialOutcomeKind.Failed, tracker, malformed, logTail: log.Tail());
            }

            return tracker.ObserverFailure is { } failure
                ? Outcome(TrialOutcomeKind.InfrastructureFailure, tracker, $"the trial observer failed: {failure.Message}")
                : Outcome(TrialOutcomeKind.Completed, tracker);
        }
    }

    /// <returns>Null when the command exited with 0; else how the attempt ends (Canceled is refined by the caller).</returns>
    private async Task<TrialOutcome?> RunCommandAsync(
        TrialRunRequest request,
        ImmutableArray<TrialCommand> commands,
        int index,
        ImmutableDictionary<string, string> environment,
        BoundedTrialLog log,
        IntervalTracker tracker,
        CancellationToken stop)
    {
        var command = commands[index];
        var steps = commands.Length;
        var label = steps == 1 ? "the command" : string.Create(CultureInfo.InvariantCulture, $"step {index + 1} of {steps} (`{command.Text}`)");
        if (stop.IsCancellationRequested)
        {
            return Outcome(TrialOutcomeKind.Canceled, tracker);
        }

        if (steps > 1)
        {
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[hyperdrive] step {index + 1} of {steps}: {command.Text}"));
        }

        var path = environment.TryGetValue("PATH", out var p) ? p : Environment.GetEnvironmentVariable("PATH");
        if (ExecutableResolver.Check(command.Arguments[0], request.WorkDirectory, path) is { } notFound)
        {
            var message = steps == 1 ? notFound : $"{label}: {notFound}";
            log.WriteLine("[hyperdrive] " + message);
            return Outcome(TrialOutcomeKind.Failed, tracker, message, logTail: log.Tail());
        }

        var start = new ProcessStartInfo("setsid")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = request.WorkDirectory,
        };
        start.ArgumentList.Add("--");
        foreach (var argument in command.Arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("no process was started");
        }
        catch (Exception e) when (e is Win32Exception or InvalidOperationException)
        {
            return Outcome(TrialOutcomeKind.InfrastructureFailure, tracker, $"could not start setsid for {label}: {e.Message}");
        }

        using (process)
        {
            var exit = await SuperviseAsync(request, process, index, steps, log, tracker, stop).ConfigureAwait(false);
            if (exit is null)
            {
                return Outcome(TrialOutcomeKind.Canceled, tracker);
            }

            if (tracker.ObserverFailure is { } failure)
            {
                return Outcome(TrialOutcomeKind.InfrastructureFailure, tracker, $"the trial observer failed: {failure.Message}");
            }

            if (exit != 0)
            {
                var message = string.Create(CultureInfo.InvariantCulture, $"{(steps == 1 ? "the command" : label)} exited with code {exit}");
                log.WriteLine("[hyperdrive] " + message);
                return Outcome(TrialOutcomeKind.Failed, tracker, message, exit, log.Tail());
            }

            return null;
        }
    }

    /// <returns>The exit code, or null when stopped.</returns>
    private async Task<int?> SuperviseAsync(
        TrialRunRequest request,
        Process process,
        int index,
        int steps,
        BoundedTrialLog log,
        IntervalTracker tracker,
        CancellationToken stop)
    {
        process.StandardInput.Close();
        var pgid = process.Id;
        var recordPath = ProcessRecordPath(request);
        try
        {
            new ProcessRecord(process.Id, pgid, ProcStat.Read(process.Id)?.StartTicks ?? 0, request.Attempt).Write(recordPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.WriteLine($"[hyperdrive] could not write {recordPath}: {e.Message}");
        }

        tracker.ProcessStarted(process.Id, pgid);
        using var abandon = new CancellationTokenSource();
        var prefix = steps == 1 ? "stdout " : string.Create(CultureInfo.InvariantCulture, $"step {index + 1}: stdout ");
        var stdout = PumpAsync(process.StandardOutput.BaseStream, prefix, log, tracker, abandon.Token);
        var stderr = PumpAsync(process.StandardError.BaseStream, null, log, tracker, abandon.Token);

        var stopped = false;
        try
        {
            await process.WaitForExitAsync(stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            stopped = true;
        }

        // Stopping, or ending what the main process left behind: either way nothing of the trial outlives this step.
        // Once the leader has exited (and been reaped) its pid may be recycled: from then on only the group is signaled.
        bool LeaderIsOurs() => !process.HasExited;
        var leftovers = !stopped && ProcessGroup.IsAlive(pgid, LeaderIsOurs);
        var empty = await ProcessGroup.StopAsync(pgid, request.StopGracePeriod, LeaderIsOurs).ConfigureAwait(false);
        if (leftovers)
        {
            log.WriteLine("[hyperdrive] the command exited but left processes running in its group: they were stopped");
        }

        if (!empty)
        {
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[hyperdrive] process group {pgid} still has live processes after SIGKILL"));
        }

        using (var exitWait = new CancellationTokenSource(ExitWait))
        {
            try
            {
                await process.WaitForExitAsync(exitWait.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[hyperdrive] process {process.Id} did not exit after SIGKILL"));
            }
        }

        try
        {
            await Task.WhenAll(stdout, stderr).WaitAsync(_options.OutputDrainTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Something outside the group (it called setsid itself) still holds the pipes.
            await abandon.CancelAsync().ConfigureAwait(false);
            log.WriteLine("[hyperdrive] the trial's output was still open after it ended; stopped reading it");
        }

        if (empty)
        {
            TryDelete(recordPath);
        }

        return stopped || !process.HasExited ? null : process.ExitCode;
    }

    private async Task PumpAsync(Stream stream, string? metricPrefix, BoundedTrialLog log, IntervalTracker tracker, CancellationToken abandon)
    {
        var reader = new BoundedLineReader(stream, _options.MaxLineBytes);
        var lineNumber = 0;
        try
        {
            await foreach (var line in reader.ReadLinesAsync(abandon).ConfigureAwait(false))
            {
                lineNumber++;
                log.WriteLine(
                    line.Truncated
                        ? string.Create(CultureInfo.InvariantCulture, $"{line.Text} [line truncated: {line.DroppedBytes} bytes left out]")
                        : line.Text,
                    flush: line.Last);
                if (metricPrefix is null || abandon.IsCancellationRequested)
                {
                    continue;
                }

                if (line.Truncated)
                {
                    if (MetricLineParser.LooksLikeMetricLine(line.Text))
                    {
                        tracker.Malformed(string.Create(
                            CultureInfo.InvariantCulture,
                            $"{metricPrefix}line {lineNumber}: longer than {_options.MaxLineBytes} bytes"));
                    }

                    continue;
                }

                var parsed = MetricLineParser.Parse(line.Text, lineNumber);
                if (parsed.Kind == MetricLineKind.Metric)
                {
                    tracker.Report(parsed.Interval, parsed.Metrics);
                }
                else if (parsed.Kind == MetricLineKind.Malformed)
                {
                    tracker.Malformed(metricPrefix + parsed.Error);
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The pipe was closed under the reader: the attempt is over.
        }
    }

    private static string? ReadValDictList(TrialRunRequest request, IntervalTracker tracker)
    {
        var path = Path.Combine(request.OutputDirectory, ValDictListReader.FileName);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            foreach (var entry in ValDictListReader.Parse(File.ReadAllText(path), path))
            {
                tracker.Report(entry.Step, entry.Metrics);
            }

            return null;
        }
        catch (FormatException e)
        {
            return e.Message;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"could not read {path}: {e.Message}";
        }
    }

    private static void PrepareFolder(TrialRunRequest request, IReadOnlyCollection<string> outputs)
    {
        Directory.CreateDirectory(request.WorkDirectory);
        if (request.Trial.Code is { } code)
        {
            CodeSnapshot.Copy(Path.Combine(request.SpecDirectory, code), request.WorkDirectory, request.SnapshotExclusions);
        }

        File.WriteAllText(Path.Combine(request.WorkDirectory, ConfigFileName), request.Parameters.ToJson());
        Directory.CreateDirectory(request.OutputDirectory);
        Directory.CreateDirectory(request.CheckpointDirectory);
        foreach (var output in outputs)
        {
            Directory.CreateDirectory(Path.Combine(request.OutputDirectory, output));
        }
    }

    /// <summary>The user's variables first, then the engine's, which win: the engine owns the folders and the GPUs.</summary>
    private static ImmutableDictionary<string, string> BuildEnvironment(TrialRunRequest request, PlaceholderSubstitution substitution)
    {
        var environment = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in request.Trial.EnvironmentVariables)
        {
            environment[name] = substitution.Substitute(value);
            if (name.Length == 0 || name.Contains('=', StringComparison.Ordinal) || name.Contains('\0', StringComparison.Ordinal)
                || environment[name].Contains('\0', StringComparison.Ordinal))
            {
                throw new TrialCommandException($"environment variable '{name}' cannot be passed to a process (empty name, '=' in the name, or a NUL character)");
            }
        }

        // Python block-buffers a pipe: without this, metric lines arrive in bursts (or only at exit).
        environment.TryAdd("PYTHONUNBUFFERED", "1");
        environment["HYPERDRIVE_SWEEP_ID"] = request.SweepId;
        environment["HYPERDRIVE_TRIAL_ID"] = TrialId(request);
        environment["HYPERDRIVE_TRIAL_NUMBER"] = request.TrialNumber.ToString(CultureInfo.InvariantCulture);
        environment["HYPERDRIVE_ATTEMPT"] = request.Attempt.ToString(CultureInfo.InvariantCulture);
        environment["HYPERDRIVE_CONFIG"] = Path.Combine(request.WorkDirectory, ConfigFileName);
        environment["HYPERDRIVE_OUTPUT_DIR"] = request.OutputDirectory;
        environment["HYPERDRIVE_CHECKPOINT_DIR"] = request.CheckpointDirectory;
        environment["RESULT_DIR"] = request.OutputDirectory;

        // Empty, not unset, for a CPU trial: unset would show it every GPU of the machine, including other slots'.
        environment["CUDA_VISIBLE_DEVICES"] = string.Join(',', request.GpuDevices.IsDefault ? [] : request.GpuDevices);
        return environment.ToImmutable();
    }

    private static TrialOutcome Stopped(IntervalTracker tracker, CancellationToken cancellationToken, double? timeoutSeconds) =>
        cancellationToken.IsCancellationRequested || timeoutSeconds is null
            ? Outcome(TrialOutcomeKind.Canceled, tracker, "trial canceled")
            : Outcome(
                TrialOutcomeKind.Canceled,
                tracker,
                string.Create(CultureInfo.InvariantCulture, $"trial timed out after {timeoutSeconds} s")) with { TimedOut = true };

    private static TrialOutcome Outcome(TrialOutcomeKind kind, IntervalTracker tracker, string? error = null, int? exitCode = null, string? logTail = null) =>
        new(kind, tracker.FinalMetrics, error, exitCode, logTail);

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A stale record is harmless: the reaper checks the process's start time.
        }
    }
}
