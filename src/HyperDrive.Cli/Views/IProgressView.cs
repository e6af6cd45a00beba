using HyperDrive.Actors.Sweeps;

namespace HyperDrive.Cli.Views;

/// <summary>Shows a running sweep: a live table on a terminal, one line per change otherwise.</summary>
internal interface IProgressView
{
    /// <param name="waiting">Why no more trials start now (all GPUs busy), or null.</param>
    void Render(SweepState state, int malformedMetricLines, string? waiting = null);

    /// <summary>The last word: leaves the final table or line on screen.</summary>
    void Finish(SweepState state, int malformedMetricLines);
}
