using System.Globalization;
using HyperDrive.Core.Parameters;

namespace HyperDrive.Cli.Output;

/// <summary>A plain left-aligned text table for terminals and logs (no colours, so it pipes cleanly).</summary>
internal sealed class TextTable
{
    private readonly string[] _headers;
    private readonly List<string[]> _rows = [];

    public TextTable(string[] headers)
    {
        _headers = headers;
    }

    public void AddRow(string[] cells) => _rows.Add(cells);

    public void Write(TextWriter output)
    {
        var widths = _headers.Select((h, i) => Math.Max(h.Length, _rows.Count == 0 ? 0 : _rows.Max(r => r[i].Length))).ToArray();
        output.WriteLine(Line(_headers, widths));
        output.WriteLine(string.Join("  ", widths.Select(w => new string('-', w))));
        foreach (var row in _rows)
        {
            output.WriteLine(Line(row, widths));
        }
    }

    /// <summary>Numbers with up to 6 significant digits; other values as they are.</summary>
    public static string FormatValue(ParameterValue value) => value switch
    {
        RealValue real => real.Value.ToString("G6", CultureInfo.InvariantCulture),
        _ => value.ToInvariantString(),
    };

    private static string Line(string[] cells, int[] widths) =>
        string.Join("  ", cells.Select((c, i) => c.PadRight(widths[i]))).TrimEnd();
}
