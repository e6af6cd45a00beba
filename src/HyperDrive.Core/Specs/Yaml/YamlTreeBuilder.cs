using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace HyperDrive.Core.Specs.Yaml;

/// <summary>
/// Builds a <see cref="YNode"/> tree from YamlDotNet's parser events, iteratively: no recursion, so a file
/// nested 10 000 deep cannot overflow the stack. Depth and the node count (aliases expanded) are capped,
/// so a YAML bomb is refused before it costs memory; aliases share the anchored node. Duplicate keys are
/// reported with their position (the Deserializer would silently keep one value).
/// </summary>
internal static class YamlTreeBuilder
{
    public static YNode? Build(string text, SpecReaderOptions options, List<SpecDiagnostic> diagnostics)
    {
        var builder = new State(options, diagnostics);
        var parser = new Parser(new StringReader(text));
        ParsingEvent? last = null;
        try
        {
            while (parser.MoveNext())
            {
                last = parser.Current!;
                if (!builder.Accept(last))
                {
                    return null;
                }
            }
        }
        catch (YamlException ex)
        {
            diagnostics.Add(SpecDiagnostic.Error("", "YAML syntax error: " + Clean(ex.Message), (int)ex.Start.Line, (int)ex.Start.Column));
            return null;
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or FormatException or OverflowException)
        {
            // YamlDotNet's scanner throws these on some malformed input; the last good event gives the position.
            var line = last is null ? 1 : (int)last.End.Line;
            var column = last is null ? 1 : (int)last.End.Column;
            diagnostics.Add(SpecDiagnostic.Error("", $"YAML syntax error after line {line}, column {column}: the text cannot be parsed", line, column));
            return null;
        }

        if (builder.Errors > 0)
        {
            return null;
        }

        return builder.Root;
    }

    private static string Clean(string message)
    {
        // YamlDotNet prefixes "(Line: 3, Col: 5, Idx: 20) - (Line: …): "; the position is reported separately.
        var cut = message.IndexOf("): ", StringComparison.Ordinal);
        return message.StartsWith("(Line", StringComparison.Ordinal) && cut > 0 ? message[(cut + 3)..] : message;
    }

    private sealed class Frame(YNode node, string path, string? anchor)
    {
        public YNode Node { get; } = node;

        public string Path { get; } = path;

        public string? Anchor { get; } = anchor;

        public YScalar? PendingKey { get; set; }

        public bool SkipValue { get; set; }

        public bool PendingMerge { get; set; }

        public Dictionary<string, int> Seen { get; } = new(StringComparer.Ordinal);

        public List<YNode> Merges { get; } = [];
    }

    private sealed class State(SpecReaderOptions options, List<SpecDiagnostic> diagnostics)
    {
        private readonly Stack<Frame> _stack = new();
        private readonly Dictionary<string, YNode> _anchors = new(StringComparer.Ordinal);
        private long _total;
        private int _documents;

        public YNode? Root { get; private set; }

        public int Errors { get; private set; }

        public bool Accept(ParsingEvent e)
        {
            switch (e)
            {
                case DocumentStart { IsImplicit: var _ }:
                    if (++_documents > 1)
                    {
                        return Fail("", "the file holds more than one YAML document ('---'); a sweep file is one document", e);
                    }

                    return true;
                case Scalar s:
                    var scalar = new YScalar(
                        s.Value, s.Style == ScalarStyle.Plain, s.Tag.IsEmpty || s.Tag.IsNonSpecific ? null : s.Tag.Value,
                        (int)s.Start.Line, (int)s.Start.Column);
                    if (!Count(1, e))
                    {
                        return false;
                    }

                    if (!s.Anchor.IsEmpty)
                    {
                        _anchors[s.Anchor.Value] = scalar;
                    }

                    return Add(scalar, e);
                case SequenceStart ss:
                    return Push(new YSequence((int)ss.Start.Line, (int)ss.Start.Column), ss.Anchor.IsEmpty ? null : ss.Anchor.Value, e);
                case MappingStart ms:
                    return Push(new YMapping((int)ms.Start.Line, (int)ms.Start.Column), ms.Anchor.IsEmpty ? null : ms.Anchor.Value, e);
                case SequenceEnd or MappingEnd:
                    return Pop(e);
                case AnchorAlias alias:
                    if (!_anchors.TryGetValue(alias.Value.Value, out var target))
                    {
                        return Fail(CurrentPath(), $"alias '*{alias.Value.Value}' names no anchor defined before it", e);
                    }

                    if (_stack.Count + target.Height > options.MaxDepth)
                    {
                        return Fail(CurrentPath(), $"nesting deeper than {options.MaxDepth} levels once alias '*{alias.Value.Value}' is expanded", e);
                    }

                    return Count(target.Size, e) && Add(target, e);
                default:
                    return true;
            }
        }

        private string CurrentPath() => _stack.Count == 0 ? "" : _stack.Peek().Path;

        private bool Count(long size, ParsingEvent e)
        {
            _total = _total > long.MaxValue - size ? long.MaxValue : _total + size;
            return _total <= options.MaxNodes
                || Fail(CurrentPath(), $"the file expands to more than {options.MaxNodes} nodes once aliases are expanded (a YAML bomb?)", e);
        }

        private bool Push(YNode node, string? anchor, ParsingEvent e)
        {
            if (!Count(1, e))
            {
                return false;
            }

            if (_stack.Count + 1 > options.MaxDepth)
            {
                return Fail(CurrentPath(), $"nesting deeper than {options.MaxDepth} levels", e);
            }

            _stack.Push(new Frame(node, ChildPath(), anchor));
            return true;
        }

        private string ChildPath()
        {
            if (_stack.Count == 0)
            {
                return "";
            }

            var top = _stack.Peek();
            var prefix = top.Path.Length == 0 ? "" : top.Path + ".";
            return top.Node switch
            {
                YSequence seq => $"{top.Path}[{seq.Items.Count}]",
                _ when top.PendingKey is { } key => prefix + key.Value,
                _ => top.Path,
            };
        }

        private bool Pop(ParsingEvent e)
        {
            var frame = _stack.Pop();
            var node = frame.Node;
            IEnumerable<YNode> children;
            if (node is YMapping map)
            {
                foreach (var source in frame.Merges)
                {
                    foreach (var entry in source is YMapping m ? m.Entries : [])
                    {
                        if (frame.Seen.TryAdd(entry.Key.Value, entry.Key.Line))
                        {
                            map.Entries.Add(entry);
                        }
                    }
                }

                children = map.Entries.Select(en => en.Value);
            }
            else
            {
                children = ((YSequence)node).Items;
            }

            long size = 1;
            var height = 0;
            foreach (var child in children)
            {
                size = size > long.MaxValue - child.Size ? long.MaxValue : size + child.Size;
                height = Math.Max(height, child.Height + 1);
            }

            node.Size = size;
            node.Height = height;
            if (frame.Anchor is not null)
            {
                _anchors[frame.Anchor] = node;
            }

            return Add(node, e);
        }

        private bool Add(YNode node, ParsingEvent e)
        {
            if (_stack.Count == 0)
            {
                Root ??= node;
                return true;
            }

            var top = _stack.Peek();
            if (top.Node is YSequence seq)
            {
                seq.Items.Add(node);
                return true;
            }

            var map = (YMapping)top.Node;
            if (top.PendingKey is null && !top.PendingMerge && !top.SkipValue)
            {
                if (node is not YScalar key)
                {
                    Error(top.Path, "a mapping key must be plain text, not " + node.Describe(), e);
                    top.SkipValue = true;
                    top.PendingKey = new YScalar("?", true, null, node.Line, node.Column);
                    return true;
                }

                if (key.Plain && key.Value == "<<")
                {
                    top.PendingMerge = true;
                    return true;
                }

                if (top.Seen.TryGetValue(key.Value, out var firstLine))
                {
                    var path = top.Path.Length == 0 ? key.Value : top.Path + "." + key.Value;
                    Error(path, $"duplicate key '{key.Value}' (first at line {firstLine})", e);
                    top.SkipValue = true;
                }
                else
                {
                    top.Seen[key.Value] = key.Line;
                }

                top.PendingKey = key;
                return true;
            }

            if (top.PendingMerge)
            {
                top.PendingMerge = false;
                if (node is YSequence sources)
                {
                    top.Merges.AddRange(sources.Items);
                }
                else
                {
                    top.Merges.Add(node);
                }

                return true;
            }

            if (!top.SkipValue)
            {
                map.Entries.Add(KeyValuePair.Create(top.PendingKey!, node));
            }

            top.PendingKey = null;
            top.SkipValue = false;
            return true;
        }

        private void Error(string path, string message, ParsingEvent e)
        {
            Errors++;
            diagnostics.Add(SpecDiagnostic.Error(path, message, (int)e.Start.Line, (int)e.Start.Column));
        }

        private bool Fail(string path, string message, ParsingEvent e)
        {
            Error(path, message, e);
            return false;
        }
    }
}
