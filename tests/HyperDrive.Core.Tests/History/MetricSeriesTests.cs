using HyperDrive.Core.History;

namespace HyperDrive.Core.Tests.History;

public sealed class MetricSeriesTests
{
    public static TheoryData<int, bool> Cases() => new()
    {
        { 1, true }, { 2, true }, { 3, true }, { 4, false }, { 5, false }, { 6, false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Aggregates_should_equal_a_scan_of_the_points_when_series_are_random(int seed, bool sorted)
    {
        var random = new Random(seed);
        for (var round = 0; round < 40; round++)
        {
            var points = RandomPoints(random, random.Next(0, 60), sorted);
            var series = MetricSeries.Empty;
            for (var i = 0; i < points.Count; i++)
            {
                series = series.Add(points[i]);
                var prefix = points.Take(i + 1).ToList();
                for (var interval = -1; interval <= 25; interval++)
                {
                    Assert.Equal(NaiveBest(prefix, interval, Goal.Maximize), series.BestUpTo(interval, Goal.Maximize));
                    Assert.Equal(NaiveBest(prefix, interval, Goal.Minimize), series.BestUpTo(interval, Goal.Minimize));
                    Assert.Equal(NaiveValueAt(prefix, interval), series.ValueAt(interval));
                    Assert.Equal(NaiveAverage(prefix, interval), series.AverageUpTo(interval));
                    Assert.Equal(prefix.Any(p => p.Interval >= interval && !double.IsNaN(p.Value)), series.Reached(interval));
                }

                var valid = prefix.Where(p => !double.IsNaN(p.Value)).ToList();
                Assert.Equal(valid.Count == 0 ? null : valid[^1].Value, series.LastValue);
            }

            Assert.Equal(points, series.ToList());
        }
    }

    [Fact]
    public void Add_should_leave_earlier_views_unchanged_when_two_views_branch_from_one()
    {
        var common = MetricSeries.Empty.Add(new MetricPoint(1, 1.0)).Add(new MetricPoint(2, 5.0));
        var left = common.Add(new MetricPoint(3, 9.0));
        var right = common.Add(new MetricPoint(3, -4.0)).Add(new MetricPoint(4, -8.0));
        var leftLonger = left.Add(new MetricPoint(4, 10.0));

        Assert.Equal([1.0, 5.0], common.Select(p => p.Value));
        Assert.Equal([1.0, 5.0, 9.0], left.Select(p => p.Value));
        Assert.Equal([1.0, 5.0, -4.0, -8.0], right.Select(p => p.Value));
        Assert.Equal([1.0, 5.0, 9.0, 10.0], leftLonger.Select(p => p.Value));
        Assert.Equal(9.0, left.BestUpTo(10, Goal.Maximize));
        Assert.Equal(-8.0, right.BestUpTo(10, Goal.Minimize));
        Assert.Equal(5.0, right.BestUpTo(10, Goal.Maximize));
    }

    [Fact]
    public void Add_should_share_the_buffer_when_a_second_view_appends_the_same_points()
    {
        var working = MetricSeries.Empty;
        var durable = MetricSeries.Empty;
        var first = new MetricPoint(1, 0.5);
        working = working.Add(first).Add(new MetricPoint(2, 0.25));
        durable = durable.Add(first);

        // The durable state appends what the working state already holds: equal, and a different point is not taken for it.
        var caughtUp = durable.Add(new MetricPoint(2, 0.25));
        var diverged = durable.Add(new MetricPoint(2, -0.0));

        Assert.Equal(working, caughtUp);
        Assert.NotEqual(working, diverged);
        Assert.Equal(-0.0, diverged[1].Value);
        Assert.True(double.IsNegative(diverged[1].Value));
    }

    [Fact]
    public void Collection_expressions_should_build_a_series()
    {
        MetricSeries series = [new MetricPoint(1, 2.0), new MetricPoint(2, double.NaN), new MetricPoint(3, 1.0)];

        Assert.Equal(3, series.Count);
        Assert.Equal(2.0, series.ValueAt(2));
        Assert.Equal(1.5, series.AverageUpTo(3));
        Assert.Equal(3, series.ReachedInterval);
        Assert.Throws<ArgumentOutOfRangeException>(() => series[3]);
    }

    private static List<MetricPoint> RandomPoints(Random random, int count, bool sorted)
    {
        var points = new List<MetricPoint>();
        var interval = 1;
        for (var i = 0; i < count; i++)
        {
            interval = sorted ? interval + random.Next(0, 3) : random.Next(-1, 22);
            var value = random.Next(10) switch
            {
                0 => double.NaN,
                1 => random.Next(2) == 0 ? double.PositiveInfinity : double.NegativeInfinity,
                2 => -0.0,
                _ => Math.Round((random.NextDouble() * 10) - 5, 2),
            };
            points.Add(new MetricPoint(interval, value));
        }

        return points;
    }

    // The scans the policies used before the series kept aggregates.
    private static double? NaiveBest(List<MetricPoint> points, int interval, Goal goal)
    {
        var objective = new Objective("m", goal);
        double? best = null;
        foreach (var point in points)
        {
            if (point.Interval <= interval && !double.IsNaN(point.Value) && (best is null || objective.IsBetter(point.Value, best.Value)))
            {
                best = point.Value;
            }
        }

        return best;
    }

    private static double? NaiveValueAt(List<MetricPoint> points, int interval)
    {
        double? value = null;
        var at = int.MinValue;
        foreach (var point in points)
        {
            if (point.Interval <= interval && point.Interval >= at && !double.IsNaN(point.Value))
            {
                value = point.Value;
                at = point.Interval;
            }
        }

        return value;
    }

    private static double? NaiveAverage(List<MetricPoint> points, int interval)
    {
        var sum = 0.0;
        var count = 0;
        foreach (var point in points)
        {
            if (point.Interval <= interval && !double.IsNaN(point.Value))
            {
                sum += point.Value;
                count++;
            }
        }

        return count == 0 ? null : sum / count;
    }
}
