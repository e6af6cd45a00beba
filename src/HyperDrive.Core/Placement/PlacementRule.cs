using System.Collections.Immutable;
using System.Globalization;

namespace HyperDrive.Core.Placement;

/// <summary>
/// The placement rule: where a trial runs, given the live nodes and the leases already held. Pure and
/// deterministic: nodes are considered in ordinal order of their id and every tie is broken by node id, then GPU
/// index, so the order of <c>liveNodes</c> and of the ledger never matters.
/// </summary>
/// <remarks>
/// Every trial takes one CPU slot. A request of 1 GPU or more must be whole and takes that many wholly free GPUs of
/// one node; a request below 1 takes that share of one GPU. Both are best fit: the node with the fewest wholly free
/// GPUs, then the smallest GPUs that fit, then the fewest free CPU slots; for a share, the most used GPU that still
/// fits, then the one with the least memory. Whole GPUs and large GPUs stay free for the requests that need them.
/// A CPU trial prefers nodes with fewer GPUs, so it does not take the slots of GPU nodes.
/// </remarks>
public static class PlacementRule
{
    public static PlacementDecision Decide(
        PlacementRequest request, IReadOnlyList<NodeCapacity> liveNodes, SlotLedger ledger, PlacementOptions options)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(liveNodes);
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(options);

        if (GpuUnits.FromGpus(request.Gpus) is not { } units)
        {
            return new Impossible($"gpus: {Number(request.Gpus)} is not a number of GPUs >= 0");
        }

        if (units > GpuUnits.PerGpu && units % GpuUnits.PerGpu != 0)
        {
            return new Impossible(
                $"gpus: {Number(request.Gpus)} is not a whole number: a trial takes a share of one GPU (below 1) or whole GPUs (1, 2, ...)");
        }

        if (request.GpuMemoryBytes is <= 0)
        {
            return new Impossible($"gpu_memory must be positive, got {request.GpuMemoryBytes} bytes");
        }

        var nodes = liveNodes.OrderBy(n => n.NodeId, StringComparer.Ordinal).ToList();
        for (var i = 1; i < nodes.Count; i++)
        {
            if (nodes[i].NodeId == nodes[i - 1].NodeId)
            {
                throw new ArgumentException($"node {nodes[i].NodeId} is listed twice among the live nodes", nameof(liveNodes));
            }
        }

        if (nodes.Count == 0)
        {
            return new Wait("waiting for a worker node to join (no live node)");
        }

        if (nodes.All(n => n.CpuSlots == 0))
        {
            return new Impossible("no live node has a CPU slot to run a trial (every node was started with --cpu-slots 0)");
        }

        var free = nodes.Select(ledger.Free).ToList();
        if (units == 0)
        {
            return OnCpuSlot(free, warning: null);
        }

        var needs = $"trial needs {GpusPhrase(units, request.GpuMemoryBytes)}";
        if (nodes.All(n => n.Gpus.IsEmpty))
        {
            if (request.RequireGpu)
            {
                return new Impossible($"{needs} and sets require_gpu: true, but no live node has a GPU");
            }

            return options.AllowCpuFallback
                ? OnCpuSlot(free, $"no GPU found: running this GPU trial on the CPU ({needs})")
                : new Impossible($"{needs} but no live node has a GPU (set gpus: 0 to run it on the CPU)");
        }

        return units >= GpuUnits.PerGpu
            ? WholeGpus((int)(units / GpuUnits.PerGpu), request.GpuMemoryBytes, free)
            : GpuShare((int)units, request.GpuMemoryBytes, free);
    }

    private static PlacementDecision OnCpuSlot(List<NodeFree> free, string? warning)
    {
        var best = free
            .Where(f => f.CpuSlots > 0)
            .OrderBy(f => f.Node.Gpus.Length)
            .ThenBy(f => f.CpuSlots)
            .ThenBy(f => f.Node.NodeId, StringComparer.Ordinal)
            .FirstOrDefault();
        if (best is null)
        {
            return new Wait($"waiting for a free CPU slot ({CpuUse(free)})");
        }

        return warning is null ? new Placed(best.Node.NodeId, []) : new OnCpu(best.Node.NodeId, warning);
    }

    private static PlacementDecision WholeGpus(int count, long? memory, List<NodeFree> free)
    {
        List<GpuFree> Pick(NodeFree f) => [.. f.Gpus
            .Where(g => g.IsWhollyFree && Qualifies(g.Device, memory))
            .OrderBy(g => g.Device.MemoryBytes ?? long.MaxValue)
            .ThenBy(g => g.Device.Index)
            .Take(count)];

        var best = free
            .Where(f => f.CpuSlots > 0)
            .Select(f => (Free: f, Gpus: Pick(f)))
            .Where(c => c.Gpus.Count == count)
            .OrderBy(c => c.Free.WhollyFreeGpus)
            .ThenBy(c => c.Gpus.Max(g => g.Device.MemoryBytes ?? long.MaxValue))
            .ThenBy(c => c.Free.CpuSlots)
            .ThenBy(c => c.Free.Node.NodeId, StringComparer.Ordinal)
            .FirstOrDefault();
        if (best.Free is not null)
        {
            var shares = best.Gpus
                .OrderBy(g => g.Device.Index)
                .Select(g => new GpuShare(g.Device.Index, GpuUnits.PerGpu, g.Device.MemoryBytes ?? 0));
            return new Placed(best.Free.Node.NodeId, [.. shares]);
        }

        var phrase = GpusPhrase((long)count * GpuUnits.PerGpu, memory);
        int QualifyingOn(NodeCapacity n) => n.Gpus.Count(g => Qualifies(g, memory));
        var nodes = free.Select(f => f.Node).ToList();
        if (nodes.Any(n => n.CpuSlots > 0 && QualifyingOn(n) >= count))
        {
            return free.Any(f => Pick(f).Count == count)
                ? new Wait($"waiting for a free CPU slot on a node with {phrase} free ({CpuUse(free)})")
                : new Wait($"waiting for {phrase} free{(count > 1 ? " on one node" : "")} ({GpuUse(free)})");
        }

        if (nodes.Any(n => QualifyingOn(n) >= count))
        {
            return new Impossible($"trial needs {phrase} on one node; the live nodes that have them have no CPU slot (--cpu-slots 0)");
        }

        if (memory is null)
        {
            return new Impossible($"trial needs {phrase} on one node; the largest live node has {nodes.Max(n => n.Gpus.Length)}");
        }

        return nodes.All(n => QualifyingOn(n) == 0)
            ? NoGpuLargeEnough(memory.Value, nodes)
            : new Impossible(
                $"trial needs {phrase} on one node (gpu_memory); the most on a live node is {nodes.Max(QualifyingOn)} (live GPU sizes: {Sizes(nodes)})");
    }

    private static PlacementDecision GpuShare(int units, long? memory, List<NodeFree> free)
    {
        // A share without gpu_memory reserves its proportion of the GPU's memory, so trials that state their memory
        // are not packed onto a GPU already promised to others.
        long Reserve(GpuDevice g) => memory ?? (g.MemoryBytes is { } total ? total * units / GpuUnits.PerGpu : 0);
        bool FitsNow(GpuFree g) =>
            Qualifies(g.Device, memory) && g.Units >= units && (g.MemoryBytes is not { } left || left >= Reserve(g.Device));

        var best = free
            .Where(f => f.CpuSlots > 0)
            .SelectMany(f => f.Gpus.Where(FitsNow).Select(g => (Free: f, Gpu: g)))
            .OrderBy(c => c.Gpu.Units)
            .ThenBy(c => c.Gpu.Device.MemoryBytes ?? long.MaxValue)
            .ThenBy(c => c.Free.CpuSlots)
            .ThenBy(c => c.Free.Node.NodeId, StringComparer.Ordinal)
            .ThenBy(c => c.Gpu.Device.Index)
            .FirstOrDefault();
        if (best.Free is not null)
        {
            return new Placed(best.Free.Node.NodeId, [new GpuShare(best.Gpu.Device.Index, units, Reserve(best.Gpu.Device))]);
        }

        var phrase = GpusPhrase(units, memory);
        var nodes = free.Select(f => f.Node).ToList();
        if (nodes.Any(n => n.CpuSlots > 0 && n.Gpus.Any(g => Qualifies(g, memory))))
        {
            return free.Any(f => f.Gpus.Any(FitsNow))
                ? new Wait($"waiting for a free CPU slot on a node with {phrase} free ({CpuUse(free)})")
                : new Wait($"waiting for {phrase} free ({GpuUse(free)})");
        }

        if (nodes.Any(n => n.Gpus.Any(g => Qualifies(g, memory))))
        {
            return new Impossible($"trial needs {phrase}; the live nodes that have it have no CPU slot (--cpu-slots 0)");
        }

        // Every live GPU qualifies when no memory is asked for, so only gpu_memory can rule them all out.
        return NoGpuLargeEnough(memory!.Value, nodes);
    }

    private static bool Qualifies(GpuDevice gpu, long? memory) => memory is null || gpu.MemoryBytes >= memory;

    private static Impossible NoGpuLargeEnough(long memory, List<NodeCapacity> nodes) =>
        new($"trial needs a GPU with at least {Bytes(memory)} of memory (gpu_memory); the live GPUs have {Sizes(nodes)}");

    private static string GpusPhrase(long units, long? memory)
    {
        var what = units switch
        {
            GpuUnits.PerGpu => "1 GPU",
            > GpuUnits.PerGpu => $"{GpuUnits.Format(units)} GPUs",
            _ => $"{GpuUnits.Format(units)} of a GPU",
        };
        var each = units > GpuUnits.PerGpu ? " each" : "";
        return memory is { } m ? $"{what} with at least {Bytes(m)} of memory{each}" : what;
    }

    private static string GpuUse(List<NodeFree> free)
    {
        var total = free.Sum(f => f.Gpus.Length);
        var used = free.Sum(f => f.Gpus.Count(g => !g.IsWhollyFree));
        return $"cluster: {used} of {total} GPUs in use";
    }

    private static string CpuUse(List<NodeFree> free)
    {
        var total = free.Sum(f => f.Node.CpuSlots);
        var used = free.Sum(f => f.Node.CpuSlots - f.CpuSlots);
        return $"cluster: {used} of {total} CPU slots in use";
    }

    private static string Sizes(List<NodeCapacity> nodes)
    {
        var sizes = nodes.SelectMany(n => n.Gpus).Select(g => g.MemoryBytes).Distinct().ToList();
        var known = sizes.OfType<long>().Order().Select(Bytes);
        return string.Join(", ", sizes.Contains(null) ? known.Append("unknown memory") : known);
    }

    /// <summary>A size in binary gigabytes, as <c>gpu_memory: 8GB</c> reads it: 81559 MiB → "79.65 GB".</summary>
    internal static string Bytes(long bytes) =>
        (bytes / (double)(1L << 30)).ToString("0.##", CultureInfo.InvariantCulture) + " GB";

    private static string Number(double value) => value.ToString(CultureInfo.InvariantCulture);
}
