using HyperDrive.Actors.Sweeps;
using HyperDrive.Cli.Output;
using HyperDrive.Core.History;

namespace HyperDrive.Cli.Views;

/// <summary>
/// For terminals: a table redrawn in place (at most ten times a second): trial, parameters, latest metrics,
/// state and stop reason, with running trials and the most recent ones shown when the sweep is long.
/// </summary>
internal sealed class LiveTableView : IProgressView
{
    private readonly TextWriter _output;
    private readonly int _total;
    private int _linesDrawn;
    private DateTime _lastDraw = DateTime.MinValue;

    public LiveTableView(TextWriter output, int total)
    {
        _output = output;
        _total = total;
    }

    public void Render(SweepState state, int malformedMetricLines, string? waiting = null)
    {
        if (DateTime.UtcNow - _lastDraw >= TimeSpan.FromMilliseconds(100))
        {
            Draw(state, malformedMetricLines, waiting);
        }
    }

    public void Finish(SweepState state, int malformedMetricLines) => Draw(state, malformedMetricLines, null);

    private void Draw(SweepState state, int malformed, string? waiting)
    {
        var width = Math.Max(60, SafeWindow(() => Console.WindowWidth, 120));
        var height = Math.Max(10, SafeWindow(() => Console.WindowHeight, 40));
        var lines = new List<string>
        {
            TrialFormatting.Clip($"{state.SweepId}  [{state.FinishedCount}/{_total}]  {TrialFormatting.Counts(state)}  {TrialFormatting.Best(state)}"
                + (malformed > 0 ? $"  ({malformed} malformed metric lines)" : ""), width),
        };
        if (waiting is not null && !state.IsEnded)
        {
            lines.Add(TrialFormatting.Clip("queued: " + waiting, width));
        }


        var rows = Visible(state, height - 4);
        var table = new TextTable(["trial", "parameters", "metrics", "state", "reason"]);
        var paramWidth = Math.Max(20, width / 3);
        foreach (var trial in rows)
        {
            table.AddRow([
                trial.Number.ToString(System.Globalization.CultureInfo.InvariantCulture),
                TrialFormatting.Clip(TrialFormatting.Parameters(trial.Parameters), paramWidth),
                TrialFormatting.Clip(TrialFormatting.Metrics(state, trial), Math.Max(20, width / 3)),
                trial.Status + (trial.Attempt > 1 ? $" (attempt {trial.Attempt})" : ""),
                TrialFormatting.Clip((trial.Reason ?? trial.PendingStop ?? "").Split('\n')[0], Math.Max(10, width / 4)),
            ]);
        }

        using var buffer = new StringWriter();
        table.Write(buffer);
        lines.AddRange(buffer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => TrialFormatting.Clip(l.TrimEnd('\r'), width)));

        if (_linesDrawn > 0)
        {
            _output.Write($"\u001b[{_linesDrawn}F\u001b[J");
        }

        foreach (var line in lines)
        {
            _output.WriteLine(line);
        }

        _output.Flush();
        _linesDrawn = lines.Count;
        _lastDraw = DateTime.UtcNow;
    }

    /// <summary>Every running trial, then the most recent finished ones, in number order, within the height.</summary>
    private static IEnumerable<TrialView> Visible(SweepState state, int room)
    {
        var active = state.Trials.Where(t => !t.IsFinished).ToList();
        var finished = state.Trials.Where(t => t.IsFinished).OrderByDescending(t => t.Number).Take(Math.Max(0, room - active.Count));
        return active.Concat(finished).OrderBy(t => t.Number).Take(Math.Max(room, 1));
    }

    private static int SafeWindow(Func<int> read, int fallback)
    {
        try
        {
            var value = read();
            return value > 0 ? value : fallback;
        }
        catch (IOException)
        {
            return fallback;
        }
    }
}
