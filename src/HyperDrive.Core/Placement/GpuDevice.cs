namespace HyperDrive.Core.Placement;

/// <summary>
/// One GPU of a worker node, as <c>nvidia-smi</c> numbers it: <paramref name="Index"/> is the value to put in
/// <c>CUDA_VISIBLE_DEVICES</c>; <paramref name="MemoryBytes"/> is null when the driver reports <c>[N/A]</c>.
/// </summary>
public sealed record GpuDevice
{
    public GpuDevice(int Index, string Name, long? MemoryBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(Index);
        ArgumentNullException.ThrowIfNull(Name);
        if (MemoryBytes is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MemoryBytes), MemoryBytes, "GPU memory must be positive when known");
        }

        this.Index = Index;
        this.Name = Name;
        this.MemoryBytes = MemoryBytes;
    }

    public int Index { get; }

    public string Name { get; }

    public long? MemoryBytes { get; }
}
