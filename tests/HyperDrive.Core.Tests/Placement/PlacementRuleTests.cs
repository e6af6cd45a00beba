using System.Collections.Immutable;
using HyperDrive.Core.Placement;
using HyperDrive.Core.Specs;
using static HyperDrive.Core.Tests.Placement.TestCluster;

namespace HyperDrive.Core.Tests.Placement;

public sealed class PlacementRuleTests
{
    private static readonly NodeCapacity FourGpus = NodeCapacity.ForTests("a", gpus: 4, cpuSlots: 16, gpuMemoryBytes: 80 * GB);

    [Fact]
    public void Decide_should_run_four_one_gpu_trials_on_distinct_gpus_and_make_the_fifth_wait_when_the_node_has_four_gpus()
    {
        var (decisions, _) = Submit(new PlacementRequest(1), 5, [FourGpus]);

        var placed = decisions.Take(4).Cast<Placed>().ToList();
        Assert.All(placed, p => Assert.Equal("a", p.NodeId));
        Assert.Equal([0, 1, 2, 3], placed.SelectMany(p => p.GpuIndices).Order());
        var wait = Assert.IsType<Wait>(decisions[4]);
        Assert.Equal("waiting for 1 GPU free (cluster: 4 of 4 GPUs in use)", wait.Reason);
    }

    [Fact]
    public void Decide_should_pack_two_half_gpu_trials_per_gpu_and_make_the_ninth_wait_when_the_node_has_four_gpus()
    {
        var (decisions, ledger) = Submit(new PlacementRequest(0.5), 9, [FourGpus]);

        var placed = decisions.Take(8).Cast<Placed>().ToList();
        Assert.All(placed, p => Assert.Single(p.Gpus));
        Assert.All(placed.GroupBy(p => p.GpuIndices[0]), g => Assert.Equal(2, g.Count()));
        Assert.Equal(4, placed.Select(p => p.GpuIndices[0]).Distinct().Count());
        Assert.IsType<Wait>(decisions[8]);
        Assert.All(ledger.Free(FourGpus).Gpus, g => Assert.Equal(0, g.Units));
    }

    [Fact]
    public void Decide_should_fill_the_second_half_of_a_used_gpu_before_touching_a_free_one_when_packing()
    {
        var (decisions, _) = Submit(new PlacementRequest(0.5), 2, [FourGpus]);

        Assert.Equal(((Placed)decisions[0]).GpuIndices.ToArray(), ((Placed)decisions[1]).GpuIndices.ToArray());
    }

    [Fact]
    public void Decide_should_fill_one_gpu_exactly_when_given_a_half_and_two_quarters()
    {
        var node = NodeCapacity.ForTests("a", gpus: 1, cpuSlots: 8, gpuMemoryBytes: 80 * GB);
        var ledger = SlotLedger.Empty;
        var trial = 0;
        foreach (var gpus in new[] { 0.5, 0.25, 0.25 })
        {
            var placed = Assert.IsType<Placed>(PlacementRule.Decide(new PlacementRequest(gpus), [node], ledger, PlacementOptions.Cluster));
            ledger = ledger.Allocate(placed.LeaseFor(Key(++trial)));
        }

        var gpu = Assert.Single(ledger.Free(node).Gpus);
        Assert.Equal(0, gpu.Units);
        Assert.Equal(0, gpu.MemoryBytes);
        Assert.IsType<Wait>(PlacementRule.Decide(new PlacementRequest(0.001), [node], ledger, PlacementOptions.Cluster));
    }

    [Fact]
    public void Decide_should_fit_three_thirds_on_one_gpu_and_refuse_a_fourth()
    {
        var node = NodeCapacity.ForTests("a", gpus: 1, cpuSlots: 8);

        var (decisions, _) = Submit(new PlacementRequest(1.0 / 3), 4, [node]);

        Assert.All(decisions.Take(3), d => Assert.IsType<Placed>(d));
        Assert.IsType<Wait>(decisions[3]);
    }

    [Fact]
    public void Decide_should_take_the_80_GB_gpu_when_40_GB_is_asked_and_the_others_have_24_GB()
    {
        var node = new NodeCapacity("a", [new GpuDevice(0, "small", 24 * GB), new GpuDevice(1, "big", 80 * GB), new GpuDevice(2, "small", 24 * GB)], 8);

        var (decisions, _) = Submit(new PlacementRequest(1, 40 * GB), 2, [node]);

        Assert.Equal([1], ((Placed)decisions[0]).GpuIndices.ToArray());
        Assert.IsType<Wait>(decisions[1]);
    }

    [Fact]
    public void Decide_should_pack_shares_by_their_gpu_memory_when_gpu_memory_is_given()
    {
        var node = NodeCapacity.ForTests("a", gpus: 1, cpuSlots: 8, gpuMemoryBytes: 80 * GB);

        // 0.25 of a GPU each, but 30 GB each: only two fit in 80 GB although the fractions would allow four.
        var (decisions, _) = Submit(new PlacementRequest(0.25, 30 * GB), 3, [node]);

        Assert.IsType<Placed>(decisions[0]);
        Assert.IsType<Placed>(decisions[1]);
        Assert.IsType<Wait>(decisions[2]);
    }

    [Fact]
    public void Decide_should_prefer_the_node_with_the_smallest_gpus_that_fit_when_nodes_are_otherwise_equal()
    {
        var nodes = new[]
        {
            NodeCapacity.ForTests("a", gpus: 2, cpuSlots: 4, gpuMemoryBytes: 80 * GB),
            NodeCapacity.ForTests("b", gpus: 2, cpuSlots: 4, gpuMemoryBytes: 40 * GB),
            NodeCapacity.ForTests("c", gpus: 2, cpuSlots: 4, gpuMemoryBytes: 24 * GB),
        };

        var decision = PlacementRule.Decide(new PlacementRequest(1, 30 * GB), nodes, SlotLedger.Empty, PlacementOptions.Cluster);

        Assert.Equal("b", Assert.IsType<Placed>(decision).NodeId);
    }

    [Fact]
    public void Decide_should_prefer_the_smallest_gpu_that_fits_when_memory_sizes_differ()
    {
        var node = new NodeCapacity("a", [new GpuDevice(0, "big", 80 * GB), new GpuDevice(1, "mid", 40 * GB), new GpuDevice(2, "small", 24 * GB)], 8);

        var decision = PlacementRule.Decide(new PlacementRequest(1, 30 * GB), [node], SlotLedger.Empty, PlacementOptions.Cluster);

        Assert.Equal([1], ((Placed)decision).GpuIndices.ToArray());
    }

    [Fact]
    public void Decide_should_fail_naming_the_sizes_when_no_gpu_has_the_memory_asked()
    {
        var nodes = new[]
        {
            NodeCapacity.ForTests("a", gpus: 2, cpuSlots: 4, gpuMemoryBytes: 24 * GB),
            NodeCapacity.ForTests("b", gpus: 1, cpuSlots: 4, gpuMemoryBytes: 16 * GB),
        };

        var decision = PlacementRule.Decide(new PlacementRequest(0.5, 80 * GB), nodes, SlotLedger.Empty, PlacementOptions.Cluster);

        var error = Assert.IsType<Impossible>(decision).Error;
        Assert.Equal("trial needs a GPU with at least 80 GB of memory (gpu_memory); the live GPUs have 16 GB, 24 GB", error);
    }

    [Fact]
    public void Decide_should_fail_naming_both_counts_when_two_gpus_are_asked_of_one_gpu_nodes()
    {
        var nodes = new[] { NodeCapacity.ForTests("a", gpus: 1, cpuSlots: 4), NodeCapacity.ForTests("b", gpus: 1, cpuSlots: 4) };

        var decision = PlacementRule.Decide(new PlacementRequest(2), nodes, SlotLedger.Empty, PlacementOptions.Cluster);

        Assert.Equal("trial needs 2 GPUs on one node; the largest live node has 1", Assert.IsType<Impossible>(decision).Error);
    }

    [Fact]
    public void Decide_should_place_two_gpus_on_one_node_only_when_one_node_has_two_free()
    {
        var nodes = new[] { NodeCapacity.ForTests("a", gpus: 2, cpuSlots: 4), NodeCapacity.ForTests("b", gpus: 1, cpuSlots: 4) };
        var ledger = SlotLedger.Empty.Allocate(new Lease(Key(1), "a", [new GpuShare(0, 1000, 0)]));

        // One GPU is free on each node (two in the cluster), but never two on one node.
        var decision = PlacementRule.Decide(new PlacementRequest(2), nodes, ledger, PlacementOptions.Cluster);

        Assert.Equal("waiting for 2 GPUs free on one node (cluster: 1 of 3 GPUs in use)", Assert.IsType<Wait>(decision).Reason);
        var placed = Assert.IsType<Placed>(PlacementRule.Decide(new PlacementRequest(2), nodes, ledger.Release(Key(1)), PlacementOptions.Cluster));
        Assert.Equal("a", placed.NodeId);
        Assert.Equal([0, 1], placed.GpuIndices.ToArray());
    }

    [Theory]
    [InlineData(1.5)]
    [InlineData(2.25)]
    public void Decide_should_fail_with_a_clear_message_when_a_request_above_one_gpu_is_not_whole(double gpus)
    {
        var decision = PlacementRule.Decide(new PlacementRequest(gpus), [FourGpus], SlotLedger.Empty, PlacementOptions.Cluster);

        Assert.StartsWith($"gpus: {gpus.ToString(System.Globalization.CultureInfo.InvariantCulture)} is not a whole number", Assert.IsType<Impossible>(decision).Error);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(-1)]
    [InlineData(double.PositiveInfinity)]
    public void Decide_should_fail_when_gpus_is_not_a_count(double gpus) =>
        Assert.IsType<Impossible>(PlacementRule.Decide(new PlacementRequest(gpus), [FourGpus], SlotLedger.Empty, PlacementOptions.Cluster));

    [Fact]
    public void Decide_should_bound_cpu_trials_by_the_cpu_slots_of_the_nodes()
    {
        var nodes = new[] { NodeCapacity.ForTests("a", gpus: 0, cpuSlots: 2), NodeCapacity.ForTests("b", gpus: 0, cpuSlots: 1) };

        var (decisions, ledger) = Submit(PlacementRequest.Cpu, 4, nodes);

        var placed = decisions.Take(3).Cast<Placed>().ToList();
        Assert.All(placed, p => Assert.Empty(p.Gpus));
        Assert.Equal(2, placed.Count(p => p.NodeId == "a"));
        Assert.Equal(1, placed.Count(p => p.NodeId == "b"));
        Assert.Equal("waiting for a free CPU slot (cluster: 3 of 3 CPU slots in use)", Assert.IsType<Wait>(decisions[3]).Reason);
        Assert.Equal(0, ledger.Free(nodes[0]).CpuSlots);
    }

    [Fact]
    public void Decide_should_count_a_cpu_slot_for_every_gpu_trial_when_slots_are_fewer_than_gpus()
    {
        var node = NodeCapacity.ForTests("a", gpus: 4, cpuSlots: 2);

        var (decisions, _) = Submit(new PlacementRequest(1), 3, [node]);

        Assert.Equal("waiting for a free CPU slot on a node with 1 GPU free (cluster: 2 of 2 CPU slots in use)", Assert.IsType<Wait>(decisions[2]).Reason);
    }

    [Fact]
    public void Decide_should_send_cpu_trials_to_nodes_without_gpus_first()
    {
        var nodes = new[] { NodeCapacity.ForTests("a-gpu", gpus: 2, cpuSlots: 1), NodeCapacity.ForTests("b-cpu", gpus: 0, cpuSlots: 8) };

        var decision = PlacementRule.Decide(PlacementRequest.Cpu, nodes, SlotLedger.Empty, PlacementOptions.Cluster);

        Assert.Equal("b-cpu", Assert.IsType<Placed>(decision).NodeId);
    }

    [Fact]
    public void Decide_should_run_a_gpu_trial_on_the_cpu_with_a_warning_when_fallback_is_allowed_and_no_node_has_a_gpu()
    {
        var node = NodeCapacity.ForTests("laptop", gpus: 0, cpuSlots: 2);

        var decision = PlacementRule.Decide(new PlacementRequest(1), [node], SlotLedger.Empty, PlacementOptions.Embedded);

        var onCpu = Assert.IsType<OnCpu>(decision);
        Assert.Equal("laptop", onCpu.NodeId);
        Assert.StartsWith("no GPU found: running this GPU trial on the CPU", onCpu.Warning);
        Assert.Equal("", onCpu.LeaseFor(Key(1)).CudaVisibleDevices);
    }

    [Fact]
    public void Decide_should_fail_a_gpu_trial_when_no_node_has_a_gpu_and_fallback_is_not_allowed()
    {
        var node = NodeCapacity.ForTests("cpu", gpus: 0, cpuSlots: 2);

        var decision = PlacementRule.Decide(new PlacementRequest(0.5), [node], SlotLedger.Empty, PlacementOptions.Cluster);

        Assert.Contains("no live node has a GPU", Assert.IsType<Impossible>(decision).Error);
    }

    [Fact]
    public void Decide_should_fail_naming_require_gpu_when_the_trial_requires_one_and_no_node_has_a_gpu()
    {
        var node = NodeCapacity.ForTests("laptop", gpus: 0, cpuSlots: 2);
        var request = PlacementRequest.From(new ResourcesSpec { Gpus = 1, RequireGpu = true });

        var decision = PlacementRule.Decide(request, [node], SlotLedger.Empty, PlacementOptions.Embedded);

        Assert.Contains("require_gpu", Assert.IsType<Impossible>(decision).Error);
    }

    [Fact]
    public void Decide_should_wait_rather_than_fall_back_to_the_cpu_when_gpus_exist_but_are_busy()
    {
        var node = NodeCapacity.ForTests("a", gpus: 1, cpuSlots: 4);
        var ledger = SlotLedger.Empty.Allocate(new Lease(Key(1), "a", [new GpuShare(0, 1000, 0)]));

        Assert.IsType<Wait>(PlacementRule.Decide(new PlacementRequest(1), [node], ledger, PlacementOptions.Embedded));
    }

    [Fact]
    public void Decide_should_wait_when_no_node_is_live()
    {
        Assert.IsType<Wait>(PlacementRule.Decide(new PlacementRequest(1), [], SlotLedger.Empty, PlacementOptions.Cluster));
    }

    [Fact]
    public void Decide_should_never_choose_a_node_that_left_even_when_the_ledger_still_names_it()
    {
        var gone = NodeCapacity.ForTests("a", gpus: 4, cpuSlots: 8);
        var live = NodeCapacity.ForTests("b", gpus: 1, cpuSlots: 8);

        var (decisions, _) = Submit(new PlacementRequest(1), 2, [live]);

        Assert.Equal("b", Assert.IsType<Placed>(decisions[0]).NodeId);
        Assert.IsType<Wait>(decisions[1]);
        Assert.Equal(4, SlotLedger.Empty.Free(gone).WhollyFreeGpus);
    }

    [Fact]
    public void Decide_should_fail_when_only_a_node_that_left_could_have_run_the_trial()
    {
        var live = NodeCapacity.ForTests("b", gpus: 1, cpuSlots: 8);

        var decision = PlacementRule.Decide(new PlacementRequest(4), [live], SlotLedger.Empty, PlacementOptions.Cluster);

        Assert.Equal("trial needs 4 GPUs on one node; the largest live node has 1", Assert.IsType<Impossible>(decision).Error);
    }

    [Fact]
    public void Decide_should_pack_the_busiest_node_that_fits_when_several_could_take_the_trial()
    {
        var nodes = new[] { NodeCapacity.ForTests("a", gpus: 4, cpuSlots: 8), NodeCapacity.ForTests("b", gpus: 4, cpuSlots: 8) };
        var ledger = SlotLedger.Empty.Allocate(new Lease(Key(1), "b", [new GpuShare(2, 1000, 0)]));

        var decision = PlacementRule.Decide(new PlacementRequest(1), nodes, ledger, PlacementOptions.Cluster);

        // b has 3 free GPUs, a has 4: best fit keeps a whole for a 4-GPU trial. b's lowest free GPU is 0.
        var placed = Assert.IsType<Placed>(decision);
        Assert.Equal(("b", 0), (placed.NodeId, placed.GpuIndices.Single()));
    }

    [Fact]
    public void Decide_should_keep_a_whole_node_free_for_a_four_gpu_trial_after_four_one_gpu_trials()
    {
        var nodes = new[] { NodeCapacity.ForTests("a", gpus: 4, cpuSlots: 8), NodeCapacity.ForTests("b", gpus: 4, cpuSlots: 8) };

        var (_, ledger) = Submit(new PlacementRequest(1), 4, nodes);
        var (decisions, _) = Submit(new PlacementRequest(4), 1, nodes, ledger, firstTrial: 5);

        Assert.Equal(4, Assert.IsType<Placed>(decisions[0]).Gpus.Length);
    }

    public static TheoryData<double, long?> Requests => new()
    {
        { 0, null }, { 0.25, null }, { 0.5, 10 * GB }, { 1, null }, { 1, 40 * GB }, { 2, null },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public void Decide_should_give_the_same_decision_when_the_live_nodes_come_in_another_order(double gpus, long? memory)
    {
        var nodes = new List<NodeCapacity>
        {
            NodeCapacity.ForTests("n3", gpus: 2, cpuSlots: 4, gpuMemoryBytes: 80 * GB),
            NodeCapacity.ForTests("n1", gpus: 2, cpuSlots: 4, gpuMemoryBytes: 80 * GB),
            NodeCapacity.ForTests("n10", gpus: 2, cpuSlots: 4, gpuMemoryBytes: 80 * GB),
            NodeCapacity.ForTests("n2", gpus: 2, cpuSlots: 4, gpuMemoryBytes: 80 * GB),
            NodeCapacity.ForTests("cpu", gpus: 0, cpuSlots: 4),
        };
        var request = new PlacementRequest(gpus, memory);
        var expected = Submit(request, 6, nodes).Decisions.Select(Describe).ToList();

        for (var seed = 0; seed < 10; seed++)
        {
            var random = new Random(seed);
            List<NodeCapacity> shuffled = [.. nodes.Select(n => (n, random.Next())).OrderBy(p => p.Item2).Select(p => p.n)];
            Assert.Equal(expected, Submit(request, 6, shuffled).Decisions.Select(Describe));
        }

        // Ties between equal nodes go to the ordinally smallest id ("n1" < "n10" < "n2" < "n3").
        Assert.StartsWith(gpus == 0 ? "cpu:" : "n1:", expected[0]);
    }

    private static string Describe(PlacementDecision d) => d switch
    {
        Placed p => $"{p.NodeId}:{string.Join(',', p.Gpus.Select(g => $"{g.Index}/{g.Units}/{g.MemoryBytes}"))}",
        _ => d.ToString(),
    };

    [Fact]
    public void Lease_should_list_devices_for_cuda_in_index_order()
    {
        var lease = new Lease(Key(1), "a", ImmutableArray.Create(new GpuShare(3, 1000, 0), new GpuShare(1, 1000, 0)));

        Assert.Equal("1,3", lease.CudaVisibleDevices);
    }
}
