namespace HyperDrive.Core.Placement;

/// <summary>
/// What is free on one GPU: <paramref name="Units"/> thousandths of it and <paramref name="MemoryBytes"/> of its
/// memory (null when the GPU's total memory is unknown).
/// </summary>
public sealed record GpuFree(GpuDevice Device, int Units, long? MemoryBytes)
{
    public bool IsWhollyFree => Units == GpuUnits.PerGpu;
}
