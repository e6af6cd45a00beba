using System.Collections.Immutable;
using System.Globalization;
using HyperDrive.Core.Parameters;
using HyperDrive.Core.Specs;

namespace HyperDrive.Core.Sampling;

/// <summary>Reads sampler options from <c>sampling_algorithm</c>; a bad value is an error that names the option and the value.</summary>
internal static class OptionReader
{
    public static int? Integer(ParameterValue value, string path, int minimum, ImmutableArray<SpecDiagnostic>.Builder errors)
    {
        var parsed = value switch
        {
            IntegerValue i => i.Value,
            RealValue r when r.Value == Math.Floor(r.Value) && Math.Abs(r.Value) < int.MaxValue => (long)r.Value,
            TextValue t when long.TryParse(t.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) => l,
            _ => (long?)null,
        };
        if (parsed is null || parsed < minimum || parsed > int.MaxValue)
        {
            errors.Add(SpecDiagnostic.Error(path, $"{Name(path)} expects an integer >= {minimum}, got {value.ToInvariantString()}"));
            return null;
        }

        return (int)parsed;
    }

    public static double? Number(ParameterValue value, string path, ImmutableArray<SpecDiagnostic>.Builder errors)
    {
        var parsed = value switch
        {
            TextValue t when double.TryParse(t.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
            TextValue => null,
            _ => value.AsDouble(),
        };
        if (parsed is null || double.IsNaN(parsed.Value))
        {
            errors.Add(SpecDiagnostic.Error(path, $"{Name(path)} expects a number, got {value.ToInvariantString()}"));
            return null;
        }

        return parsed;
    }

    /// <summary>A number that <paramref name="valid"/> accepts; otherwise an error "name expects <paramref name="expects"/>, got value".</summary>
    public static double? Number(
        ParameterValue value, string path, Func<double, bool> valid, string expects, ImmutableArray<SpecDiagnostic>.Builder errors)
    {
        var parsed = Number(value, path, errors);
        if (parsed is { } number && !valid(number))
        {
            errors.Add(SpecDiagnostic.Error(path, $"{Name(path)} expects {expects}, got {value.ToInvariantString()}"));
            return null;
        }

        return parsed;
    }

    public static bool? Boolean(ParameterValue value, string path, ImmutableArray<SpecDiagnostic>.Builder errors)
    {
        switch (value)
        {
            case BooleanValue b:
                return b.Value;
            case TextValue t when bool.TryParse(t.Value, out var parsed):
                return parsed;
            default:
                errors.Add(SpecDiagnostic.Error(path, $"{Name(path)} expects true or false, got {value.ToInvariantString()}"));
                return null;
        }
    }

    private static string Name(string path) => path[(path.LastIndexOf('.') + 1)..];
}
