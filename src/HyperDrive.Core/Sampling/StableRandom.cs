namespace HyperDrive.Core.Sampling;

/// <summary>
/// xoshiro256** seeded through SplitMix64: a generator whose sequence is fixed by its seed in every process
/// and every .NET version (System.Random's algorithm is an implementation detail). Derives from
/// <see cref="Random"/> so MathNet distributions accept it.
/// </summary>
public sealed class StableRandom : Random
{
    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;

    // base(0): the parameterless base constructor of a derived Random would seed unused state from Random.Shared.
    public StableRandom(ulong seed)
        : base(0)
    {
        var x = seed;
        _s0 = SplitMix64(ref x);
        _s1 = SplitMix64(ref x);
        _s2 = SplitMix64(ref x);
        _s3 = SplitMix64(ref x);
    }

    /// <summary>A generator for one trial of a sweep: the seed mixes the sweep seed and the trial number.</summary>
    public static StableRandom ForTrial(long sweepSeed, int trialNumber, ulong stream = 0) =>
        new(StableHash.Mix((ulong)sweepSeed, (ulong)trialNumber, stream));

    public ulong NextUInt64()
    {
        var result = RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>A double uniform in [0, 1) with 53 random bits.</summary>
    public override double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    protected override double Sample() => NextDouble();

    public override int Next() => (int)(NextUInt64() >> 33);

    public override int Next(int maxValue) => maxValue <= 0 ? 0 : (int)(NextDouble() * maxValue);

    public override int Next(int minValue, int maxValue) =>
        minValue >= maxValue ? minValue : minValue + (int)(NextDouble() * ((long)maxValue - minValue));

    public override long NextInt64() => (long)(NextUInt64() >> 1);

    public override long NextInt64(long maxValue) => maxValue <= 0 ? 0 : (long)(NextUInt64() % (ulong)maxValue);

    public override long NextInt64(long minValue, long maxValue) =>
        minValue >= maxValue ? minValue : minValue + (long)(NextUInt64() % (ulong)(maxValue - minValue));

    /// <summary>A float uniform in [0, 1) with 24 random bits.</summary>
    public override float NextSingle() => (NextUInt64() >> 40) * (1.0f / (1U << 24));

    public override void NextBytes(byte[] buffer) => NextBytes(buffer.AsSpan());

    public override void NextBytes(Span<byte> buffer)
    {
        for (var i = 0; i < buffer.Length; i++)
        {
            buffer[i] = (byte)(NextUInt64() >> 56);
        }
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));

    private static ulong SplitMix64(ref ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        var z = x;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
