namespace HyperDrive.Training.Processes;

/// <summary>
/// Finds a command the way <c>execvp</c> will (a name with a '/' is a path, relative to the working directory; else a
/// search of PATH), so that a misspelt command is reported as the user's error before anything starts.
/// </summary>
internal static class ExecutableResolver
{
    private const string DefaultPath = "/usr/local/bin:/usr/bin:/bin";

    /// <returns>Null when found and executable; else the reason.</returns>
    public static string? Check(string command, string workingDirectory, string? searchPath)
    {
        if (command.Contains('/', StringComparison.Ordinal))
        {
            var path = Path.Combine(workingDirectory, command);
            if (Directory.Exists(path) || !File.Exists(path))
            {
                return $"command '{command}' not found";
            }

            return IsExecutable(path) ? null : $"command '{command}' is not executable (chmod +x, or run it through its interpreter)";
        }

        var directories = (string.IsNullOrEmpty(searchPath) ? DefaultPath : searchPath).Split(':');
        foreach (var directory in directories)
        {
            var candidate = Path.Combine(directory.Length == 0 ? workingDirectory : Path.Combine(workingDirectory, directory), command);
            if (File.Exists(candidate) && IsExecutable(candidate))
            {
                return null;
            }
        }

        return $"command '{command}' not found";
    }

    private static bool IsExecutable(string path)
    {
        const UnixFileMode anyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        return OperatingSystem.IsWindows() || (File.GetUnixFileMode(path) & anyExecute) != 0;
    }
}
