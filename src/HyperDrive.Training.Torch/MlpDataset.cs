using System.Globalization;
using System.IO.Compression;

namespace HyperDrive.Training.Torch;

/// <summary>
/// A classification data set split into train and test rows: row i (0-based, in file order) is a test row when
/// i % 5 == 4, a training row otherwise (the shared digits convention, used for a user's CSV too). Features are
/// float32, row-major. Digits: pixel / 16. A user's CSV: each feature scaled to zero mean and unit variance with the
/// training rows' mean and (population) standard deviation; its label values become classes 0..k-1 in sorted order.
/// </summary>
public sealed class MlpDataset
{
    public const string DigitsFileName = "digits.csv.gz";

    private MlpDataset(string source, IReadOnlyList<string> features, IReadOnlyList<string> classes, float[][] rows, long[] labels, string scaling, double[]? means, double[]? scales)
    {
        Source = source;
        FeatureNames = features;
        ClassNames = classes;
        Scaling = scaling;
        Means = means;
        Scales = scales;
        var train = Enumerable.Range(0, rows.Length).Where(i => i % 5 != 4).ToArray();
        var test = Enumerable.Range(0, rows.Length).Where(i => i % 5 == 4).ToArray();
        TrainX = Flatten(rows, train);
        TrainY = train.Select(i => labels[i]).ToArray();
        TestX = Flatten(rows, test);
        TestY = test.Select(i => labels[i]).ToArray();
    }

    /// <summary>The bundled digits: beside the trainer, data/digits/digits.csv.gz.</summary>
    public static string DefaultDigitsPath => Path.Combine(AppContext.BaseDirectory, "data", "digits", DigitsFileName);

    public string Source { get; }

    public IReadOnlyList<string> FeatureNames { get; }

    public IReadOnlyList<string> ClassNames { get; }

    public int FeatureCount => FeatureNames.Count;

    public int ClassCount => ClassNames.Count;

    /// <summary><c>divide_by_16</c> (digits) or <c>zscore</c> (a user's CSV; <see cref="Means"/> and <see cref="Scales"/>).</summary>
    public string Scaling { get; }

    public double[]? Means { get; }

    public double[]? Scales { get; }

    public float[] TrainX { get; }

    public long[] TrainY { get; }

    public float[] TestX { get; }

    public long[] TestY { get; }

    public int TrainRows => TrainY.Length;

    public int TestRows => TestY.Length;

    /// <summary>digits.csv.gz: no header, 64 pixels 0..16 then the label 0..9 on each line.</summary>
    public static MlpDataset LoadDigits(string path)
    {
        if (!File.Exists(path))
        {
            throw new MlpInputException($"the digits data was not found at {path}");
        }

        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        var rows = new List<float[]>();
        var labels = new List<long>();
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            var cells = line.Split(',');
            if (cells.Length != 65)
            {
                throw new MlpInputException($"{path}: line {lineNumber} has {cells.Length} values, expected 65 (64 pixels and the label)");
            }

            rows.Add(cells.Take(64).Select(c => (float)(Parse(c, path, lineNumber) / 16.0)).ToArray());
            labels.Add((long)Parse(cells[64], path, lineNumber));
        }

        var features = Enumerable.Range(0, 64).Select(i => string.Create(CultureInfo.InvariantCulture, $"pixel_{i}")).ToList();
        var classes = Enumerable.Range(0, 10).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToList();
        if (labels.Any(l => l is < 0 or > 9))
        {
            throw new MlpInputException($"{path}: labels must be 0..9");
        }

        return new MlpDataset(path, features, classes, [.. rows], [.. labels], "divide_by_16", null, null);
    }

    /// <summary>A CSV with a header row; <paramref name="label"/> names the label column, every other column is a numeric feature.</summary>
    public static MlpDataset LoadCsv(string path, string label)
    {
        if (!File.Exists(path))
        {
            throw new MlpInputException($"data = {path}: file not found");
        }

        var lines = File.ReadAllLines(path).Where(l => l.Trim().Length > 0).ToList();
        if (lines.Count < 2)
        {
            throw new MlpInputException($"data = {path}: expected a header row and at least one data row");
        }

        var header = lines[0].Split(',').Select(h => h.Trim().Trim('"')).ToArray();
        var labelIndex = Array.IndexOf(header, label);
        if (labelIndex < 0)
        {
            throw new MlpInputException($"label = {label}: no such column in {path}; columns: {string.Join(", ", header)}");
        }

        var features = header.Where((_, i) => i != labelIndex).ToList();
        if (features.Count == 0)
        {
            throw new MlpInputException($"data = {path}: no feature columns besides the label {label}");
        }

        var raw = new List<double[]>();
        var labelTexts = new List<string>();
        for (var n = 1; n < lines.Count; n++)
        {
            var cells = lines[n].Split(',').Select(c => c.Trim().Trim('"')).ToArray();
            if (cells.Length != header.Length)
            {
                throw new MlpInputException(string.Create(CultureInfo.InvariantCulture, $"{path}: line {n + 1} has {cells.Length} values, the header {header.Length}"));
            }

            labelTexts.Add(cells[labelIndex]);
            raw.Add(cells.Where((_, i) => i != labelIndex).Select(c => Parse(c, path, n + 1)).ToArray());
        }

        // Numeric labels sort as numbers (2 before 10), others as text.
        var distinct = labelTexts.Distinct(StringComparer.Ordinal).ToList();
        var numeric = distinct.All(t => double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out _));
        var classes = numeric
            ? distinct.OrderBy(t => double.Parse(t, NumberStyles.Float, CultureInfo.InvariantCulture)).ToList()
            : distinct.Order(StringComparer.Ordinal).ToList();
        if (classes.Count < 2)
        {
            throw new MlpInputException($"label = {label}: the column has {classes.Count} distinct value(s), a classifier needs at least 2");
        }

        var index = classes.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => (long)p.i, StringComparer.Ordinal);
        var labels = labelTexts.Select(t => index[t]).ToArray();

        var train = Enumerable.Range(0, raw.Count).Where(i => i % 5 != 4).ToList();
        if (train.Count == 0 || train.Count == raw.Count)
        {
            throw new MlpInputException($"data = {path}: {raw.Count} rows are too few for a train/test split (every 5th row is a test row)");
        }

        var means = new double[features.Count];
        var scales = new double[features.Count];
        for (var j = 0; j < features.Count; j++)
        {
            var column = train.Select(i => raw[i][j]).ToArray();
            means[j] = column.Average();
            var sd = Math.Sqrt(column.Select(v => (v - means[j]) * (v - means[j])).Average());
            scales[j] = sd > 0 ? sd : 1;
        }

        var rows = raw.Select(r => r.Select((v, j) => (float)((v - means[j]) / scales[j])).ToArray()).ToArray();
        return new MlpDataset(Path.GetFullPath(path), features, classes, rows, labels, "zscore", means, scales);
    }

    private static float[] Flatten(float[][] rows, int[] indices)
    {
        var width = rows.Length == 0 ? 0 : rows[0].Length;
        var flat = new float[indices.Length * width];
        for (var k = 0; k < indices.Length; k++)
        {
            rows[indices[k]].CopyTo(flat, k * width);
        }

        return flat;
    }

    private static double Parse(string text, string path, int line) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : throw new MlpInputException(string.Create(CultureInfo.InvariantCulture, $"{path}: line {line}: '{text}' is not a number"));
}
