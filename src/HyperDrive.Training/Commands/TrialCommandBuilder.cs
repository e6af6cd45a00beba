using System.Collections.Immutable;
using HyperDrive.Core.Parameters;
using HyperDrive.Core.Specs;

namespace HyperDrive.Training.Commands;

/// <summary>
/// Turns a trial's command (or its steps) into argument vectors: split first, then substitute inside each argument,
/// then, with <c>trial.args: auto</c>, append <c>--NAME VALUE</c> for every flattened parameter (to every step).
/// </summary>
public static class TrialCommandBuilder
{
    /// <exception cref="TrialCommandException">No command, an unterminated quote, an unknown placeholder.</exception>
    public static ImmutableArray<TrialCommand> Build(TrialSpec trial, ParameterSet parameters, PlaceholderSubstitution substitution)
    {
        ArgumentNullException.ThrowIfNull(trial);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(substitution);
        var texts = !trial.Steps.IsDefaultOrEmpty
            ? trial.Steps
            : string.IsNullOrWhiteSpace(trial.Command) ? [] : [trial.Command];
        if (texts.IsEmpty)
        {
            throw new TrialCommandException("the trial has no command");
        }

        var commands = ImmutableArray.CreateBuilder<TrialCommand>(texts.Length);
        for (var i = 0; i < texts.Length; i++)
        {
            var words = CommandLineSplitter.Split(texts[i]);
            if (words.IsEmpty)
            {
                throw new TrialCommandException(texts.Length == 1 ? "the trial's command is empty" : $"step {i + 1} of {texts.Length} is empty");
            }

            var arguments = ImmutableArray.CreateBuilder<string>();
            foreach (var word in words)
            {
                arguments.Add(substitution.Substitute(word));
            }

            if (trial.ArgsAuto)
            {
                foreach (var (name, value) in parameters.Flatten())
                {
                    arguments.Add("--" + name);
                    arguments.Add(value.ToInvariantString());
                }
            }

            // execve takes C strings: a NUL would silently cut the argument.
            if (arguments.FirstOrDefault(a => a.Contains('\0', StringComparison.Ordinal)) is { } withNul)
            {
                throw new TrialCommandException($"an argument of `{texts[i]}` contains a NUL character: {withNul.Replace("\0", "\\0", StringComparison.Ordinal)}");
            }

            commands.Add(new TrialCommand(texts[i], arguments.ToImmutable()));
        }

        return commands.MoveToImmutable();
    }
}
