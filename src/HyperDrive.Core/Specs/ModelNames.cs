namespace HyperDrive.Core.Specs;

/// <summary>
/// The rule every registered model name follows: letters, digits, <c>-</c>, <c>_</c> and <c>.</c>, at most
/// <see cref="MaxLength"/> characters, not starting with <c>.</c> (so no <c>.</c>, <c>..</c> or hidden folder).
/// A name that passes is one folder under <c>models/</c> and cannot lead out of it.
/// </summary>
public static class ModelNames
{
    public const int MaxLength = 128;

    /// <summary>Why <paramref name="name"/> is not a valid model name, or null when it is.</summary>
    public static string? Problem(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "a model name cannot be empty";
        }

        if (name.Length > MaxLength)
        {
            return $"model name '{name[..32]}…' has {name.Length} characters, more than {MaxLength}";
        }

        if (name[0] == '.')
        {
            return $"model name '{name}' cannot start with '.'";
        }

        var bad = name.FirstOrDefault(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'));
        return bad == default
            ? null
            : $"model name '{name}' contains '{(char.IsControl(bad) ? $"\\u{(int)bad:x4}" : bad.ToString())}'; use letters, digits, '-', '_' and '.'";
    }

    /// <exception cref="ArgumentException">The name breaks the rule; the message says how.</exception>
    public static void Validate(string? name)
    {
        if (Problem(name) is { } problem)
        {
            throw new ArgumentException(problem, nameof(name));
        }
    }
}
