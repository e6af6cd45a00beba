using HyperDrive.Actors.Sweeps;

namespace HyperDrive.Cli.Views;

/// <summary>Shows a running sweep: a live table on a terminal, one line per change otherwise.</summary>
internal interface IProgressView
{
    void Render(SweepState state, int malformedMetricLines);

    /// <summary>The last word: leaves the final table or line on screen.</summary>
    void Finish(SweepState state, int malformedMetricLines);
}
