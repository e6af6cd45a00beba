using System.Diagnostics;
using HyperDrive.Training.Processes;
using HyperDrive.Training.Tests.Support;

namespace HyperDrive.Training.Tests.Processes;

public sealed class ProcessGroupReaperTests
{
    private static Process StartGroup()
    {
        // A leader that ignores nothing and a member that ignores SIGTERM, in a group of their own.
        var start = new ProcessStartInfo("setsid") { UseShellExecute = false, RedirectStandardOutput = true };
        foreach (var argument in new[] { "--", "bash", "-c", "( trap '' TERM; exec sleep 1000 ) & echo $!; exec sleep 1000" })
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start)!;
    }

    [Fact]
    public async Task Reaper_should_stop_a_live_recorded_group()
    {
        using var process = StartGroup();
        var member = int.Parse((await process.StandardOutput.ReadLineAsync())!, System.Globalization.CultureInfo.InvariantCulture);
        var record = new ProcessRecord(process.Id, process.Id, ProcStat.Read(process.Id)!.Value.StartTicks, 1);
        var path = Path.Combine(Path.GetTempPath(), "hd-reaper-" + Guid.NewGuid().ToString("N") + ".json");
        record.Write(path);

        var alive = await ProcessGroupReaper.ReapAsync(path, TimeSpan.FromMilliseconds(200));

        Assert.True(alive);
        Assert.True(process.WaitForExit(5000));
        Assert.False(LiveProcesses.IsRunning(member));
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task Reaper_should_refuse_a_pid_that_now_belongs_to_another_process()
    {
        using var process = StartGroup();
        await process.StandardOutput.ReadLineAsync();
        var real = ProcStat.Read(process.Id)!.Value.StartTicks;
        try
        {
            var recycled = new ProcessRecord(process.Id, process.Id, real + 1, 1);

            Assert.False(ProcessGroupReaper.IsSameProcess(recycled));
            Assert.False(await ProcessGroupReaper.ReapAsync(recycled, TimeSpan.FromMilliseconds(100)));
            Assert.True(LiveProcesses.IsRunning(process.Id));
        }
        finally
        {
            await ProcessGroupReaper.ReapAsync(new ProcessRecord(process.Id, process.Id, real, 1), TimeSpan.FromMilliseconds(100));
        }

        Assert.True(process.WaitForExit(5000));
    }

    [Fact]
    public async Task Reaper_should_report_nothing_alive_for_a_finished_process()
    {
        Assert.False(await ProcessGroupReaper.ReapAsync(new ProcessRecord(int.MaxValue - 1, int.MaxValue - 1, 1, 1), TimeSpan.Zero));
        Assert.False(await ProcessGroupReaper.ReapAsync(Path.Combine(Path.GetTempPath(), "no-such-record.json"), TimeSpan.Zero));
    }

    [Fact]
    public void Record_should_round_trip_through_its_json_file()
    {
        var path = Path.Combine(Path.GetTempPath(), "hd-record-" + Guid.NewGuid().ToString("N") + ".json");
        try
        {
            new ProcessRecord(4242, 4242, 987654321UL, 3).Write(path);

            Assert.Equal("""{"pid":4242,"pgid":4242,"startTicks":987654321,"attempt":3}""", File.ReadAllText(path));
            Assert.Equal(new ProcessRecord(4242, 4242, 987654321UL, 3), ProcessRecord.TryRead(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("1234 (python3) S 1 1234 1234 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 1 0 5555 1000 10", 1234, 'S', 1234, 5555UL)]
    [InlineData("77 (a b) c (d)) Z 1 70 70 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 99 0 0", 77, 'Z', 70, 99UL)]
    public void ProcStat_should_count_fields_after_the_last_parenthesis(string text, int pid, char state, int pgrp, ulong start)
    {
        var stat = ProcStat.Parse(text);

        Assert.Equal(new ProcStat(pid, state, pgrp, start), stat);
    }
}
