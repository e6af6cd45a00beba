using System.Numerics;

namespace HyperDrive.Core.Sampling;

/// <summary>
/// A Sobol low-discrepancy sequence (Joe–Kuo direction numbers, gray-code order, 32-bit digits), computed
/// point by point: point <c>i</c> is the XOR of the direction numbers at the set bits of gray(i) = i ^ (i >> 1),
/// which is the order SciPy's <c>qmc.Sobol</c> draws in, so the unscrambled points equal SciPy's.
/// Scrambling is SciPy's kind: a random lower-triangular binary matrix per dimension applied to the direction
/// numbers (linear matrix scramble), then a random digital shift, both drawn from the seed.
/// </summary>
public sealed class SobolSequence
{
    private readonly uint[][] _directions;
    private readonly uint[] _shifts;

    private SobolSequence(uint[][] directions, uint[] shifts)
    {
        _directions = directions;
        _shifts = shifts;
    }

    /// <summary>The most dimensions the embedded direction-number table holds.</summary>
    public static int MaxDimensions => SobolDirectionNumbers.Dimensions;

    public int Dimensions => _directions.Length;

    public static SobolSequence Unscrambled(int dimensions)
    {
        Check(dimensions);
        var directions = new uint[dimensions][];
        for (var d = 0; d < dimensions; d++)
        {
            directions[d] = SobolDirectionNumbers.Of(d);
        }

        return new SobolSequence(directions, new uint[dimensions]);
    }

    /// <summary>
    /// A scrambled sequence. Each dimension's scramble comes from the seed and the dimension's index alone,
    /// so adding a dimension never changes the others.
    /// </summary>
    public static SobolSequence Scrambled(int dimensions, long seed)
    {
        Check(dimensions);
        var directions = new uint[dimensions][];
        var shifts = new uint[dimensions];
        for (var d = 0; d < dimensions; d++)
        {
            var random = new StableRandom(StableHash.Mix((ulong)seed, ScrambleStream, (ulong)d));
            directions[d] = Scramble(SobolDirectionNumbers.Of(d), random);
            shifts[d] = (uint)(random.NextUInt64() >> 32);
        }

        return new SobolSequence(directions, shifts);
    }

    /// <summary>The coordinates of point <paramref name="index"/> (0-based; point 0 of the unscrambled sequence is all zeros) as 32-bit digits.</summary>
    public uint[] PointBits(long index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(index, uint.MaxValue);
        var gray = (ulong)index ^ ((ulong)index >> 1);
        var point = (uint[])_shifts.Clone();
        while (gray != 0)
        {
            var j = BitOperations.TrailingZeroCount(gray);
            for (var d = 0; d < point.Length; d++)
            {
                point[d] ^= _directions[d][j];
            }

            gray &= gray - 1;
        }

        return point;
    }

    /// <summary>The coordinates of point <paramref name="index"/> in [0, 1): digits / 2^32.</summary>
    public double[] Point(long index) => [.. PointBits(index).Select(b => b / 4294967296.0)];

    private const ulong ScrambleStream = 0x536F626F6C4C4D53UL; // "SobolLMS"

    private static void Check(int dimensions)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(dimensions);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(dimensions, MaxDimensions);
    }

    // Digit i is bit 31 - i (most significant first). Row i of the lower-triangular matrix has a 1 on the
    // diagonal and random digits 0..i-1, so new digit i depends only on digits 0..i: the net property survives.
    private static uint[] Scramble(uint[] directions, StableRandom random)
    {
        var rows = new uint[SobolDirectionNumbers.Bits];
        for (var i = 0; i < rows.Length; i++)
        {
            var diagonal = 1u << (31 - i);
            var above = i == 0 ? 0u : ~((diagonal << 1) - 1);
            rows[i] = diagonal | ((uint)(random.NextUInt64() >> 32) & above);
        }

        var result = new uint[directions.Length];
        for (var j = 0; j < directions.Length; j++)
        {
            uint scrambled = 0;
            for (var i = 0; i < rows.Length; i++)
            {
                scrambled |= (uint)(BitOperations.PopCount(rows[i] & directions[j]) & 1) << (31 - i);
            }

            result[j] = scrambled;
        }

        return result;
    }
}
