namespace HyperDrive.Training.Torch.Tests.Support;

/// <summary>Tests that train: torch's global generator is process-wide, so they run one at a time.</summary>
[CollectionDefinition(nameof(TorchCollection))]
public sealed class TorchCollection
{
}
