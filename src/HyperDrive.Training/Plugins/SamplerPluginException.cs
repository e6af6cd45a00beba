namespace HyperDrive.Training.Plugins;

/// <summary>
/// A sampler plug-in broke the protocol: it could not start, exited, hung past its timeout, wrote something that is
/// not JSON, or answered the wrong shape or values outside the space. <see cref="Exception.Message"/> names the
/// plug-in, the request, the problem, what it answered (truncated) and the tail of its standard error.
/// </summary>
public sealed class SamplerPluginException : Exception
{
    public SamplerPluginException(string command, string op, string problem, string? answer, IReadOnlyList<string> stderrTail)
        : base(Format(command, op, problem, answer, stderrTail))
    {
        Command = command;
        Op = op;
        Problem = problem;
        Answer = answer;
        StderrTail = stderrTail;
    }

    public SamplerPluginException()
        : this("", "", "", null, [])
    {
    }

    public SamplerPluginException(string message)
        : base(message)
    {
        Command = "";
        Op = "";
        Problem = message;
        StderrTail = [];
    }

    public SamplerPluginException(string message, Exception innerException)
        : base(message, innerException)
    {
        Command = "";
        Op = "";
        Problem = message;
        StderrTail = [];
    }

    public string Command { get; }

    /// <summary>The request it failed on: <c>start</c>, <c>search</c>, <c>get_state</c>, <c>set_state</c>.</summary>
    public string Op { get; }

    public string Problem { get; }

    /// <summary>What it answered, cut to <see cref="SamplerPluginProcess.MaxQuotedAnswer"/> characters; null when nothing.</summary>
    public string? Answer { get; }

    public IReadOnlyList<string> StderrTail { get; }

    private static string Format(string command, string op, string problem, string? answer, IReadOnlyList<string> stderrTail)
    {
        var message = $"sampler plug-in `{command}` failed on {op}: {problem}";
        if (answer is not null)
        {
            message += $"; it answered: {answer}";
        }

        if (stderrTail.Count > 0)
        {
            message += "; its stderr ends with: " + string.Join(" | ", stderrTail);
        }

        return message;
    }
}
