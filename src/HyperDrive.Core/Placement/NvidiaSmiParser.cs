using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace HyperDrive.Core.Placement;

/// <summary>
/// Reads the GPUs a worker announces from the text of
/// <c>nvidia-smi --query-gpu=index,name,memory.total --format=csv,noheader,nounits</c>
/// (<c>0, NVIDIA H100 80GB HBM3, 81559</c>: memory in MiB). Blank lines, spaces, CRLF, a header line and a
/// <c>MiB</c> unit are tolerated; <c>[N/A]</c> memory keeps the GPU with unknown memory. Any other line is an error
/// naming the line: a worker that cannot read its GPUs stops rather than announce a wrong capacity.
/// </summary>
public static class NvidiaSmiParser
{
    private const long MiB = 1L << 20;

    /// <summary>The GPUs, ordered by index.</summary>
    /// <exception cref="NvidiaSmiFormatException">A line is not a GPU, or an index repeats.</exception>
    public static ImmutableArray<GpuDevice> Parse(string csvText) =>
        TryParse(csvText, out var gpus, out var errors) ? gpus : throw new NvidiaSmiFormatException(errors);

    /// <summary>The GPUs, ordered by index, or false with every unreadable line in <paramref name="errors"/>.</summary>
    public static bool TryParse(string? csvText, out ImmutableArray<GpuDevice> gpus, out ImmutableArray<string> errors)
    {
        var found = new List<GpuDevice>();
        var bad = new List<string>();
        var lines = (csvText ?? "").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || (found.Count == 0 && line.StartsWith("index", StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            if (!TryParseLine(line, out var gpu, out var why))
            {
                bad.Add($"line {i + 1} \"{line}\": {why}");
            }
            else if (found.Any(g => g.Index == gpu.Index))
            {
                bad.Add($"line {i + 1} \"{line}\": GPU index {gpu.Index} appears twice");
            }
            else
            {
                found.Add(gpu);
            }
        }

        errors = [.. bad];
        gpus = bad.Count == 0 ? [.. found.OrderBy(g => g.Index)] : [];
        return bad.Count == 0;
    }

    private static bool TryParseLine(string line, [NotNullWhen(true)] out GpuDevice? gpu, out string why)
    {
        gpu = null;
        var fields = line.Split(',').Select(f => f.Trim()).ToArray();
        if (fields.Length < 3)
        {
            why = "expected index, name, memory.total";
            return false;
        }

        // A name never holds a comma in practice; if one does, the fields between the first and the last are the name.
        var name = string.Join(", ", fields[1..^1]);
        if (!int.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            why = $"index \"{fields[0]}\" is not a number";
            return false;
        }

        var memoryText = fields[^1];
        if (memoryText.EndsWith("MiB", StringComparison.OrdinalIgnoreCase))
        {
            memoryText = memoryText[..^3].TrimEnd();
        }

        long? memory;
        if (memoryText.Trim('[', ']').Equals("N/A", StringComparison.OrdinalIgnoreCase))
        {
            memory = null;
        }
        else if (long.TryParse(memoryText, NumberStyles.None, CultureInfo.InvariantCulture, out var mib) && mib is > 0 and < long.MaxValue / MiB)
        {
            memory = mib * MiB;
        }
        else
        {
            why = $"memory.total \"{fields[^1]}\" is not a number of MiB or [N/A]";
            return false;
        }

        if (name.Length == 0)
        {
            why = "the name is empty";
            return false;
        }

        gpu = new GpuDevice(index, name, memory);
        why = "";
        return true;
    }
}
