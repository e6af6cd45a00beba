using System.Collections.Immutable;

namespace HyperDrive.Core.Placement;

/// <summary>
/// What a worker node announces: its GPUs (ordered by index) and how many trials it may run at once
/// (<see cref="CpuSlots"/>; every trial, GPU trials included, takes one).
/// </summary>
public sealed record NodeCapacity
{
    public NodeCapacity(string nodeId, ImmutableArray<GpuDevice> gpus, int cpuSlots)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nodeId);
        ArgumentOutOfRangeException.ThrowIfNegative(cpuSlots);
        var sorted = gpus.IsDefault ? [] : gpus.Sort((a, b) => a.Index.CompareTo(b.Index));
        for (var i = 1; i < sorted.Length; i++)
        {
            if (sorted[i].Index == sorted[i - 1].Index)
            {
                throw new ArgumentException($"node {nodeId} lists GPU {sorted[i].Index} twice", nameof(gpus));
            }
        }

        NodeId = nodeId;
        Gpus = sorted;
        CpuSlots = cpuSlots;
    }

    public string NodeId { get; }

    public ImmutableArray<GpuDevice> Gpus { get; }

    public int CpuSlots { get; }

    /// <summary>
    /// The capacity of a node started with <c>--gpus N --cpu-slots M</c> (tests, or GPUs not found by nvidia-smi):
    /// GPUs 0..N-1, each with <paramref name="gpuMemoryBytes"/> of memory (null: unknown).
    /// </summary>
    public static NodeCapacity ForTests(string nodeId, int gpus, int cpuSlots, long? gpuMemoryBytes = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(gpus);
        var devices = Enumerable.Range(0, gpus).Select(i => new GpuDevice(i, "GPU " + i, gpuMemoryBytes));
        return new NodeCapacity(nodeId, [.. devices], cpuSlots);
    }
}
