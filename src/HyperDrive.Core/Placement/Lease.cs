using System.Collections.Immutable;

namespace HyperDrive.Core.Placement;

/// <summary>
/// What one trial attempt holds on one node: one CPU slot, always, and the GPU shares in <see cref="Gpus"/>
/// (ordered by index; empty for a CPU trial).
/// </summary>
public sealed record Lease
{
    public Lease(TrialKey key, string nodeId, ImmutableArray<GpuShare> gpus)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentException.ThrowIfNullOrWhiteSpace(nodeId);
        var sorted = gpus.IsDefault ? [] : gpus.Sort((a, b) => a.Index.CompareTo(b.Index));
        for (var i = 1; i < sorted.Length; i++)
        {
            if (sorted[i].Index == sorted[i - 1].Index)
            {
                throw new ArgumentException($"lease {key} holds GPU {sorted[i].Index} twice", nameof(gpus));
            }
        }

        Key = key;
        NodeId = nodeId;
        Gpus = sorted;
    }

    public TrialKey Key { get; }

    public string NodeId { get; }

    public ImmutableArray<GpuShare> Gpus { get; }

    /// <summary>The value of <c>CUDA_VISIBLE_DEVICES</c> for the trial: "0,2"; empty (no GPU visible) for a CPU trial.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string CudaVisibleDevices => string.Join(",", Gpus.Select(g => g.Index.ToString(System.Globalization.CultureInfo.InvariantCulture)));
}
