using System.Collections;
using System.Runtime.CompilerServices;

namespace HyperDrive.Core.History;

/// <summary>
/// A trial's primary-metric series: immutable, with the running aggregates the policies ask for at every evaluation
/// (best so far either way, running average, latest value) kept per point, so a question about interval N costs a
/// binary search instead of a scan of the series. NaN reports are kept but carry no value (skipped by every
/// aggregate); infinities are kept, they order correctly.
/// <para>
/// Appending is amortised O(1): views share one growing buffer, and only the newest view writes past its end (a view
/// that is not the newest copies, unless the point it appends is the one already written there — the coordinator's
/// working and durable states apply the same events and so share one buffer). Points below a view's count never
/// change, so a view can be read from any thread once published.
/// </para>
/// </summary>
[CollectionBuilder(typeof(MetricSeries), nameof(Create))]
public sealed class MetricSeries : IReadOnlyList<MetricPoint>, IEquatable<MetricSeries>
{
    public static readonly MetricSeries Empty = new(new Buffer(0), 0);

    private readonly Buffer _buffer;

    private MetricSeries(Buffer buffer, int count)
    {
        _buffer = buffer;
        Count = count;
    }

    public int Count { get; }

    public bool IsEmpty => Count == 0;

    /// <summary>The largest interval with a (non-NaN) value; 0 when there is none.</summary>
    public int ReachedInterval => Count == 0 ? 0 : Math.Max(0, _buffer.Reached[Count - 1]);

    /// <summary>The interval of the last point; 0 when the series is empty.</summary>
    public int LastInterval => Count == 0 ? 0 : _buffer.Points[Count - 1].Interval;

    /// <summary>The last (non-NaN) value reported, whatever its interval; null when there is none.</summary>
    public double? LastValue => Count == 0 || _buffer.LastValid[Count - 1] < 0 ? null : _buffer.Points[_buffer.LastValid[Count - 1]].Value;

    public MetricPoint this[int index] => (uint)index < (uint)Count
        ? _buffer.Points[index]
        : throw new ArgumentOutOfRangeException(nameof(index), index, $"the series has {Count} points");

    public static MetricSeries Create(ReadOnlySpan<MetricPoint> points)
    {
        var series = Empty;
        foreach (var point in points)
        {
            series = series.Add(point);
        }

        return series;
    }

    public MetricSeries Add(MetricPoint point)
    {
        if (Count == 0)
        {
            var fresh = new Buffer(8);
            fresh.Append(point);
            return new MetricSeries(fresh, 1);
        }

        lock (_buffer)
        {
            if (Count == _buffer.Used)
            {
                _buffer.Append(point);
                return new MetricSeries(_buffer, Count + 1);
            }

            if (Count < _buffer.Used && _buffer.Points[Count].SameAs(point))
            {
                return new MetricSeries(_buffer, Count + 1);
            }
        }

        var copy = new Buffer(Math.Max(8, Count * 2));
        for (var i = 0; i < Count; i++)
        {
            copy.Append(_buffer.Points[i]);
        }

        copy.Append(point);
        return new MetricSeries(copy, Count + 1);
    }

    public MetricSeries AddRange(IEnumerable<MetricPoint> points)
    {
        var series = this;
        foreach (var point in points)
        {
            series = series.Add(point);
        }

        return series;
    }

    /// <summary>True when the trial reported a value at <paramref name="interval"/> or later.</summary>
    public bool Reached(int interval) => Count > 0 && _buffer.Reached[Count - 1] != int.MinValue && _buffer.Reached[Count - 1] >= interval;

    /// <summary>The best value reported at intervals up to <paramref name="interval"/> (the first of equals); null when none.</summary>
    public double? BestUpTo(int interval, Goal goal)
    {
        if (!IsSorted)
        {
            return Scan(interval, goal);
        }

        var last = LastAtOrBefore(interval);
        if (last < 0)
        {
            return null;
        }

        var best = goal == Goal.Maximize ? _buffer.Max[last] : _buffer.Min[last];
        return double.IsNaN(best) ? null : best;
    }

    /// <summary>The value at <paramref name="interval"/>, or the latest before it when that interval was skipped; null when none.</summary>
    public double? ValueAt(int interval)
    {
        if (!IsSorted)
        {
            double? value = null;
            var at = int.MinValue;
            for (var i = 0; i < Count; i++)
            {
                var point = _buffer.Points[i];
                if (point.Interval <= interval && point.Interval >= at && !double.IsNaN(point.Value))
                {
                    value = point.Value;
                    at = point.Interval;
                }
            }

            return value;
        }

        var last = LastAtOrBefore(interval);
        var valid = last < 0 ? -1 : _buffer.LastValid[last];
        return valid < 0 ? null : _buffer.Points[valid].Value;
    }

    /// <summary>The mean of the values reported at intervals up to <paramref name="interval"/>; null when none.</summary>
    public double? AverageUpTo(int interval)
    {
        if (!IsSorted)
        {
            var sum = 0.0;
            var count = 0;
            for (var i = 0; i < Count; i++)
            {
                var point = _buffer.Points[i];
                if (point.Interval <= interval && !double.IsNaN(point.Value))
                {
                    sum += point.Value;
                    count++;
                }
            }

            return count == 0 ? null : sum / count;
        }

        var last = LastAtOrBefore(interval);
        return last < 0 || _buffer.ValidCount[last] == 0 ? null : _buffer.Sum[last] / _buffer.ValidCount[last];
    }

    public IEnumerator<MetricPoint> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return _buffer.Points[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public bool Equals(MetricSeries? other)
    {
        if (other is null || other.Count != Count)
        {
            return false;
        }

        for (var i = 0; i < Count; i++)
        {
            if (!this[i].SameAs(other[i]))
            {
                return false;
            }
        }

        return true;
    }

    public override bool Equals(object? obj) => Equals(obj as MetricSeries);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Count);
        if (Count > 0)
        {
            hash.Add(this[Count - 1]);
        }

        return hash.ToHashCode();
    }

    public override string ToString() => $"MetricSeries({Count} points)";

    // Intervals in order (equal ones allowed) up to this view's end: the aggregates answer by position.
    private bool IsSorted => Count <= _buffer.FirstUnsorted;

    /// <summary>The index of the last point with an interval at or before <paramref name="interval"/> (sorted series); −1 when none.</summary>
    private int LastAtOrBefore(int interval)
    {
        int low = 0, high = Count - 1, found = -1;
        while (low <= high)
        {
            var mid = (low + high) >>> 1;
            if (_buffer.Points[mid].Interval <= interval)
            {
                found = mid;
                low = mid + 1;
            }
            else
            {
                high = mid - 1;
            }
        }

        return found;
    }

    private double? Scan(int interval, Goal goal)
    {
        double? best = null;
        for (var i = 0; i < Count; i++)
        {
            var point = _buffer.Points[i];
            if (point.Interval <= interval && !double.IsNaN(point.Value)
                && (best is null || (goal == Goal.Maximize ? point.Value > best.Value : point.Value < best.Value)))
            {
                best = point.Value;
            }
        }

        return best;
    }

    /// <summary>Points and their running aggregates; written only at <see cref="Used"/>, under the buffer's lock.</summary>
    private sealed class Buffer(int capacity)
    {
        public MetricPoint[] Points = new MetricPoint[capacity];
        public double[] Max = new double[capacity];
        public double[] Min = new double[capacity];
        public double[] Sum = new double[capacity];
        public int[] ValidCount = new int[capacity];
        public int[] LastValid = new int[capacity];
        public int[] Reached = new int[capacity];

        public int Used { get; private set; }

        public int Capacity => Points.Length;

        public int FirstUnsorted { get; private set; } = int.MaxValue;

        public void Append(MetricPoint point)
        {
            if (Used == Capacity)
            {
                Grow();
            }

            var i = Used;
            var valid = !double.IsNaN(point.Value);
            var previous = i - 1;
            if (previous >= 0 && point.Interval < Points[previous].Interval && FirstUnsorted == int.MaxValue)
            {
                FirstUnsorted = i;
            }

            Points[i] = point;
            var max = previous < 0 ? double.NaN : Max[previous];
            var min = previous < 0 ? double.NaN : Min[previous];
            Max[i] = valid && (double.IsNaN(max) || point.Value > max) ? point.Value : max;
            Min[i] = valid && (double.IsNaN(min) || point.Value < min) ? point.Value : min;
            Sum[i] = (previous < 0 ? 0 : Sum[previous]) + (valid ? point.Value : 0);
            ValidCount[i] = (previous < 0 ? 0 : ValidCount[previous]) + (valid ? 1 : 0);
            LastValid[i] = valid ? i : previous < 0 ? -1 : LastValid[previous];
            var reached = previous < 0 ? int.MinValue : Reached[previous];
            Reached[i] = valid && point.Interval > reached ? point.Interval : reached;
            Used = i + 1;
        }

        private void Grow()
        {
            var size = Math.Max(8, Capacity * 2);
            Array.Resize(ref Points, size);
            Array.Resize(ref Max, size);
            Array.Resize(ref Min, size);
            Array.Resize(ref Sum, size);
            Array.Resize(ref ValidCount, size);
            Array.Resize(ref LastValid, size);
            Array.Resize(ref Reached, size);
        }
    }
}

internal static class MetricPointComparison
{
    /// <summary>Bit-for-bit equality (so −0 and 0, or two NaNs of different payloads, are told apart).</summary>
    public static bool SameAs(this MetricPoint a, MetricPoint b) =>
        a.Interval == b.Interval && BitConverter.DoubleToInt64Bits(a.Value) == BitConverter.DoubleToInt64Bits(b.Value);
}
