using HyperDrive.Cli;

return await HyperDriveCli.RunAsync(args, Console.Out, Console.Error);
