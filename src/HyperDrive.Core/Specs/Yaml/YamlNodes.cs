using System.Globalization;
using System.Text.RegularExpressions;
using HyperDrive.Core.Parameters;

namespace HyperDrive.Core.Specs.Yaml;

/// <summary>A node of a sweep file, with its position. Built by <see cref="YamlTreeBuilder"/>; aliases share nodes.</summary>
internal abstract class YNode
{
    protected YNode(int line, int column)
    {
        Line = line;
        Column = column;
    }

    public int Line { get; }

    public int Column { get; }

    /// <summary>Nodes in this subtree, aliases expanded (saturating).</summary>
    public long Size { get; set; } = 1;

    /// <summary>Levels below this node, aliases expanded.</summary>
    public int Height { get; set; }

    public abstract string Describe();
}

internal sealed partial class YScalar : YNode
{
    public YScalar(string value, bool plain, string? tag, int line, int column)
        : base(line, column)
    {
        Value = value;
        Plain = plain;
        Tag = tag;
    }

    public string Value { get; }

    /// <summary>True for an unquoted scalar: only those resolve to null, booleans and numbers.</summary>
    public bool Plain { get; }

    public string? Tag { get; }

    private bool IsStringTagged => Tag is "tag:yaml.org,2002:str" or "!!str";

    public bool IsNull => Plain && !IsStringTagged && Value is "" or "~" or "null" or "Null" or "NULL";

    public bool? AsBool() => Plain && !IsStringTagged
        ? Value switch
        {
            "true" or "True" or "TRUE" => true,
            "false" or "False" or "FALSE" => false,
            _ => null,
        }
        : null;

    public long? AsInteger()
    {
        if (!Plain || IsStringTagged)
        {
            return null;
        }

        var text = Value.Replace("_", "", StringComparison.Ordinal);
        if (IntegerPattern().IsMatch(text)
            && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v))
        {
            return v;
        }

        if (text.StartsWith("0x", StringComparison.Ordinal)
            && long.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex))
        {
            return hex;
        }

        return null;
    }

    public double? AsDouble()
    {
        if (!Plain || IsStringTagged)
        {
            return null;
        }

        if (AsInteger() is { } i)
        {
            return i;
        }

        switch (Value)
        {
            case ".inf" or ".Inf" or ".INF" or "+.inf" or "+.Inf" or "+.INF":
                return double.PositiveInfinity;
            case "-.inf" or "-.Inf" or "-.INF":
                return double.NegativeInfinity;
            case ".nan" or ".NaN" or ".NAN":
                return double.NaN;
        }

        return FloatPattern().IsMatch(Value)
            && double.TryParse(Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
            ? d
            : null;
    }

    /// <summary>The value with YAML 1.2 core-schema typing: null, bool, int, float, else text.</summary>
    public ParameterValue ToValue()
    {
        if (IsNull)
        {
            return NullValue.Instance;
        }

        if (AsBool() is { } b)
        {
            return new BooleanValue(b);
        }

        if (AsInteger() is { } i)
        {
            return new IntegerValue(i);
        }

        if (AsDouble() is { } d)
        {
            return new RealValue(d);
        }

        return new TextValue(Value);
    }

    public override string Describe() => IsNull ? "null" : "'" + Shorten(Value) + "'";

    internal static string Shorten(string text) => text.Length <= 60 ? text : text[..57] + "...";

    [GeneratedRegex(@"^[-+]?[0-9]+$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();
}

internal sealed class YSequence : YNode
{
    public YSequence(int line, int column)
        : base(line, column)
    {
    }

    public List<YNode> Items { get; } = [];

    public override string Describe() => "a list";
}

internal sealed class YMapping : YNode
{
    public YMapping(int line, int column)
        : base(line, column)
    {
    }

    public List<KeyValuePair<YScalar, YNode>> Entries { get; } = [];

    public YNode? this[string key] => Entries.FirstOrDefault(e => e.Key.Value == key).Value;

    public override string Describe() => "a mapping";
}
