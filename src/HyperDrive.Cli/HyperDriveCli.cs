using System.CommandLine;
using HyperDrive.Cli.Commands;

namespace HyperDrive.Cli;

/// <summary>
/// The <c>hyperdrive</c> command line. Output goes to the writers given (the console in production, buffers in
/// tests). Exit codes: 0 ok, 2 bad input (including bad options), 1 anything else.
/// </summary>
public static class HyperDriveCli
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        var root = BuildRootCommand(output, error);
        var parseResult = root.Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            foreach (var parseError in parseResult.Errors)
            {
                await error.WriteLineAsync("error: " + parseError.Message);
            }

            await error.WriteLineAsync("Run 'hyperdrive --help' for usage.");
            return ExitCodes.BadInput;
        }

        try
        {
            // Interrupts are ours to handle (Program.cs): trials must be stopped before the process exits.
            var configuration = new InvocationConfiguration
            {
                Output = output,
                Error = error,
                EnableDefaultExceptionHandler = false,
                ProcessTerminationTimeout = null,
            };
            return await parseResult.InvokeAsync(configuration, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            await error.WriteLineAsync("canceled");
            return ExitCodes.Failure;
        }
        catch (Exception exception)
        {
            await error.WriteLineAsync($"internal error: {exception.GetType().Name}: {exception.Message}");
            if (Environment.GetEnvironmentVariable("HYPERDRIVE_DEBUG") == "1")
            {
                await error.WriteLineAsync(exception.ToString());
            }

            return ExitCodes.Failure;
        }
    }

    internal static RootCommand BuildRootCommand(TextWriter output, TextWriter error)
    {
        var root = new RootCommand("HyperDrive: distributed hyperparameter tuning (Azure ML sweep-job compatible).")
        {
            ValidateCommand.Create(output, error),
            PlanCommand.Create(output, error),
            RunCommand.Create(output, error),
            ResumeCommand.Create(output, error),
            StatusCommand.Create(output, error),
            RunsCommand.Create(output, error),
            BestCommand.Create(output, error),
            LogsCommand.Create(output, error),
            OutputsCommand.Create(output, error),
            CancelCommand.Create(output, error),
            SeedCommand.Create(output, error),
            WorkerCommand.Create(output, error),
            SubmitCommand.Create(output, error),
            WatchCommand.Create(output, error),
            ClusterCommand.Create(output, error),
            ModelsCommand.Create(output, error),
        };
        return root;
    }
}
