namespace HyperDrive.Cli.Tests.EndToEnd;

/// <summary>A fact that needs a python3 with PyTorch (Debian's python3-torch, which .ci/run installs); skipped, never silently passed, without it.</summary>
public sealed class TorchFactAttribute : FactAttribute
{
    public TorchFactAttribute()
    {
        if (PythonInterpreter.WithTorch is null)
        {
            Skip = "no python3 with torch (apt-get install python3-torch)";
        }
    }
}
