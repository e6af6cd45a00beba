using System.Collections.Immutable;
using System.Globalization;
using System.IO.Compression;
using MathNet.Numerics.LinearAlgebra;

namespace HyperDrive.Training.Builtins.Ridge;

/// <summary>A regression data set as read, before any scaling: one row per example, one column per feature.</summary>
public sealed record RidgeDataset(string Source, ImmutableArray<string> Features, string Label, Matrix<double> X, Vector<double> Y)
{
    /// <summary>The diabetes features in the order of <c>diabetes_data_raw.csv.gz</c>.</summary>
    public static readonly ImmutableArray<string> DiabetesFeatures = ["age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6"];

    /// <summary>
    /// Where the bundled diabetes data lies: HyperDrive.Training copies <c>data/diabetes</c> to its output folder
    /// (and so to every application that references it, installed or published).
    /// </summary>
    public static string DefaultDiabetesFolder => Path.Combine(AppContext.BaseDirectory, "data", "diabetes");

    public int Rows => Y.Count;

    /// <summary>Reads <c>diabetes_data_raw.csv.gz</c> and <c>diabetes_target.csv.gz</c> (scikit-learn's copy) from a folder.</summary>
    public static RidgeDataset LoadDiabetes(string folder)
    {
        var dataFile = Path.Combine(folder, "diabetes_data_raw.csv.gz");
        var targetFile = Path.Combine(folder, "diabetes_target.csv.gz");
        foreach (var file in new[] { dataFile, targetFile })
        {
            if (!File.Exists(file))
            {
                throw new RidgeDataException($"ridge: the bundled diabetes data file {file} is missing");
            }
        }

        var rows = new List<double[]>();
        foreach (var (line, number) in ReadGzipLines(dataFile))
        {
            var cells = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (cells.Length != DiabetesFeatures.Length)
            {
                throw new RidgeDataException($"ridge: {dataFile} line {number} has {cells.Length} values, expected {DiabetesFeatures.Length}");
            }

            rows.Add([.. cells.Select((c, i) => Number(c, dataFile, number, DiabetesFeatures[i]))]);
        }

        var target = ReadGzipLines(targetFile).Select(l => Number(l.Line.Trim(), targetFile, l.Number, "target")).ToArray();
        if (target.Length != rows.Count)
        {
            throw new RidgeDataException($"ridge: {targetFile} has {target.Length} values but {dataFile} has {rows.Count} rows");
        }

        return new RidgeDataset(folder, DiabetesFeatures, "target", Matrix<double>.Build.DenseOfRowArrays(rows), Vector<double>.Build.DenseOfArray(target));
    }

    /// <summary>
    /// Reads a comma-separated file with a header line; <paramref name="label"/> names the target column and every
    /// other column is a numeric feature. Blank lines are skipped.
    /// </summary>
    public static RidgeDataset LoadCsv(string path, string label)
    {
        if (!File.Exists(path))
        {
            throw new RidgeDataException($"ridge: data file {path} does not exist");
        }

        using var reader = new StreamReader(path);
        var number = 0;
        string[]? header = null;
        var labelIndex = -1;
        var rows = new List<double[]>();
        var target = new List<double>();
        while (reader.ReadLine() is { } line)
        {
            number++;
            if (line.Trim().Length == 0)
            {
                continue;
            }

            var cells = line.Split(',').Select(c => c.Trim().Trim('"')).ToArray();
            if (header is null)
            {
                header = cells;
                labelIndex = Array.IndexOf(header, label);
                if (labelIndex < 0)
                {
                    throw new RidgeDataException($"ridge: {path} has no label column '{label}' in its header (columns: {string.Join(", ", header)})");
                }

                if (header.Length < 2)
                {
                    throw new RidgeDataException($"ridge: {path} needs at least one feature column besides the label '{label}'");
                }

                continue;
            }

            if (cells.Length != header.Length)
            {
                throw new RidgeDataException($"ridge: {path} line {number} has {cells.Length} cells, the header has {header.Length}");
            }

            var features = new double[header.Length - 1];
            var k = 0;
            for (var i = 0; i < cells.Length; i++)
            {
                var value = Number(cells[i], path, number, header[i]);
                if (i == labelIndex)
                {
                    target.Add(value);
                }
                else
                {
                    features[k++] = value;
                }
            }

            rows.Add(features);
        }

        if (header is null || rows.Count == 0)
        {
            throw new RidgeDataException($"ridge: {path} has no data rows");
        }

        var names = header.Where((_, i) => i != labelIndex).ToImmutableArray();
        return new RidgeDataset(path, names, label, Matrix<double>.Build.DenseOfRowArrays(rows), Vector<double>.Build.DenseOfEnumerable(target));
    }

    private static double Number(string cell, string file, int line, string column)
    {
        if (double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value))
        {
            return value;
        }

        throw new RidgeDataException($"ridge: {file} line {line}, column '{column}': '{cell}' is not a finite number");
    }

    private static IEnumerable<(string Line, int Number)> ReadGzipLines(string path)
    {
        using var stream = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var reader = new StreamReader(stream);
        var number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            if (line.Trim().Length > 0)
            {
                yield return (line, number);
            }
        }
    }
}
