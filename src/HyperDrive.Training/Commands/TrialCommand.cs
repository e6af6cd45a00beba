using System.Collections.Immutable;

namespace HyperDrive.Training.Commands;

/// <summary>One command of a trial, as written (for messages) and as the argument vector that is run.</summary>
public sealed record TrialCommand(string Text, ImmutableArray<string> Arguments);
