namespace HyperDrive.Training.Torch;

/// <summary>Every epoch's metrics and the trained parameters, flattened in module order (for tests and tools).</summary>
public sealed record MlpTrainingResult(IReadOnlyList<EpochMetrics> History, float[] Parameters)
{
    /// <summary>Training stopped before its last epoch because the engine that started it is gone.</summary>
    public bool Stopped { get; init; }
}
