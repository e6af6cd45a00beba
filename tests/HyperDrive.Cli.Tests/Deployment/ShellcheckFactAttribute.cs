namespace HyperDrive.Cli.Tests.Deployment;

/// <summary>A fact that needs <c>shellcheck</c> on PATH (<c>apt-get install shellcheck</c>); reported as skipped, never silently passed, without it.</summary>
public sealed class ShellcheckFactAttribute : FactAttribute
{
    public ShellcheckFactAttribute()
    {
        if (Path is null)
        {
            Skip = "shellcheck is not installed (apt-get install shellcheck)";
        }
    }

    public static string? Path { get; } = (Environment.GetEnvironmentVariable("PATH") ?? "")
        .Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Select(folder => System.IO.Path.Combine(folder, "shellcheck"))
        .FirstOrDefault(File.Exists);
}
