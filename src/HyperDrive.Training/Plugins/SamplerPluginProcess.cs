using System.Collections.Immutable;
using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using HyperDrive.Core.History;
using HyperDrive.Core.Parameters;
using HyperDrive.Core.Sampling;
using HyperDrive.Core.Spaces;
using HyperDrive.Training.Commands;
using HyperDrive.Training.Logs;
using HyperDrive.Training.Processes;

namespace HyperDrive.Training.Plugins;

/// <summary>
/// A running sampler plug-in: the command split into an argument vector and started as <c>setsid -- argv…</c> (never a
/// shell) in the sweep file's folder (or <c>code</c>), with the spec's environment variables. One JSON request per line
/// on its standard input, one JSON answer per line on its standard output; standard error is kept (last lines) for error
/// messages. Every request has the plug-in's timeout. Any breach of the protocol raises <see cref="SamplerPluginException"/>,
/// after which the process is broken and every later request fails the same way. One request at a time: the caller
/// never overlaps them. <see cref="Dispose"/> kills the plug-in's process group.
/// </summary>
public sealed class SamplerPluginProcess : IDisposable
{
    /// <summary>How much of a bad answer an error message quotes.</summary>
    public const int MaxQuotedAnswer = 300;

    /// <summary>The longest answer line read (8 MiB): a plug-in cannot make the coordinator buffer without bound.</summary>
    public const int MaxAnswerBytes = 8 * 1024 * 1024;

    private const int StderrLines = 10;

    private readonly Process _process;
    private readonly PluginSampler _sampler;
    private readonly TimeSpan _timeout;
    private readonly Queue<string> _stderr = new();
    private readonly Task _stderrPump;
    private readonly IAsyncEnumerator<OutputLine> _answers;
    private SamplerPluginException? _broken;
    private bool _disposed;

    private SamplerPluginProcess(Process process, PluginSampler sampler)
    {
        _process = process;
        _sampler = sampler;
        _timeout = TimeSpan.FromSeconds(Math.Min(sampler.Plugin.TimeoutSeconds, 4_000_000));
        _stderrPump = Task.Run(PumpStderrAsync);
        _answers = new BoundedLineReader(process.StandardOutput.BaseStream, MaxAnswerBytes).ReadLinesAsync().GetAsyncEnumerator();
    }

    public string Command => _sampler.Plugin.Command;

    /// <summary>The plug-in's process id (its process group's id too).</summary>
    public int ProcessId => _process.Id;

    /// <summary>Starts the plug-in of <paramref name="sampler"/>; <paramref name="specDirectory"/> is the sweep file's folder.</summary>
    public static SamplerPluginProcess Start(PluginSampler sampler, string specDirectory)
    {
        ArgumentNullException.ThrowIfNull(sampler);
        ArgumentNullException.ThrowIfNull(specDirectory);
        var plugin = sampler.Plugin;
        var directory = Path.GetFullPath(plugin.Code is null ? specDirectory : Path.Combine(specDirectory, plugin.Code));
        ImmutableArray<string> arguments;
        try
        {
            arguments = CommandLineSplitter.Split(plugin.Command);
        }
        catch (TrialCommandException e)
        {
            throw new SamplerPluginException(plugin.Command, "start", e.Message, null, []);
        }

        if (arguments.IsEmpty)
        {
            throw new SamplerPluginException(plugin.Command, "start", "the command is empty", null, []);
        }

        if (!Directory.Exists(directory))
        {
            throw new SamplerPluginException(plugin.Command, "start", $"its working directory {directory} does not exist", null, []);
        }

        var path = plugin.EnvironmentVariables.TryGetValue("PATH", out var p) ? p : Environment.GetEnvironmentVariable("PATH");
        if (ExecutableResolver.Check(arguments[0], directory, path) is { } notFound)
        {
            throw new SamplerPluginException(plugin.Command, "start", notFound + " in " + directory, null, []);
        }

        var start = new ProcessStartInfo("setsid")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = directory,
        };
        start.ArgumentList.Add("--");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Python buffers a pipe's output: a plug-in that forgets to flush would otherwise look hung.
        start.Environment["PYTHONUNBUFFERED"] = "1";
        foreach (var (name, value) in plugin.EnvironmentVariables)
        {
            start.Environment[name] = value;
        }

        try
        {
            var process = Process.Start(start) ?? throw new InvalidOperationException("no process was started");
            return new SamplerPluginProcess(process, sampler);
        }
        catch (Exception e) when (e is Win32Exception or InvalidOperationException)
        {
            throw new SamplerPluginException(plugin.Command, "start", "could not start it: " + e.Message, null, []);
        }
    }

    /// <summary>
    /// Asks for <paramref name="count"/> parameter sets given the history; answers at most that many, each checked
    /// against the space (and brought to its types); an empty list means the plug-in has nothing left to propose.
    /// </summary>
    public async Task<ImmutableArray<ParameterSet>> SearchAsync(int count, SweepHistory history, CancellationToken cancellationToken = default) =>
        await SearchAsync(count, history, [], cancellationToken).ConfigureAwait(false);

    /// <summary>As <see cref="SearchAsync(int, SweepHistory, CancellationToken)"/>, with earlier sweeps' finished trials (<c>resume_from</c>).</summary>
    public async Task<ImmutableArray<ParameterSet>> SearchAsync(int count, SweepHistory history, IReadOnlyList<TrialRecord> warmStart, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var request = SamplerPluginWire.Search(count, _sampler.Space, _sampler.SamplingOptions, _sampler.Seed, _sampler.Plugin.Options, history, warmStart);
        JsonElement answer;
        string text;
        try
        {
            (answer, text) = await RequestAsync("search", request, cancellationToken).ConfigureAwait(false);
        }
        catch (PluginAnsweredErrorException e)
        {
            throw Break("search", "it answered an error", e.Answer);
        }

        if (answer.ValueKind != JsonValueKind.Array)
        {
            throw Break("search", $"expected a JSON list of parameter sets, got a JSON {answer.ValueKind.ToString().ToLowerInvariant()}", text);
        }

        var length = answer.GetArrayLength();
        if (length > count)
        {
            throw Break("search", string.Create(CultureInfo.InvariantCulture, $"asked for {count} parameter sets, it answered {length}"), text);
        }

        var proposals = ImmutableArray.CreateBuilder<ParameterSet>(length);
        var index = 0;
        foreach (var item in answer.EnumerateArray())
        {
            index++;
            if (item.ValueKind != JsonValueKind.Object)
            {
                throw Break("search", string.Create(CultureInfo.InvariantCulture, $"parameter set {index} is not a JSON object"), text);
            }

            var set = new ParameterSet(((MapValue)SamplerPluginWire.ToValue(item)).Entries);
            if (SpaceConformance.Conform(_sampler.Space, set, _sampler.SamplingOptions, out var error) is not { } conformed)
            {
                throw Break("search", string.Create(CultureInfo.InvariantCulture, $"parameter set {index} is not in the search space: {error}"), text);
            }

            proposals.Add(conformed);
        }

        return proposals.MoveToImmutable();
    }

    /// <summary>
    /// The plug-in's state as JSON text, or null when it keeps none: it answered null or an error (get_state is
    /// optional). A plug-in that exits, hangs or writes non-JSON still fails.
    /// </summary>
    public async Task<string?> GetStateAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            var (answer, text) = await RequestAsync("get_state", SamplerPluginWire.GetState(), cancellationToken).ConfigureAwait(false);
            return answer.ValueKind == JsonValueKind.Null ? null : text;
        }
        catch (PluginAnsweredErrorException)
        {
            return null;
        }
    }

    /// <summary>Restores a state the plug-in gave earlier; an error answer fails (the plug-in cannot continue its sequence).</summary>
    public async Task SetStateAsync(string stateJson, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stateJson);
        try
        {
            await RequestAsync("set_state", SamplerPluginWire.SetState(stateJson), cancellationToken).ConfigureAwait(false);
        }
        catch (PluginAnsweredErrorException e)
        {
            throw Break("set_state", "it answered an error", e.Answer);
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            _process.StandardInput.Close();
        }
        catch (IOException)
        {
            // It is gone already.
        }

        bool LeaderIsOurs() => !_process.HasExited;
        ProcessGroup.Signal(_process.Id, NativeMethods.SigKill, LeaderIsOurs);
        _process.WaitForExit(TimeSpan.FromSeconds(5));
        _stderrPump.Wait(TimeSpan.FromSeconds(1));
        _process.Dispose();
    }

    private async Task<(JsonElement Answer, string Text)> RequestAsync(string op, string request, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_broken is not null)
        {
            throw Break(op, "it failed earlier (" + _broken.Problem + ")", null);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        string? line;
        try
        {
            await _process.StandardInput.WriteLineAsync(request.AsMemory(), timeout.Token).ConfigureAwait(false);
            await _process.StandardInput.FlushAsync(timeout.Token).ConfigureAwait(false);
            // A timed-out read is abandoned, not canceled: the plug-in is broken from then on and killed on Dispose.
            if (await _answers.MoveNextAsync().AsTask().WaitAsync(timeout.Token).ConfigureAwait(false))
            {
                if (_answers.Current.Truncated)
                {
                    throw Break(op, string.Create(CultureInfo.InvariantCulture,
                        $"its answer is longer than {MaxAnswerBytes} bytes ({_answers.Current.Text.Length + _answers.Current.DroppedBytes} bytes)"), _answers.Current.Text);
                }

                line = _answers.Current.Text;
            }
            else
            {
                line = null;
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw Break(op, string.Create(CultureInfo.InvariantCulture, $"no answer within its timeout of {_timeout.TotalSeconds:0.###} s"), null);
        }
        catch (IOException)
        {
            line = null;
        }

        if (line is null)
        {
            throw Break(op, await ExitedAsync().ConfigureAwait(false), null);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException e)
        {
            throw Break(op, "its answer is not JSON (" + e.Message + "); stdout is for protocol answers only, write logs to stderr", line);
        }

        using (document)
        {
            var answer = document.RootElement.Clone();
            if (answer.ValueKind == JsonValueKind.Object && answer.TryGetProperty("error", out _) && answer.EnumerateObject().Count() == 1)
            {
                throw new PluginAnsweredErrorException(line);
            }

            return (answer, line);
        }
    }

    private async Task<string> ExitedAsync()
    {
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await _process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
            await _stderrPump.WaitAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
            return string.Create(CultureInfo.InvariantCulture, $"it exited with code {_process.ExitCode} before answering");
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException)
        {
            return "it closed its standard output before answering";
        }
    }

    /// <summary>The error for <paramref name="op"/>, quoting the start of <paramref name="answer"/>; the process is broken from then on.</summary>
    private SamplerPluginException Break(string op, string problem, string? answer)
    {
        var error = new SamplerPluginException(Command, op, problem, answer is null ? null : SamplerPluginWire.Truncate(answer, MaxQuotedAnswer), StderrTail());
        _broken ??= error;
        return error;
    }

    private List<string> StderrTail()
    {
        lock (_stderr)
        {
            return [.. _stderr];
        }
    }

    private async Task PumpStderrAsync()
    {
        try
        {
            while (await _process.StandardError.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                lock (_stderr)
                {
                    _stderr.Enqueue(SamplerPluginWire.Truncate(line, MaxQuotedAnswer));
                    if (_stderr.Count > StderrLines)
                    {
                        _stderr.Dequeue();
                    }
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The process is gone.
        }
    }

    /// <summary>The plug-in answered <c>{"error": …}</c>: for get_state that means "no state", for the others a failure.</summary>
    private sealed class PluginAnsweredErrorException(string answer) : Exception(answer)
    {
        public string Answer { get; } = answer;
    }
}
