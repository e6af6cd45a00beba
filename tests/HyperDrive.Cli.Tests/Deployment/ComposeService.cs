namespace HyperDrive.Cli.Tests.Deployment;

/// <summary>What the checks read from one service of a compose file.</summary>
internal sealed record ComposeService(
    string Name,
    string? Image,
    string? BuildContext,
    string? BuildDockerfile,
    IReadOnlyList<string>? Command,
    IReadOnlyList<string> Ports,
    IReadOnlyDictionary<string, string> Environment,
    IReadOnlyDictionary<string, string> DependsOn,
    bool HasHealthcheck,
    IReadOnlyList<string> GpuReservations);
