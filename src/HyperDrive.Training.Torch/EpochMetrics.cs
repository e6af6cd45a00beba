namespace HyperDrive.Training.Torch;

/// <summary>One epoch's report: test-set accuracy (0..1) and the mean training loss over the epoch's examples.</summary>
public sealed record EpochMetrics(int Epoch, double Accuracy, double Loss);
