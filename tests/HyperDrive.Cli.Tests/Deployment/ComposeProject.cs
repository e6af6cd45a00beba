using YamlDotNet.RepresentationModel;

namespace HyperDrive.Cli.Tests.Deployment;

/// <summary>A compose file read with YamlDotNet (anchors and aliases resolved), its folder the base of relative paths.</summary>
internal sealed class ComposeProject
{
    private ComposeProject(string folder, IReadOnlyList<ComposeService> services)
    {
        Folder = folder;
        Services = services;
    }

    public string Folder { get; }

    public IReadOnlyList<ComposeService> Services { get; }

    public ComposeService? Service(string name) => Services.FirstOrDefault(s => s.Name == name);

    public static ComposeProject Load(string path) => Parse(File.ReadAllText(path), Path.GetDirectoryName(Path.GetFullPath(path))!);

    /// <summary>Reads compose YAML; throws on YAML that does not parse or lacks a services mapping.</summary>
    public static ComposeProject Parse(string yaml, string folder)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var root = (YamlMappingNode)stream.Documents.Single().RootNode;
        var services = (YamlMappingNode)root.Children[new YamlScalarNode("services")];
        return new ComposeProject(folder, [.. services.Children.Select(s => ReadService(Scalar(s.Key)!, (YamlMappingNode)s.Value))]);
    }

    private static ComposeService ReadService(string name, YamlMappingNode service)
    {
        string? context = null;
        string? dockerfile = null;
        switch (Child(service, "build"))
        {
            case YamlScalarNode scalar:
                context = scalar.Value;
                dockerfile = "Dockerfile";
                break;
            case YamlMappingNode build:
                context = Scalar(Child(build, "context")) ?? ".";
                dockerfile = Scalar(Child(build, "dockerfile")) ?? "Dockerfile";
                break;
        }

        IReadOnlyList<string>? command = Child(service, "command") switch
        {
            YamlSequenceNode sequence => [.. sequence.Children.Select(c => Scalar(c) ?? "")],
            YamlScalarNode scalar => scalar.Value!.Split(' ', StringSplitOptions.RemoveEmptyEntries),
            _ => null,
        };

        var ports = Child(service, "ports") is YamlSequenceNode portList ? portList.Children.Select(p => Scalar(p) ?? p.ToString()).ToList() : [];

        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        switch (Child(service, "environment"))
        {
            case YamlMappingNode map:
                foreach (var (key, value) in map.Children)
                {
                    environment[Scalar(key)!] = Scalar(value) ?? "";
                }

                break;
            case YamlSequenceNode list:
                foreach (var entry in list.Children.Select(c => Scalar(c) ?? "").Where(e => e.Length > 0))
                {
                    var equals = entry.IndexOf('=', StringComparison.Ordinal);
                    environment[equals < 0 ? entry : entry[..equals]] = equals < 0 ? "" : entry[(equals + 1)..];
                }

                break;
        }

        var dependsOn = new Dictionary<string, string>(StringComparer.Ordinal);
        switch (Child(service, "depends_on"))
        {
            case YamlSequenceNode list:
                foreach (var item in list.Children)
                {
                    dependsOn[Scalar(item)!] = "service_started";
                }

                break;
            case YamlMappingNode map:
                foreach (var (key, value) in map.Children)
                {
                    dependsOn[Scalar(key)!] = Scalar(Child(value as YamlMappingNode, "condition")) ?? "service_started";
                }

                break;
        }

        var gpus = new List<string>();
        var devices = Child(Child(Child(Child(service, "deploy") as YamlMappingNode, "resources") as YamlMappingNode, "reservations") as YamlMappingNode, "devices");
        if (devices is YamlSequenceNode deviceList)
        {
            foreach (var device in deviceList.Children.OfType<YamlMappingNode>())
            {
                if (Child(device, "capabilities") is YamlSequenceNode capabilities && capabilities.Children.Any(c => Scalar(c) == "gpu"))
                {
                    gpus.Add(Scalar(Child(device, "driver")) ?? "");
                }
            }
        }

        return new ComposeService(
            name,
            Scalar(Child(service, "image")),
            context,
            dockerfile,
            command,
            ports,
            environment,
            dependsOn,
            Child(service, "healthcheck") is YamlMappingNode,
            gpus);
    }

    private static YamlNode? Child(YamlMappingNode? map, string key) =>
        map is not null && map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    private static string? Scalar(YamlNode? node) => (node as YamlScalarNode)?.Value;
}
