using HyperDrive.Cli;

// Ctrl-C and SIGTERM stop the running trials cleanly and leave the sweep resumable; a second Ctrl-C exits at once.
using var interrupted = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    if (!interrupted.IsCancellationRequested)
    {
        e.Cancel = true;
        Console.Error.WriteLine("Stopping trials (Ctrl-C again to exit at once)...");
        interrupted.Cancel();
    }
};
using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    interrupted.Cancel();
});

return await HyperDriveCli.RunAsync(args, Console.Out, Console.Error, interrupted.Token);
