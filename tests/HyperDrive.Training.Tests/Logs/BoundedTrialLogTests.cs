using System.Globalization;
using HyperDrive.Training.Logs;

namespace HyperDrive.Training.Tests.Logs;

public sealed class BoundedTrialLogTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "hd-log-" + Guid.NewGuid().ToString("N"));

    private string LogPath => Path.Combine(_folder, "sub", "log.txt");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Log_should_keep_every_line_under_the_limit()
    {
        using (var log = new BoundedTrialLog(LogPath, 10_000))
        {
            log.WriteLine("first");
            log.WriteLine("second");
        }

        Assert.Equal("first\nsecond\n", File.ReadAllText(LogPath));
    }

    [Fact]
    public void Log_should_keep_the_beginning_and_the_real_end_when_over_the_limit()
    {
        const int limit = 2000;
        string tail;
        using (var log = new BoundedTrialLog(LogPath, limit))
        {
            for (var i = 1; i <= 1000; i++)
            {
                log.WriteLine("line " + i.ToString(CultureInfo.InvariantCulture));
            }

            tail = log.Tail();
        }

        var text = File.ReadAllText(LogPath);
        var lines = text.TrimEnd('\n').Split('\n');
        Assert.True(new FileInfo(LogPath).Length <= limit + 100, $"{new FileInfo(LogPath).Length} bytes");
        Assert.Equal("line 1", lines[0]);
        Assert.Equal("line 1000", lines[^1]);
        Assert.Contains(lines, l => l.StartsWith("[hyperdrive] log size limit reached", StringComparison.Ordinal));

        // The lines kept are a prefix and a suffix of the output, in order.
        var numbers = lines.Where(l => l.StartsWith("line ", StringComparison.Ordinal)).Select(l => int.Parse(l[5..], CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(numbers.Order(), numbers);
        Assert.Equal(Enumerable.Range(981, 20).Select(i => "line " + i.ToString(CultureInfo.InvariantCulture)), tail.Split('\n'));
    }

    [Fact]
    public void Log_should_count_existing_content_against_its_budget()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(LogPath)!);
        File.WriteAllText(LogPath, new string('x', 999) + "\n");
        using (var log = new BoundedTrialLog(LogPath, 1000))
        {
            log.WriteLine("new");
        }

        var text = File.ReadAllText(LogPath);
        Assert.StartsWith(new string('x', 999) + "\n", text, StringComparison.Ordinal);
        Assert.EndsWith("new\n", text, StringComparison.Ordinal);
    }
}
