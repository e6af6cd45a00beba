using System.Globalization;
using System.IO.Compression;
using HyperDrive.Core.Sampling;

namespace HyperDrive.Core.Tests.Sampling;

public sealed class SobolSequenceTests
{
    private const int FixturePoints = 1024;

    /// <summary>scipy.stats.qmc.Sobol(d=64, scramble=False).random(1024) as 32-bit integers (scripts/generate-sobol-fixture.py).</summary>
    private static uint[][] ScipyFixture()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Sampling", "Fixtures", "sobol-64d-1024.txt.gz");
        using var reader = new StreamReader(new GZipStream(File.OpenRead(path), CompressionMode.Decompress));
        var provenance = reader.ReadLine()!;
        Assert.StartsWith("# scipy.stats.qmc.Sobol(d=64, scramble=False).random(1024)", provenance);
        var rows = new List<uint[]>();
        while (reader.ReadLine() is { Length: > 0 } line)
        {
            rows.Add([.. line.Split(' ').Select(h => uint.Parse(h, NumberStyles.HexNumber, CultureInfo.InvariantCulture))]);
        }

        return [.. rows];
    }

    [Fact]
    public void Unscrambled_sequence_should_equal_scipy_in_every_coordinate_when_generating_the_first_1024_points()
    {
        var expected = ScipyFixture();
        var sequence = SobolSequence.Unscrambled(SobolSequence.MaxDimensions);

        Assert.Equal(FixturePoints, expected.Length);
        Assert.Equal(64, SobolSequence.MaxDimensions);
        for (var i = 0; i < FixturePoints; i++)
        {
            Assert.Equal(expected[i], sequence.PointBits(i));
        }
    }

    [Fact]
    public void Unscrambled_sequence_should_not_depend_on_the_dimension_count_when_fewer_dimensions_are_asked()
    {
        var expected = ScipyFixture();
        var sequence = SobolSequence.Unscrambled(40);

        Assert.Equal(expected[777][..40], sequence.PointBits(777));
    }

    [Fact]
    public void Unscrambled_point_should_be_k_over_2_to_the_32_when_read_as_doubles()
    {
        var sequence = SobolSequence.Unscrambled(3);

        Assert.Equal([0.0, 0.0, 0.0], sequence.Point(0));
        Assert.Equal([0.5, 0.5, 0.5], sequence.Point(1));
        Assert.Equal([0.75, 0.25, 0.25], sequence.Point(2));
    }

    [Fact]
    public void Scrambled_sequence_should_keep_one_point_per_elementary_interval_when_taking_the_first_power_of_two_points()
    {
        // Linear matrix scramble + digital shift keep the (0, m, 1)-net property of each coordinate:
        // the first 2^m points put exactly one point in each interval [k/2^m, (k+1)/2^m).
        var sequence = SobolSequence.Scrambled(SobolSequence.MaxDimensions, seed: 99);
        const int m = 8;
        var points = Enumerable.Range(0, 1 << m).Select(i => sequence.PointBits(i)).ToList();

        for (var d = 0; d < sequence.Dimensions; d++)
        {
            var cells = points.Select(p => p[d] >> (32 - m)).Distinct().Count();
            Assert.Equal(1 << m, cells);
        }
    }

    [Fact]
    public void Scrambled_sequence_should_be_the_same_when_the_seed_is_the_same_and_differ_when_it_differs()
    {
        var a = SobolSequence.Scrambled(10, 5);
        var b = SobolSequence.Scrambled(10, 5);
        var c = SobolSequence.Scrambled(10, 6);
        var plain = SobolSequence.Unscrambled(10);

        Assert.Equal(a.PointBits(37), b.PointBits(37));
        Assert.NotEqual(a.PointBits(37), c.PointBits(37));
        Assert.NotEqual(a.PointBits(0), plain.PointBits(0));
    }

    [Fact]
    public void Scrambled_dimension_should_not_change_when_more_dimensions_are_added()
    {
        var small = SobolSequence.Scrambled(3, 5);
        var large = SobolSequence.Scrambled(30, 5);

        Assert.Equal(small.PointBits(12), large.PointBits(12)[..3]);
    }

    [Fact]
    public void Sequence_should_refuse_more_dimensions_than_the_table_holds()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SobolSequence.Unscrambled(SobolSequence.MaxDimensions + 1));
    }
}
