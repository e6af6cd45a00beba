using System.Diagnostics;

namespace HyperDrive.Cli.Tests.EndToEnd;

/// <summary>
/// The python3 the example tests run: Debian's /usr/bin/python3 when present (CI installs python3-torch for it, and it
/// starts faster than a version manager's shim), else python3 on PATH.
/// </summary>
internal static class PythonInterpreter
{
    private static readonly Lazy<string?> TorchPython = new(FindTorch);

    public static string Stdlib { get; } = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

    /// <summary>A python3 that can <c>import torch</c>, or null.</summary>
    public static string? WithTorch => TorchPython.Value;

    private static string? FindTorch() => new[] { "/usr/bin/python3", "python3" }.FirstOrDefault(ImportsTorch);

    private static bool ImportsTorch(string python)
    {
        try
        {
            var start = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add("import torch");
            using var process = Process.Start(start)!;
            process.StandardOutput.ReadToEnd();
            process.StandardError.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
