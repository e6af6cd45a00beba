using System.Collections.Immutable;
using System.Globalization;
using HyperDrive.Core.Parameters;

namespace HyperDrive.Core.Specs;

/// <summary>
/// Parses the expression-string form of a parameter (<c>loguniform(-9.2, -2.3)</c>, <c>choice('a', "b")</c>,
/// <c>choice(range(0, 100, 10))</c>, <c>randint(10)</c>) into its name and arguments. Numbers without a point or
/// exponent are integers; <c>range(a[, b[, c]])</c> is Python's range, expanded to a list of integers.
/// Throws <see cref="FormatException"/> with a message that names the problem; the reader turns it into an error.
/// </summary>
internal sealed class ExpressionStringParser
{
    private const int MaxRangeLength = 100_000;
    private readonly string _text;
    private int _pos;

    private ExpressionStringParser(string text)
    {
        _text = text;
    }

    /// <summary>True when the text looks like an expression call (<c>word(…</c>), as opposed to a plain constant.</summary>
    public static bool LooksLikeCall(string text) => CallName(text) is not null;

    /// <summary>The name before the opening parenthesis (<c>uniform</c> in <c>uniform(0, 1</c>), or null.</summary>
    public static string? CallName(string text)
    {
        var t = text.Trim();
        var open = t.IndexOf('(', StringComparison.Ordinal);
        if (open <= 0)
        {
            return null;
        }

        var name = t[..open].Trim();
        return name.Length > 0 && (char.IsLetter(name[0]) || name[0] == '_') && name.All(c => char.IsLetterOrDigit(c) || c == '_') ? name : null;
    }

    public static (string Name, ImmutableArray<ParameterValue> Args) Parse(string text)
    {
        var parser = new ExpressionStringParser(text);
        var name = parser.Word();
        if (name.Length == 0)
        {
            throw new FormatException($"'{text}' is not a parameter expression such as uniform(0, 1) or choice(1, 2)");
        }

        var args = parser.Arguments();
        parser.SkipSpace();
        if (parser._pos < text.Length)
        {
            throw new FormatException($"unexpected '{text[parser._pos..]}' after the closing parenthesis");
        }

        return (name, args);
    }

    private ImmutableArray<ParameterValue> Arguments()
    {
        Expect('(');
        var args = ImmutableArray.CreateBuilder<ParameterValue>();
        SkipSpace();
        if (Peek() == ')')
        {
            _pos++;
            return args.ToImmutable();
        }

        while (true)
        {
            args.Add(Value());
            SkipSpace();
            var c = Peek();
            _pos++;
            if (c == ')')
            {
                return args.ToImmutable();
            }

            if (c != ',')
            {
                throw new FormatException(c == '\0' ? "missing ')'" : $"expected ',' or ')' at '{_text[(_pos - 1)..]}'");
            }
        }
    }

    private ParameterValue Value()
    {
        SkipSpace();
        var c = Peek();
        if (c is '\'' or '"')
        {
            return new TextValue(Quoted(c));
        }

        if (c == '[')
        {
            _pos++;
            var items = ImmutableArray.CreateBuilder<ParameterValue>();
            SkipSpace();
            if (Peek() == ']')
            {
                _pos++;
                return new ListValue(items.ToImmutable());
            }

            while (true)
            {
                items.Add(Value());
                SkipSpace();
                var d = Peek();
                _pos++;
                if (d == ']')
                {
                    return new ListValue(items.ToImmutable());
                }

                if (d != ',')
                {
                    throw new FormatException("missing ']'");
                }
            }
        }

        if (char.IsDigit(c) || c is '-' or '+' or '.')
        {
            return Number();
        }

        var word = Word();
        switch (word)
        {
            case "true" or "True":
                return new BooleanValue(true);
            case "false" or "False":
                return new BooleanValue(false);
            case "range":
                return Range(Arguments());
            case "":
                throw new FormatException(c == '\0' ? "missing ')'" : $"unexpected '{c}'");
            default:
                throw new FormatException($"'{word}' is not a number, a quoted string, true/false or range(...)");
        }
    }

    private static ListValue Range(ImmutableArray<ParameterValue> args)
    {
        if (args.Length is < 1 or > 3 || args.Any(a => a is not IntegerValue))
        {
            throw new FormatException("range expects 1 to 3 integer arguments: range(stop), range(start, stop) or range(start, stop, step)");
        }

        var n = args.Select(a => ((IntegerValue)a).Value).ToArray();
        var (start, stop, step) = n.Length switch
        {
            1 => (0L, n[0], 1L),
            2 => (n[0], n[1], 1L),
            _ => (n[0], n[1], n[2]),
        };
        if (step == 0)
        {
            throw new FormatException("range expects a step other than 0");
        }

        var count = step > 0 ? (stop - start + step - 1) / step : (start - stop - step - 1) / -step;
        if (count <= 0)
        {
            throw new FormatException($"range({string.Join(", ", n)}) is empty");
        }

        if (count > MaxRangeLength)
        {
            throw new FormatException($"range({string.Join(", ", n)}) has {count} values, more than {MaxRangeLength}");
        }

        var items = ImmutableArray.CreateBuilder<ParameterValue>((int)count);
        for (var i = 0L; i < count; i++)
        {
            items.Add(new IntegerValue(start + i * step));
        }

        return new ListValue(items.MoveToImmutable());
    }

    private ParameterValue Number()
    {
        var start = _pos;
        if (Peek() is '-' or '+')
        {
            _pos++;
        }

        while (_pos < _text.Length && (char.IsDigit(_text[_pos]) || _text[_pos] == '.'
            || _text[_pos] is 'e' or 'E'
            || (_text[_pos] is '-' or '+' && _text[_pos - 1] is 'e' or 'E')))
        {
            _pos++;
        }

        var token = _text[start.._pos];
        if (long.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i))
        {
            return new IntegerValue(i);
        }

        if (token.Any(char.IsDigit)
            && double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d))
        {
            return new RealValue(d);
        }

        throw new FormatException($"'{token}' is not a number");
    }

    private string Quoted(char quote)
    {
        _pos++;
        var end = _text.IndexOf(quote, _pos);
        if (end < 0)
        {
            throw new FormatException($"missing closing {quote}");
        }

        var value = _text[_pos..end];
        _pos = end + 1;
        return value;
    }

    private string Word()
    {
        SkipSpace();
        var start = _pos;
        while (_pos < _text.Length && (char.IsLetterOrDigit(_text[_pos]) || _text[_pos] == '_'))
        {
            _pos++;
        }

        return _text[start.._pos];
    }

    private void Expect(char c)
    {
        SkipSpace();
        if (Peek() != c)
        {
            throw new FormatException($"expected '{c}'");
        }

        _pos++;
    }

    private char Peek() => _pos < _text.Length ? _text[_pos] : '\0';

    private void SkipSpace()
    {
        while (_pos < _text.Length && char.IsWhiteSpace(_text[_pos]))
        {
            _pos++;
        }
    }
}
