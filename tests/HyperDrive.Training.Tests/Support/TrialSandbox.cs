using System.Globalization;
using HyperDrive.Core.Parameters;
using HyperDrive.Core.Specs;
using HyperDrive.Training.Runners;

namespace HyperDrive.Training.Tests.Support;

/// <summary>A temporary folder with a <c>code</c> folder of executable scripts, and trial requests whose folders lie inside it.</summary>
internal sealed class TrialSandbox : IDisposable
{
    public TrialSandbox()
    {
        Root = Path.Combine(Path.GetTempPath(), "hd-training-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Code);
    }

    public string Root { get; }

    public string Code => Path.Combine(Root, "code");

    /// <summary>Writes an executable bash script into the code folder; returns the command that runs it (<c>./name</c>).</summary>
    public string Script(string name, string body)
    {
        var path = Path.Combine(Code, name);
        File.WriteAllText(path, "#!/bin/bash\n" + body.ReplaceLineEndings("\n") + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
        return "./" + name;
    }

    public string TrialFolder(int trialNumber) => Path.Combine(Root, "trials", trialNumber.ToString(CultureInfo.InvariantCulture));

    public TrialRunRequest Request(string command, ParameterSet? parameters = null, int trialNumber = 1) =>
        Request(new TrialSpec { Command = command, Code = "code" }, parameters, trialNumber);

    public TrialRunRequest Request(TrialSpec trial, ParameterSet? parameters = null, int trialNumber = 1)
    {
        var folder = TrialFolder(trialNumber);
        var work = Path.Combine(folder, "work");
        return new TrialRunRequest
        {
            SweepId = "sweep-7",
            TrialNumber = trialNumber,
            Attempt = 1,
            Parameters = parameters ?? ParameterSet.Empty,
            Trial = trial,
            SpecDirectory = Root,
            WorkDirectory = work,
            OutputDirectory = Path.Combine(work, "outputs"),
            CheckpointDirectory = Path.Combine(folder, "checkpoints"),
            LogFile = Path.Combine(folder, "log.txt"),
            StopGracePeriod = TimeSpan.FromMilliseconds(300),
        };
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
