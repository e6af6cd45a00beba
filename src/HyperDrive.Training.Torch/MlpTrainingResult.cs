namespace HyperDrive.Training.Torch;

/// <summary>Every epoch's metrics and the trained parameters, flattened in module order (for tests and tools).</summary>
public sealed record MlpTrainingResult(IReadOnlyList<EpochMetrics> History, float[] Parameters);
