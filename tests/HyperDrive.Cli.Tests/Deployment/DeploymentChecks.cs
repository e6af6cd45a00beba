namespace HyperDrive.Cli.Tests.Deployment;

/// <summary>
/// The checks on docker/ that need no Docker engine. Each returns the problems it finds (empty: fine), so a test
/// can show a check passing on the real files and failing on a broken copy.
/// </summary>
internal static class DeploymentChecks
{
    public const string AppDll = "/app/hyperdrive.dll";
    private const string DefaultClusterPort = "4053";
    private const string DefaultApiPort = "8089";

    /// <summary>COPY sources, the ignore file, the .NET images, the publish step and the node command line.</summary>
    public static List<string> CheckDockerfile(Dockerfile dockerfile, string name, string contextRoot, IReadOnlyList<string> ignorePatterns, string nodeCommand)
    {
        var problems = new List<string>();
        foreach (var copy in dockerfile.Instructions.Where(i => i.Keyword is "COPY" or "ADD" && i.Flag("from") is null))
        {
            foreach (var source in copy.CopyOperands().Sources)
            {
                var path = Path.Combine(contextRoot, source);
                if (!File.Exists(path) && !Directory.Exists(path))
                {
                    problems.Add($"{name}: COPY source '{source}' does not exist in the build context");
                }
                else if (ignorePatterns.FirstOrDefault(p => Ignores(p, source)) is { } pattern)
                {
                    problems.Add($"{name}: COPY source '{source}' is excluded by the ignore pattern '{pattern}'");
                }
            }
        }

        for (var stage = 0; stage < dockerfile.StageCount; stage++)
        {
            var image = dockerfile.BaseImage(stage);
            if (image.StartsWith("mcr.microsoft.com/dotnet/", StringComparison.Ordinal) && !image.Contains(":10.0", StringComparison.Ordinal))
            {
                problems.Add($"{name}: stage {stage} uses '{image}'; the project targets .NET 10 (tag 10.0…)");
            }
        }

        if (!HasAspNetRuntime(dockerfile))
        {
            problems.Add($"{name}: the final stage lacks the ASP.NET Core runtime (the CLI references Microsoft.AspNetCore.App): "
                + "base it on mcr.microsoft.com/dotnet/aspnet or copy /usr/share/dotnet from such a stage");
        }

        var entrypoint = dockerfile.ExecForm("ENTRYPOINT");
        if (entrypoint is null || !entrypoint.SequenceEqual(["dotnet", AppDll, nodeCommand]))
        {
            problems.Add($"{name}: ENTRYPOINT should be [\"dotnet\", \"{AppDll}\", \"{nodeCommand}\"] in exec form, not "
                + (entrypoint is null ? "absent or in shell form" : "[" + string.Join(", ", entrypoint) + "]"));
        }
        else
        {
            var node = NodeCommand.Parse([.. entrypoint, .. dockerfile.ExecForm("CMD") ?? []], complete: false);
            problems.AddRange(node.Problems.Select(p => $"{name} (ENTRYPOINT + CMD): {p}"));
        }

        var publish = dockerfile.Instructions.FirstOrDefault(IsCliPublish);
        if (publish is null)
        {
            problems.Add($"{name}: no stage runs 'dotnet publish src/HyperDrive.Cli'");
        }
        else
        {
            var output = OptionValue(publish.Words(), "-o") ?? OptionValue(publish.Words(), "--output");
            var appFolder = Path.GetDirectoryName(AppDll)!;
            var copied = dockerfile.InStage(dockerfile.FinalStage, "COPY").Any(c =>
                c.Flag("from") is { } from
                && dockerfile.StageNamed(from) == publish.Stage
                && c.CopyOperands().Sources.Any(s => s.TrimEnd('/') == output?.TrimEnd('/'))
                && c.CopyOperands().Destination.TrimEnd('/') == appFolder);
            if (!copied)
            {
                problems.Add($"{name}: the final stage does not copy the publish output '{output}' (stage {publish.Stage}) to {appFolder}");
            }
        }

        if (dockerfile.Instructions.Any(i => i.Keyword == "ENV" && i.Arguments.Contains("HYPERDRIVE_API_TOKEN", StringComparison.Ordinal)))
        {
            problems.Add($"{name}: bakes HYPERDRIVE_API_TOKEN into the image (pass it at run time)");
        }

        return problems;
    }

    /// <summary>The CUDA worker: published with the CUDA backend, on an nvidia/cuda base image.</summary>
    public static List<string> CheckCudaWorker(Dockerfile dockerfile, string name)
    {
        var problems = new List<string>();
        if (!IsCudaBuild(dockerfile))
        {
            problems.Add($"{name}: 'dotnet publish src/HyperDrive.Cli' does not pass -p:TorchBackend=cuda");
        }

        var image = dockerfile.BaseImage(dockerfile.FinalStage);
        if (!image.StartsWith("nvidia/cuda:", StringComparison.Ordinal))
        {
            problems.Add($"{name}: the final stage is based on '{image}', not an nvidia/cuda image");
        }

        return problems;
    }

    public static bool IsCudaBuild(Dockerfile dockerfile) =>
        dockerfile.Instructions.Any(i => IsCliPublish(i) && i.Words().Contains("-p:TorchBackend=cuda"));

    /// <summary>The patterns of a .dockerignore file (comments, blanks and ! exceptions left out).</summary>
    public static IReadOnlyList<string> IgnorePatterns(string text) =>
        [.. text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#') && !l.StartsWith('!'))];

    /// <summary>Services, images, build files, node command lines, seeds, PostgreSQL, published ports, tokens, GPUs.</summary>
    public static List<string> CheckCompose(ComposeProject project)
    {
        var problems = new List<string>();
        var nodes = new List<(ComposeService Service, NodeCommand Node, bool Cuda)>();
        foreach (var service in project.Services)
        {
            foreach (var port in service.Ports.Where(p => !p.StartsWith("127.0.0.1:", StringComparison.Ordinal)))
            {
                problems.Add($"service {service.Name}: publishes '{port}' on every interface (publish on 127.0.0.1 only)");
            }

            if (service.BuildContext is null)
            {
                if (service.Image is null)
                {
                    problems.Add($"service {service.Name}: has neither image nor build");
                }
                else if (!project.Services.Any(o => o.BuildContext is not null && o.Image == service.Image)
                         && (!service.Image.Contains(':', StringComparison.Ordinal) || service.Image.EndsWith(":latest", StringComparison.Ordinal)))
                {
                    problems.Add($"service {service.Name}: image '{service.Image}' is neither built here nor pinned to a tag");
                }

                continue;
            }

            var context = Path.GetFullPath(Path.Combine(project.Folder, service.BuildContext));
            var dockerfilePath = Path.Combine(context, service.BuildDockerfile!);
            if (!Directory.Exists(context))
            {
                problems.Add($"service {service.Name}: build context '{service.BuildContext}' does not exist");
                continue;
            }

            if (!File.Exists(dockerfilePath))
            {
                problems.Add($"service {service.Name}: dockerfile '{service.BuildDockerfile}' does not exist in the build context");
                continue;
            }

            var dockerfile = Dockerfile.Load(dockerfilePath);
            var entrypoint = dockerfile.ExecForm("ENTRYPOINT");
            if (entrypoint is not { Count: >= 2 } || !entrypoint[1].EndsWith("hyperdrive.dll", StringComparison.Ordinal))
            {
                problems.Add($"service {service.Name}: its image's ENTRYPOINT does not run hyperdrive.dll");
                continue;
            }

            var node = NodeCommand.Parse([.. entrypoint, .. service.Command ?? dockerfile.ExecForm("CMD") ?? []]);
            problems.AddRange(RealCliProblems(service.Name, [.. entrypoint.Skip(2), .. service.Command ?? dockerfile.ExecForm("CMD") ?? []]));
            problems.AddRange(node.Problems.Select(p => $"service {service.Name}: {p}"));
            nodes.Add((service, node, IsCudaBuild(dockerfile)));
        }

        CheckNodes(project, nodes, problems);
        return problems;
    }

    private static void CheckNodes(ComposeProject project, List<(ComposeService Service, NodeCommand Node, bool Cuda)> nodes, List<string> problems)
    {
        var seeds = nodes.Where(n => n.Node.Command == "seed").ToList();
        if (seeds.Count < 2)
        {
            problems.Add($"{seeds.Count} seed node(s): the cluster needs two (coordinator and API failover)");
        }

        if (!nodes.Any(n => n.Node.Command == "worker"))
        {
            problems.Add("no worker node");
        }

        var seedLists = nodes.Select(n => string.Join(", ", n.Node.Values("--seed-node"))).Distinct().ToList();
        if (seedLists.Count > 1)
        {
            problems.Add("the nodes list different seed nodes: " + string.Join(" | ", seedLists));
        }

        foreach (var (service, node, cuda) in nodes)
        {
            if (node.Value("--host") != service.Name)
            {
                problems.Add($"service {service.Name}: --host '{node.Value("--host")}' is not its service name (the other nodes reach it by that name)");
            }

            foreach (var address in node.Values("--seed-node"))
            {
                var target = NodeCommand.SeedAddress(address);
                var seed = seeds.FirstOrDefault(s => s.Service.Name == target?.Host);
                if (target is null || seed.Node is null || (seed.Node.Value("--cluster-port") ?? DefaultClusterPort) != target.Value.Port.ToString(System.Globalization.CultureInfo.InvariantCulture))
                {
                    problems.Add($"service {service.Name}: --seed-node {address} names no seed service listening there");
                }
            }

            foreach (var seed in seeds.Where(s => !node.Values("--seed-node").Any(a => NodeCommand.SeedAddress(a)?.Host == s.Service.Name)))
            {
                problems.Add($"service {service.Name}: its --seed-node list leaves out the seed service {seed.Service.Name}");
            }

            CheckPostgres(project, service, node, problems);
            if (node.Command == "seed")
            {
                CheckApi(service, node, problems);
            }

            if (cuda && service.GpuReservations.Count == 0)
            {
                problems.Add($"service {service.Name}: runs the CUDA worker image without a GPU reservation (deploy.resources.reservations.devices, capabilities [gpu])");
            }
        }
    }

    private static void CheckPostgres(ComposeProject project, ComposeService service, NodeCommand node, List<string> problems)
    {
        var connection = node.Value("--postgres");
        if (connection is null)
        {
            problems.Add($"service {service.Name}: no --postgres (a SQLite journal is per machine; the cluster shares one database)");
            return;
        }

        var host = connection.Split(';')
            .Select(part => part.Split('=', 2))
            .Where(kv => kv.Length == 2 && kv[0].Trim().Equals("Host", StringComparison.OrdinalIgnoreCase))
            .Select(kv => kv[1].Trim())
            .FirstOrDefault();
        var database = project.Service(host ?? "");
        if (database?.Image is null || !database.Image.StartsWith("postgres", StringComparison.Ordinal))
        {
            problems.Add($"service {service.Name}: --postgres Host '{host}' names no postgres service");
            return;
        }

        if (!database.HasHealthcheck)
        {
            problems.Add($"service {database.Name}: no healthcheck (the nodes wait for a healthy database)");
        }

        if (!service.DependsOn.TryGetValue(database.Name, out var condition) || condition != "service_healthy")
        {
            problems.Add($"service {service.Name}: does not wait for {database.Name} to be healthy (depends_on condition service_healthy)");
        }
    }

    private static void CheckApi(ComposeService service, NodeCommand node, List<string> problems)
    {
        var bind = node.Value("--bind") ?? "127.0.0.1";
        var loopback = bind is "localhost" or "::1" || bind.StartsWith("127.", StringComparison.Ordinal);
        // The seed's token: --token, or HYPERDRIVE_API_TOKEN in its environment (the CLI's default for --token).
        var token = node.Value("--token") ?? service.Environment.GetValueOrDefault("HYPERDRIVE_API_TOKEN");
        if (!loopback && string.IsNullOrWhiteSpace(token))
        {
            problems.Add($"service {service.Name}: binds the API to {bind} without a token (--token or HYPERDRIVE_API_TOKEN)");
        }

        var port = node.Value("--port") ?? DefaultApiPort;
        if (service.Ports.Count == 0)
        {
            problems.Add($"service {service.Name}: publishes no API port (clients list every seed's API with --api)");
        }

        foreach (var published in service.Ports.Where(p => p.Split(':')[^1] != port))
        {
            problems.Add($"service {service.Name}: publishes container port {published.Split(':')[^1]} but the API listens on {port}");
        }
    }

    private static bool HasAspNetRuntime(Dockerfile dockerfile)
    {
        static bool IsAspNet(string image) => image.StartsWith("mcr.microsoft.com/dotnet/aspnet:", StringComparison.Ordinal);

        return IsAspNet(dockerfile.BaseImage(dockerfile.FinalStage))
            || dockerfile.InStage(dockerfile.FinalStage, "COPY").Any(c =>
                c.Flag("from") is { } from
                && dockerfile.StageNamed(from) is var stage and >= 0
                && IsAspNet(dockerfile.BaseImage(stage))
                && c.CopyOperands().Sources.Contains("/usr/share/dotnet"));
    }

    private static bool IsCliPublish(DockerInstruction instruction)
    {
        if (instruction.Keyword != "RUN")
        {
            return false;
        }

        var words = instruction.Words();
        var publish = Array.IndexOf(words, "publish");
        return publish > 0 && words[publish - 1] == "dotnet" && words.Skip(publish + 1).Any(w => w.TrimEnd('/') is "src/HyperDrive.Cli" or "src/HyperDrive.Cli/HyperDrive.Cli.csproj");
    }

    private static string? OptionValue(string[] words, string option)
    {
        var index = Array.IndexOf(words, option);
        return index >= 0 && index + 1 < words.Length ? words[index + 1] : null;
    }

    private static bool Ignores(string pattern, string source)
    {
        var p = pattern.TrimEnd('/');
        var s = source.TrimEnd('/');
        s = s.StartsWith("./", StringComparison.Ordinal) ? s[2..] : s;
        if (p.StartsWith("**/", StringComparison.Ordinal))
        {
            return s.Split('/').Contains(p[3..]);
        }

        return s == p || s.StartsWith(p + "/", StringComparison.Ordinal);
    }

    /// <summary>What the real <c>hyperdrive</c> command line says of a node's arguments (not only the contract's list).</summary>
    public static IEnumerable<string> RealCliProblems(string name, string[] arguments) =>
        HyperDriveCli.BuildRootCommand(TextWriter.Null, TextWriter.Null).Parse(arguments).Errors
            .Select(e => $"{name}: hyperdrive rejects '{string.Join(' ', arguments)}': {e.Message}");
}
