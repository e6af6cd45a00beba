using HyperDrive.Core.Placement;

namespace HyperDrive.Core.Tests.Placement;

public sealed class NvidiaSmiParserTests
{
    private const long MiB = 1L << 20;

    [Fact]
    public void Parse_should_read_index_name_and_memory_in_MiB_when_given_nvidia_smi_csv()
    {
        var gpus = NvidiaSmiParser.Parse("0, NVIDIA H100 80GB HBM3, 81559\n1, NVIDIA H100 80GB HBM3, 81559\n");

        Assert.Equal(
            [new GpuDevice(0, "NVIDIA H100 80GB HBM3", 81559 * MiB), new GpuDevice(1, "NVIDIA H100 80GB HBM3", 81559 * MiB)],
            gpus.ToArray());
    }

    [Theory]
    [InlineData("\r\n0, Tesla T4, 15360\r\n\r\n1, Tesla T4, 15360\r\n")]
    [InlineData("   0 ,   Tesla T4 ,   15360   \n\n\t1,Tesla T4,15360")]
    [InlineData("1, Tesla T4, 15360\n0, Tesla T4, 15360")]
    [InlineData("index, name, memory.total [MiB]\n0, Tesla T4, 15360 MiB\n1, Tesla T4, 15360 MiB")]
    public void Parse_should_tolerate_blank_lines_spaces_crlf_order_header_and_units(string text)
    {
        var gpus = NvidiaSmiParser.Parse(text);

        Assert.Equal([0, 1], gpus.Select(g => g.Index));
        Assert.All(gpus, g => Assert.Equal(("Tesla T4", 15360 * MiB), (g.Name, g.MemoryBytes)));
    }

    [Theory]
    [InlineData("[N/A]")]
    [InlineData("N/A")]
    public void Parse_should_keep_a_gpu_with_unknown_memory_when_memory_is_not_available(string memory)
    {
        var gpu = Assert.Single(NvidiaSmiParser.Parse($"0, NVIDIA GH200 480GB, {memory}"));

        Assert.Equal(new GpuDevice(0, "NVIDIA GH200 480GB", null), gpu);
    }

    [Fact]
    public void Parse_should_return_no_gpu_when_the_output_is_empty()
    {
        Assert.Empty(NvidiaSmiParser.Parse(""));
        Assert.Empty(NvidiaSmiParser.Parse("\r\n \n"));
    }

    [Theory]
    [InlineData("NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.", 1)]
    [InlineData("0, Tesla T4, 15360\nx, Tesla T4, 15360", 2)]
    [InlineData("0, Tesla T4, lots", 1)]
    [InlineData("0, Tesla T4, -5", 1)]
    [InlineData("0, , 15360", 1)]
    [InlineData("0, Tesla T4, 15360\n0, Tesla T4, 15360", 2)]
    [InlineData("0, Tesla T4, 99999999999999999999999", 1)]
    public void Parse_should_throw_a_named_error_naming_the_line_when_a_line_is_not_a_gpu(string text, int badLine)
    {
        var error = Assert.Throws<NvidiaSmiFormatException>(() => NvidiaSmiParser.Parse(text));

        var line = Assert.Single(error.Lines);
        Assert.StartsWith($"line {badLine} \"", line);
        Assert.Contains(line, error.Message);
        Assert.False(NvidiaSmiParser.TryParse(text, out var gpus, out _));
        Assert.Empty(gpus);
    }

    [Fact]
    public void Parse_should_feed_a_node_capacity_that_places_on_the_parsed_indices()
    {
        var node = new NodeCapacity("w1", NvidiaSmiParser.Parse("2, A, 24576\n5, B, 81920\n"), cpuSlots: 4);

        var decision = PlacementRule.Decide(new PlacementRequest(1, 40L << 30), [node], SlotLedger.Empty, PlacementOptions.Cluster);

        Assert.Equal("5", Assert.IsType<Placed>(decision).LeaseFor(new TrialKey("s", 1, 1)).CudaVisibleDevices);
    }
}
