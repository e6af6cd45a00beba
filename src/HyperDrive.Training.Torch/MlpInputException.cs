namespace HyperDrive.Training.Torch;

/// <summary>A bad hyperparameter, option or data file: the trainer exits with code 2 and this message.</summary>
public sealed class MlpInputException : Exception
{
    public MlpInputException()
    {
    }

    public MlpInputException(string message)
        : base(message)
    {
    }

    public MlpInputException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
