using HyperDrive.Core.Placement;
using static HyperDrive.Core.Tests.Placement.TestCluster;

namespace HyperDrive.Core.Tests.Placement;

public sealed class SlotLedgerTests
{
    private static readonly NodeCapacity Node = NodeCapacity.ForTests("a", gpus: 2, cpuSlots: 4, gpuMemoryBytes: 80 * GB);

    private static Lease HalfOfGpu0(int trial, int attempt = 1) => new(Key(trial, attempt), "a", [new GpuShare(0, 500, 40 * GB)]);

    [Fact]
    public void Free_should_subtract_the_units_memory_and_cpu_slots_of_every_lease_on_the_node()
    {
        var ledger = SlotLedger.Empty
            .Allocate(HalfOfGpu0(1))
            .Allocate(new Lease(Key(2), "a", [new GpuShare(0, 250, 10 * GB), new GpuShare(1, 1000, 80 * GB)]))
            .Allocate(new Lease(Key(3), "other", [new GpuShare(0, 1000, 80 * GB)]));

        var free = ledger.Free(Node);

        Assert.Equal(2, free.CpuSlots);
        Assert.Equal([250, 0], free.Gpus.Select(g => g.Units));
        Assert.Equal([30 * GB, 0L], free.Gpus.Select(g => g.MemoryBytes!.Value));
        Assert.Equal(0, free.WhollyFreeGpus);
    }

    [Fact]
    public void Release_should_free_the_slots_and_change_nothing_when_repeated()
    {
        var ledger = SlotLedger.Empty.Allocate(HalfOfGpu0(1)).Allocate(HalfOfGpu0(2));

        var once = ledger.Release(Key(1));
        var twice = once.Release(Key(1));

        Assert.Equal(500, once.Free(Node).Gpus[0].Units);
        Assert.Equal(3, once.Free(Node).CpuSlots);
        Assert.Same(once, twice);
        Assert.Equal(2, ledger.Count);
    }

    [Fact]
    public void Allocate_should_refuse_a_second_lease_with_the_same_trial_and_attempt()
    {
        var ledger = SlotLedger.Empty.Allocate(HalfOfGpu0(1));

        var error = Assert.Throws<InvalidOperationException>(() => ledger.Allocate(HalfOfGpu0(1)));
        Assert.Contains("sweep/1#1", error.Message);
        Assert.False(ledger.TryAllocate(new Lease(Key(1), "b", []), out _));
        Assert.Equal(1, ledger.Count);
    }

    [Fact]
    public void Allocate_should_accept_a_new_attempt_of_the_same_trial()
    {
        var ledger = SlotLedger.Empty.Allocate(HalfOfGpu0(1)).Allocate(HalfOfGpu0(1, attempt: 2));

        Assert.Equal(2, ledger.Count);
        Assert.NotNull(ledger.Release(Key(1, attempt: 1)).Find(Key(1, attempt: 2)));
        Assert.False(ledger.Release(Key(1, attempt: 1)).Contains(Key(1, attempt: 1)));
    }

    [Fact]
    public void LeasesOn_should_list_only_the_leases_of_the_node()
    {
        var ledger = SlotLedger.Empty.Allocate(HalfOfGpu0(2)).Allocate(new Lease(Key(3), "b", [])).Allocate(HalfOfGpu0(1));

        Assert.Equal([1, 2], ledger.LeasesOn("a").Select(l => l.Key.TrialNumber));
    }

    [Fact]
    public void Ledger_should_leave_the_original_unchanged_when_allocating_and_releasing()
    {
        var empty = SlotLedger.Empty;
        var one = empty.Allocate(HalfOfGpu0(1));
        _ = one.Release(Key(1));

        Assert.Equal(0, empty.Count);
        Assert.True(one.Contains(Key(1)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1001)]
    public void GpuShare_should_refuse_units_outside_one_gpu(int units) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new GpuShare(0, units, 0));

    [Theory]
    [InlineData(0.5, 500)]
    [InlineData(0.25, 250)]
    [InlineData(1.0 / 3, 333)]
    [InlineData(2.0 / 3, 667)]
    [InlineData(0.0001, 1)]
    [InlineData(0, 0)]
    [InlineData(2, 2000)]
    public void GpuUnits_should_count_thousandths_of_a_gpu_rounded_to_the_nearest(double gpus, long units) =>
        Assert.Equal(units, GpuUnits.FromGpus(gpus));
}
