using System.CommandLine;

namespace HyperDrive.Cli.Commands;

/// <summary><c>hyperdrive validate FILE</c>: exit 0 when the file is valid (warnings allowed), 2 with every error.</summary>
internal static class ValidateCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var file = new Argument<string>("file") { Description = "The sweep file (YAML or JSON)." };
        var command = new Command("validate", "Check a sweep file and report every error and warning at once.") { file };
        command.SetAction(parseResult =>
        {
            var path = parseResult.GetRequiredValue(file);
            var result = SpecLoading.Read(path, error);
            if (!result.Succeeded)
            {
                error.WriteLine($"{path}: {result.Errors.Count()} error(s), {result.Warnings.Count()} warning(s)");
                return ExitCodes.BadInput;
            }

            var spec = result.Spec!;
            output.WriteLine(
                $"{path}: valid ({spec.SearchSpace.Count} parameter(s), sampling {spec.Sampling.Type}, " +
                $"objective {spec.Objective.Goal.ToString().ToLowerInvariant()} {spec.Objective.PrimaryMetric}, " +
                $"{result.Warnings.Count()} warning(s))");
            return ExitCodes.Ok;
        });
        return command;
    }
}
