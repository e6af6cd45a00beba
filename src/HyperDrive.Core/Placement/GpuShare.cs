namespace HyperDrive.Core.Placement;

/// <summary>
/// The part of one GPU a lease holds: <paramref name="Units"/> thousandths of it (1000 = the whole GPU) and
/// <paramref name="MemoryBytes"/> of its memory (0 when the GPU's memory is unknown).
/// </summary>
public sealed record GpuShare
{
    public GpuShare(int Index, int Units, long MemoryBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(Index);
        ArgumentOutOfRangeException.ThrowIfLessThan(Units, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Units, GpuUnits.PerGpu);
        ArgumentOutOfRangeException.ThrowIfNegative(MemoryBytes);
        this.Index = Index;
        this.Units = Units;
        this.MemoryBytes = MemoryBytes;
    }

    public int Index { get; }

    public int Units { get; }

    public long MemoryBytes { get; }
}
