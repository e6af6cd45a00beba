using HyperDrive.Core.Specs;

namespace HyperDrive.Core.Placement;

/// <summary>
/// What a trial asks of a node: <paramref name="Gpus"/> (0: a CPU trial; below 1: a share of one GPU; 1 or more: that
/// many whole GPUs), the memory each of its GPUs must have (null: any) and whether it may fall back to the CPU.
/// </summary>
public sealed record PlacementRequest(double Gpus, long? GpuMemoryBytes = null, bool RequireGpu = false)
{
    public static readonly PlacementRequest Cpu = new(0);

    public static PlacementRequest From(ResourcesSpec? resources) =>
        resources is null ? Cpu : new(resources.Gpus, resources.GpuMemoryBytes, resources.RequireGpu);
}
