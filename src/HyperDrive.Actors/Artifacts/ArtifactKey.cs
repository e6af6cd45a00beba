namespace HyperDrive.Actors.Artifacts;

/// <summary>
/// The rules every artifact key follows, whatever the store: a relative path of non-empty segments separated by
/// <c>/</c>, no <c>.</c> or <c>..</c> segment, no backslash, no control character, at most <see cref="MaxLength"/>
/// characters. A key that passes can be joined to any folder without leaving it.
/// </summary>
public static class ArtifactKey
{
    public const int MaxLength = 1024;

    /// <exception cref="ArgumentException">The key breaks a rule; the message names the key and the rule.</exception>
    public static void Validate(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var problem = Problem(key);
        if (problem is not null)
        {
            throw new ArgumentException($"invalid artifact key '{Printable(key)}': {problem}", nameof(key));
        }
    }

    /// <summary>
    /// Checks a folder prefix and returns it in its normal form: <c>""</c>, or the folder with one trailing <c>/</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The prefix (without its trailing slash) is not a valid key.</exception>
    public static string NormalizePrefix(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        if (prefix.Length == 0)
        {
            return prefix;
        }

        var folder = prefix.EndsWith('/') ? prefix[..^1] : prefix;
        var problem = Problem(folder);
        if (problem is not null)
        {
            throw new ArgumentException($"invalid artifact prefix '{Printable(prefix)}': {problem}", nameof(prefix));
        }

        return folder + "/";
    }

    /// <summary>Whether <paramref name="key"/> follows the rules.</summary>
    public static bool IsValid(string key) => key is not null && Problem(key) is null;

    private static string? Problem(string key)
    {
        if (key.Length == 0)
        {
            return "it is empty";
        }

        if (key.Length > MaxLength)
        {
            return $"it has {key.Length} characters, more than {MaxLength}";
        }

        foreach (var c in key)
        {
            if (char.IsControl(c))
            {
                return $"it contains the control character U+{(int)c:X4}";
            }

            if (c == '\\')
            {
                return "it contains a backslash (separate folders with '/')";
            }
        }

        if (key[0] == '/' || (key.Length >= 2 && char.IsAsciiLetter(key[0]) && key[1] == ':'))
        {
            return "it is an absolute path (keys are relative)";
        }

        foreach (var segment in key.Split('/'))
        {
            switch (segment)
            {
                case "":
                    return "it has an empty segment (a leading, trailing or doubled '/')";
                case "." or "..":
                    return $"it has a '{segment}' segment";
            }
        }

        return null;
    }

    private static string Printable(string key)
    {
        var shown = key.Length > 120 ? key[..120] + "…" : key;
        return string.Concat(shown.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));
    }
}
