namespace HyperDrive.Core.Placement;

/// <summary>
/// How placement treats a cluster without GPUs: with <paramref name="AllowCpuFallback"/> (embedded mode), a GPU
/// trial runs on the CPU with a warning unless it sets <c>require_gpu</c>; without it, the trial fails.
/// </summary>
public sealed record PlacementOptions(bool AllowCpuFallback)
{
    public static readonly PlacementOptions Embedded = new(true);

    public static readonly PlacementOptions Cluster = new(false);
}
