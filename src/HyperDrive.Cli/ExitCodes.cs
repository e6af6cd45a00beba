namespace HyperDrive.Cli;

/// <summary>The exit codes every <c>hyperdrive</c> command uses.</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>Anything else: an internal error, an I/O failure that is not the user's input.</summary>
    public const int Failure = 1;

    /// <summary>Bad input: a sweep file with errors, a missing file, a bad option.</summary>
    public const int BadInput = 2;
}
