using System.Diagnostics;
using System.Reflection;

namespace HyperDrive.Training.Torch.Tests.Support;

internal static class Repository
{
    public static string Root
    {
        get
        {
            var folder = new DirectoryInfo(AppContext.BaseDirectory);
            while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "HyperDrive.Actors.sln")))
            {
                folder = folder.Parent;
            }

            return folder?.FullName ?? throw new InvalidOperationException("HyperDrive.Actors.sln not found above " + AppContext.BaseDirectory);
        }
    }

    public static string TorchProject => Path.Combine(Root, "src", "HyperDrive.Training.Torch", "HyperDrive.Training.Torch.csproj");

    public static string NuGetPackageRoot => typeof(Repository).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "NuGetPackageRoot").Value!;

    /// <summary>Runs <c>dotnet ARGS</c> (no shell) and returns its exit code and output.</summary>
    public static (int ExitCode, string Output) Dotnet(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // A child build must not join (or leave behind) build servers of the test run's machine.
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output + error.Result);
    }
}
