using HyperDrive.Core.Specs;
using HyperDrive.Training.Builtins;
using HyperDrive.Training.Builtins.Mlp;
using HyperDrive.Training.Builtins.Ridge;
using HyperDrive.Training.Runners;

namespace HyperDrive.Actors.Trials;

/// <summary>The runners of this build: the external-command runner and the built-in trainers it has.</summary>
public sealed class TrialRunnerFactory : ITrialRunnerFactory
{
    private readonly ITrialRunner _command;
    private readonly Dictionary<string, ITrialRunner> _builtins;

    public TrialRunnerFactory(ITrialRunner? commandRunner = null)
    {
        _command = commandRunner ?? new ExternalCommandRunner();
        _builtins = new Dictionary<string, ITrialRunner>(StringComparer.OrdinalIgnoreCase)
        {
            ["fictitious"] = new FictitiousRunner(),
            ["ridge"] = new RidgeRunner(),
            ["mlp"] = new MlpRunner(_command),
        };
    }

    public ITrialRunner? For(TrialSpec trial, out string? error)
    {
        error = null;
        if (trial.Builtin is null)
        {
            return _command;
        }

        if (_builtins.TryGetValue(trial.Builtin, out var runner))
        {
            return runner;
        }

        error = $"trial.builtin '{trial.Builtin}' is not available in this build; available: {string.Join(", ", _builtins.Keys.Order())}";
        return null;
    }
}
