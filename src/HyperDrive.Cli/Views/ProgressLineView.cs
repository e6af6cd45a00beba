using HyperDrive.Actors.Sweeps;
using HyperDrive.Core.History;

namespace HyperDrive.Cli.Views;

/// <summary>
/// For logs and pipes: one progress line when the counts change (never more than one a second while trials
/// run), and a line for every trial that ends, with its reason.
/// </summary>
internal sealed class ProgressLineView : IProgressView
{
    private readonly TextWriter _output;
    private readonly int _total;
    private readonly HashSet<int> _reported = [];
    private string _lastLine = "";
    private DateTime _lastWrite = DateTime.MinValue;

    public ProgressLineView(TextWriter output, int total)
    {
        _output = output;
        _total = total;
    }

    public void Render(SweepState state, int malformedMetricLines, string? waiting = null) => Write(state, malformedMetricLines, waiting, force: false);

    public void Finish(SweepState state, int malformedMetricLines) => Write(state, malformedMetricLines, null, force: true);

    private void Write(SweepState state, int malformed, string? waiting, bool force)
    {
        foreach (var trial in state.Trials.Where(t => t.IsFinished && _reported.Add(t.Number)))
        {
            var reason = trial.Reason is null ? "" : ": " + trial.Reason.Split('\n')[0];
            _output.WriteLine($"  trial {trial.Number} {trial.Status} {TrialFormatting.Metrics(state, trial)}{reason}");
        }

        var line = $"[{state.FinishedCount}/{_total}] {TrialFormatting.Counts(state)}; {TrialFormatting.Best(state)}"
            + (malformed > 0 ? $"; {malformed} malformed metric line(s) ignored" : "")
            + (waiting is null || state.IsEnded ? "" : $"; {waiting}");
        if (line != _lastLine && (force || DateTime.UtcNow - _lastWrite >= TimeSpan.FromSeconds(1) || state.Trials.All(t => t.Status != TrialStatus.Running)))
        {
            _output.WriteLine(line);
            _output.Flush();
            _lastLine = line;
            _lastWrite = DateTime.UtcNow;
        }
    }
}
