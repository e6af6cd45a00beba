using TorchSharp;

namespace HyperDrive.Training.Torch;

/// <summary>
/// <c>hyperdrive-mlp</c>: the built-in mlp trainer, run by MlpRunner as a trial's process (DESIGN §4 protocol).
/// Exit codes: 0 done, 2 a bad hyperparameter, option or data file (the message names it), 3 stopped because the engine
/// that started it died (its parent process changed: a SIGKILLed engine cannot stop it, and nobody reads its output).
/// </summary>
internal static class Program
{
    public static int Main(string[] args)
    {
        try
        {
            var options = MlpOptions.Parse(args, Environment.GetEnvironmentVariable);
            if (!File.Exists(options.ConfigPath))
            {
                throw new MlpInputException($"config.json not found at {options.ConfigPath} (set HYPERDRIVE_CONFIG or pass --config)");
            }

            var hyperparameters = MlpHyperparameters.FromJson(File.ReadAllText(options.ConfigPath));
            var data = options.Data is null ? MlpDataset.LoadDigits(MlpDataset.DefaultDigitsPath) : MlpDataset.LoadCsv(options.Data, options.Label!);
            if (options.Threads is { } threads)
            {
                torch.set_num_threads(threads);
            }

            var device = torch.cuda.is_available() ? torch.CUDA : torch.CPU;
            Console.Error.WriteLine($"hyperdrive-mlp: device {device.type.ToString().ToLowerInvariant()}" +
                (device.type == DeviceType.CUDA ? $" (CUDA_VISIBLE_DEVICES={Environment.GetEnvironmentVariable("CUDA_VISIBLE_DEVICES")})" : "") +
                $", {torch.get_num_threads()} threads");
            var parent = ParentProcess.Id();
            var result = new MlpTrainer(hyperparameters, options, data, device, Console.Out, Console.Error,
                engineGone: () => parent is { } started && ParentProcess.Id() != started).Run();
            return result.Stopped ? 3 : 0;
        }
        catch (MlpInputException e)
        {
            Console.Error.WriteLine("hyperdrive-mlp: " + e.Message);
            return 2;
        }
    }
}
