using HyperDrive.Core.Placement;

namespace HyperDrive.Core.Tests.Placement;

/// <summary>The parser on output captured from a real H100 (Fixtures/README.md says how).</summary>
public sealed class NvidiaSmiRealOutputTests
{
    [Theory]
    [InlineData("h100-noheader-nounits.csv")]
    [InlineData("h100-header.csv")]
    public void Parser_should_read_a_real_H100_in_both_formats(string file)
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Placement", "Fixtures", file));

        var gpu = Assert.Single(NvidiaSmiParser.Parse(text));

        Assert.Equal(0, gpu.Index);
        Assert.Equal("NVIDIA H100 80GB HBM3", gpu.Name);
        Assert.Equal(81559L * 1024 * 1024, gpu.MemoryBytes);
    }

    [Fact]
    public void A_real_H100_should_take_a_79GB_trial_but_not_an_80GB_one()
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Placement", "Fixtures", "h100-noheader-nounits.csv"));
        var node = new NodeCapacity("gpu-node", NvidiaSmiParser.Parse(text), cpuSlots: 16);
        const long GiB = 1024L * 1024 * 1024;

        var fits = PlacementRule.Decide(new PlacementRequest(1, 79 * GiB), [node], SlotLedger.Empty, PlacementOptions.Cluster);
        var tooBig = PlacementRule.Decide(new PlacementRequest(1, 80 * GiB), [node], SlotLedger.Empty, PlacementOptions.Cluster);

        Assert.Equal([0], Assert.IsType<Placed>(fits).GpuIndices.ToArray());
        Assert.Contains("79.65 GB", Assert.IsType<Impossible>(tooBig).Error);
    }
}
