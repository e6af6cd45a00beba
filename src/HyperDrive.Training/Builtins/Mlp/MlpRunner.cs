using System.Collections.Immutable;
using System.Runtime.InteropServices;
using HyperDrive.Training.Runners;

namespace HyperDrive.Training.Builtins.Mlp;

/// <summary>
/// The built-in <c>mlp</c> trainer (DESIGN §7): runs <c>hyperdrive-mlp</c> (src/HyperDrive.Training.Torch, a TorchSharp
/// program) as the trial's process through <see cref="ExternalCommandRunner"/>, so it gets the trial protocol as any
/// command does: an argument vector, config.json, the HYPERDRIVE_* folders, CUDA_VISIBLE_DEVICES, metric lines, the
/// bounded log, SIGTERM/SIGKILL on stop. This assembly does not reference TorchSharp: its 480 MB of natives stay with
/// the trainer. The trainer is <c>$HYPERDRIVE_MLP_TRAINER</c> when set, else <c>mlp/hyperdrive-mlp.dll</c> beside the
/// running application (where building or publishing src/HyperDrive.Cli puts it), started by the dotnet host that runs us.
/// </summary>
public sealed class MlpRunner : ITrialRunner
{
    public const string TrainerVariable = "HYPERDRIVE_MLP_TRAINER";
    public const string TrainerFileName = "hyperdrive-mlp.dll";
    public const string TrainerFolder = "mlp";

    private readonly ITrialRunner _commands;
    private readonly string? _trainer;

    /// <param name="commandRunner">Runs the trainer's command (default: a new <see cref="ExternalCommandRunner"/>).</param>
    /// <param name="trainerPath">The trainer's dll (default: <see cref="LocateTrainer"/>).</param>
    public MlpRunner(ITrialRunner? commandRunner = null, string? trainerPath = null)
    {
        _commands = commandRunner ?? new ExternalCommandRunner();
        _trainer = trainerPath;
    }

    /// <summary>$HYPERDRIVE_MLP_TRAINER, else mlp/hyperdrive-mlp.dll under the application's folder.</summary>
    public static string LocateTrainer() =>
        Environment.GetEnvironmentVariable(TrainerVariable) is { Length: > 0 } configured
            ? Path.GetFullPath(configured)
            : Path.Combine(AppContext.BaseDirectory, TrainerFolder, TrainerFileName);

    /// <summary>
    /// The dotnet host running this process: the process itself when it is <c>dotnet</c>; else (an apphost such as
    /// <c>hyperdrive</c>) the <c>dotnet</c> of the runtime it loaded; else DOTNET_ROOT's; else <c>dotnet</c> on PATH.
    /// </summary>
    public static string DotnetHost()
    {
        var name = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        if (Environment.ProcessPath is { } process && Path.GetFileName(process) == name)
        {
            return process;
        }

        // The runtime folder is <root>/shared/Microsoft.NETCore.App/<version>/.
        var runtime = Path.TrimEndingDirectorySeparator(RuntimeEnvironment.GetRuntimeDirectory());
        var root = Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(runtime)));
        foreach (var candidate in new[] { root, Environment.GetEnvironmentVariable("DOTNET_ROOT") })
        {
            if (!string.IsNullOrEmpty(candidate) && File.Exists(Path.Combine(candidate, name)))
            {
                return Path.Combine(candidate, name);
            }
        }

        return name;
    }

    public async Task<TrialOutcome> RunAsync(TrialRunRequest request, ITrialObserver observer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        MlpRunnerOptions options;
        try
        {
            options = MlpRunnerOptions.Read(request.Trial.BuiltinOptions, request.SpecDirectory);
        }
        catch (FormatException e)
        {
            return new TrialOutcome(TrialOutcomeKind.Failed, ImmutableDictionary<string, double>.Empty, e.Message);
        }

        var trainer = _trainer ?? LocateTrainer();
        if (!File.Exists(trainer))
        {
            return new TrialOutcome(
                TrialOutcomeKind.Failed,
                ImmutableDictionary<string, double>.Empty,
                $"mlp: the trainer was not found at {trainer}. Build or publish src/HyperDrive.Cli (it puts the trainer in "
                + $"{TrainerFolder}/ beside the application), or build src/HyperDrive.Training.Torch and set {TrainerVariable} to its {TrainerFileName}");
        }

        string[] arguments = [DotnetHost(), trainer, .. options.Arguments()];
        var command = request with
        {
            Trial = request.Trial with
            {
                Builtin = null,
                Command = string.Join(' ', arguments.Select(Quote)),
                Steps = [],
                Code = null,
                ArgsAuto = false,
            },
        };
        return await _commands.RunAsync(command, observer, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Single-quoted for <see cref="Commands.CommandLineSplitter"/>: the argument comes back unchanged.</summary>
    public static string Quote(string argument) => "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
