using System.Collections.Immutable;
using System.Text.RegularExpressions;
using HyperDrive.Core.Parameters;

namespace HyperDrive.Training.Commands;

/// <summary>
/// Replaces placeholders inside one argument (or one environment value) of a trial command. The text is already a
/// single argument, so whatever a value contains (spaces, quotes, <c>;</c>, <c>$(…)</c>) stays inside it, uninterpreted.
/// <list type="bullet">
/// <item><c>${{search_space.NAME}}</c> (dotted for nested branches) → the value in invariant culture; a whole branch → its JSON.</item>
/// <item><c>${{inputs.NAME}}</c> → the resolved input; <c>${{outputs.NAME}}</c> → OutputDirectory/NAME; <c>${{name}}</c> → the sweep id.</item>
/// </list>
/// Any other <c>${{…}}</c> is an error. The single-brace forms <c>{search_space.x}</c> / <c>${search_space.x}</c> (and
/// inputs/outputs) are accepted too; a single-brace text naming anything else stays literal (it may be a format string).
/// </summary>
public sealed partial class PlaceholderSubstitution
{
    private readonly ParameterSet _parameters;
    private readonly ImmutableDictionary<string, string> _inputs;
    private readonly string _outputDirectory;
    private readonly string _sweepId;
    private readonly HashSet<string> _outputs = new(StringComparer.Ordinal);

    public PlaceholderSubstitution(ParameterSet parameters, ImmutableDictionary<string, string> inputs, string outputDirectory, string sweepId)
    {
        _parameters = parameters;
        _inputs = inputs;
        _outputDirectory = outputDirectory;
        _sweepId = sweepId;
    }

    /// <summary>The <c>outputs.NAME</c> names substituted so far (the runner creates those folders).</summary>
    public IReadOnlyCollection<string> ReferencedOutputs => _outputs;

    /// <exception cref="TrialCommandException">An unknown placeholder, or a name that does not exist.</exception>
    public string Substitute(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.Contains('{', StringComparison.Ordinal))
        {
            return text;
        }

        // One pass: a substituted value is never scanned again, so a value that looks like a placeholder stays as it is.
        return Placeholder().Replace(text, m => m.Groups["expr"].Success
            ? Resolve(m.Groups["expr"].Value, m.Value)
            : Resolve(m.Groups["kind"].Value + "." + m.Groups["name"].Value, m.Value));
    }

    private string Resolve(string expression, string placeholder)
    {
        if (expression == "name")
        {
            return _sweepId;
        }

        var dot = expression.IndexOf('.', StringComparison.Ordinal);
        var kind = dot > 0 ? expression[..dot] : expression;
        var name = dot > 0 ? expression[(dot + 1)..] : string.Empty;
        switch (kind)
        {
            case "search_space" when name.Length > 0:
                return _parameters.Find(name) is { } value
                    ? value.ToInvariantString()
                    : throw new TrialCommandException($"placeholder {placeholder}: the search space has no parameter '{name}'");
            case "inputs" when name.Length > 0:
                return _inputs.TryGetValue(name, out var input)
                    ? input
                    : throw new TrialCommandException($"placeholder {placeholder}: the sweep has no input '{name}'");
            case "outputs" when name.Length > 0:
                if (!OutputName().IsMatch(name))
                {
                    throw new TrialCommandException($"placeholder {placeholder}: '{name}' is not a valid output name (letters, digits, '_' and '-')");
                }

                _outputs.Add(name);
                return Path.Combine(_outputDirectory, name);
            default:
                throw new TrialCommandException(
                    $"unknown placeholder {placeholder}: expected ${{{{search_space.NAME}}}}, ${{{{inputs.NAME}}}}, ${{{{outputs.NAME}}}} or ${{{{name}}}}");
        }
    }

    [GeneratedRegex(
        @"\$\{\{\s*(?<expr>[^{}]*?)\s*\}\}|\$?\{\s*(?<kind>search_space|inputs|outputs)\.(?<name>[A-Za-z0-9_.\-]+)\s*\}",
        RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_\-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex OutputName();
}
