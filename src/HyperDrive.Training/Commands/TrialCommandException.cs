namespace HyperDrive.Training.Commands;

/// <summary>A trial command that cannot be turned into an argument vector: the user's error, reported as a Failed outcome.</summary>
public sealed class TrialCommandException : Exception
{
    public TrialCommandException(string message)
        : base(message)
    {
    }

    public TrialCommandException()
    {
    }

    public TrialCommandException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
