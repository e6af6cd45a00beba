using System.Collections.Immutable;
using System.Text;

namespace HyperDrive.Training.Commands;

/// <summary>
/// Splits a command line into an argument vector the way a POSIX shell splits words, without any expansion:
/// no variables, no globs, no command substitution, no operators (<c>;</c>, <c>|</c>, <c>&amp;&amp;</c> are plain text).
/// Whitespace separates words; single quotes keep everything literally; double quotes keep everything except the
/// escapes <c>\"</c> <c>\\</c> <c>\$</c> <c>\`</c> (and a backslash-newline, which disappears); outside quotes a
/// backslash makes the next character literal. <c>''</c> and <c>""</c> give an empty argument.
/// </summary>
public static class CommandLineSplitter
{
    public static ImmutableArray<string> Split(string commandLine)
    {
        ArgumentNullException.ThrowIfNull(commandLine);
        var words = ImmutableArray.CreateBuilder<string>();
        var word = new StringBuilder();
        var inWord = false;
        var i = 0;
        while (i < commandLine.Length)
        {
            var c = commandLine[i];
            if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }

                i++;
            }
            else if (c == '\'')
            {
                var end = commandLine.IndexOf('\'', i + 1);
                if (end < 0)
                {
                    throw Unterminated(commandLine, i, "single");
                }

                word.Append(commandLine, i + 1, end - i - 1);
                inWord = true;
                i = end + 1;
            }
            else if (c == '"')
            {
                i = ReadDoubleQuoted(commandLine, i, word);
                inWord = true;
            }
            else if (c == '\\')
            {
                if (i + 1 >= commandLine.Length)
                {
                    throw new TrialCommandException($"command line ends with a lone backslash: {commandLine}");
                }

                // A backslash-newline continues the line, as in a shell.
                if (commandLine[i + 1] != '\n')
                {
                    word.Append(commandLine[i + 1]);
                    inWord = true;
                }

                i += 2;
            }
            else
            {
                word.Append(c);
                inWord = true;
                i++;
            }
        }

        if (inWord)
        {
            words.Add(word.ToString());
        }

        return words.ToImmutable();
    }

    private static int ReadDoubleQuoted(string commandLine, int open, StringBuilder word)
    {
        var i = open + 1;
        while (i < commandLine.Length)
        {
            var c = commandLine[i];
            if (c == '"')
            {
                return i + 1;
            }

            if (c == '\\' && i + 1 < commandLine.Length && commandLine[i + 1] is '"' or '\\' or '$' or '`' or '\n')
            {
                if (commandLine[i + 1] != '\n')
                {
                    word.Append(commandLine[i + 1]);
                }

                i += 2;
            }
            else
            {
                word.Append(c);
                i++;
            }
        }

        throw Unterminated(commandLine, open, "double");
    }

    private static TrialCommandException Unterminated(string commandLine, int position, string kind) =>
        new($"unterminated {kind} quote at position {position + 1} of the command line: {commandLine}");
}
