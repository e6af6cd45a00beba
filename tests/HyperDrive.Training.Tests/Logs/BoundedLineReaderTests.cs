using System.Text;
using HyperDrive.Training.Logs;

namespace HyperDrive.Training.Tests.Logs;

public sealed class BoundedLineReaderTests
{
    private static async Task<List<OutputLine>> ReadAll(byte[] bytes, int maxLineBytes, int chunk = int.MaxValue)
    {
        var lines = new List<OutputLine>();
        await foreach (var line in new BoundedLineReader(new ChunkedStream(bytes, chunk), maxLineBytes).ReadLinesAsync())
        {
            lines.Add(line);
        }

        return lines;
    }

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Reader_should_split_lines_whatever_the_read_sizes(int chunk)
    {
        var lines = await ReadAll(Encoding.UTF8.GetBytes("one\r\ntwo\n\nthree é\nlast without newline"), 100, chunk);

        Assert.Equal(["one", "two", "", "three é", "last without newline"], lines.Select(l => l.Text));
        Assert.All(lines, l => Assert.False(l.Truncated));
    }

    [Fact]
    public async Task Reader_should_mark_the_last_complete_line_of_each_read()
    {
        // Reads of 8 bytes: "a\nbb\nccc" | "\nd\neeee\n": a line is last when no later complete line came in its read.
        var lines = await ReadAll(Encoding.UTF8.GetBytes("a\nbb\nccc\nd\neeee\n"), 100, 8);

        Assert.Equal(["a", "bb", "ccc", "d", "eeee"], lines.Select(l => l.Text));
        Assert.Equal([false, true, false, false, true], lines.Select(l => l.Last));
    }

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(7)]
    public async Task Reader_should_cut_a_long_line_and_count_what_it_dropped(int chunk)
    {
        var lines = await ReadAll(Encoding.ASCII.GetBytes(new string('a', 1000) + "\nshort\n" + new string('b', 25)), 10, chunk);

        Assert.Equal(3, lines.Count);
        Assert.Equal(new string('a', 10), lines[0].Text);
        Assert.Equal(990, lines[0].DroppedBytes);
        Assert.Equal("short", lines[1].Text);
        Assert.Equal(new string('b', 10), lines[2].Text);
        Assert.Equal(15, lines[2].DroppedBytes);
    }

    [Fact]
    public async Task Reader_should_replace_invalid_utf8_and_keep_going()
    {
        var lines = await ReadAll([0xff, 0xfe, 0x00, (byte)'x', (byte)'\n', (byte)'o', (byte)'k'], 100);

        Assert.Equal("\uFFFD\uFFFD\0x", lines[0].Text);
        Assert.Equal("ok", lines[1].Text);
    }

    [Fact]
    public async Task Reader_should_read_nothing_from_an_empty_stream()
    {
        Assert.Empty(await ReadAll([], 10));
    }

    /// <summary>Returns at most <c>chunk</c> bytes per read, as a pipe may.</summary>
    private sealed class ChunkedStream(byte[] bytes, int chunk) : MemoryStream(bytes)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);
    }
}
