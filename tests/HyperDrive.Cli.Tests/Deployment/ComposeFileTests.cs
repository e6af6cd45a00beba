using YamlDotNet.Core;

namespace HyperDrive.Cli.Tests.Deployment;

public sealed class ComposeFileTests
{
    private static readonly string ComposeText = File.ReadAllText(DeploymentFiles.Docker("compose.yml"));

    [Fact]
    public void Compose_file_should_parse_with_postgres_two_seeds_and_two_workers()
    {
        var project = Parse(ComposeText);

        Assert.Equal(["postgres", "seed", "seed2", "worker1", "worker2"], project.Services.Select(s => s.Name));
        Assert.Equal("postgres:15", project.Service("postgres")!.Image);
        // seed2 takes its build section through a YAML alias.
        Assert.Equal(("..", "docker/seed.Dockerfile"), (project.Service("seed2")!.BuildContext, project.Service("seed2")!.BuildDockerfile));
        Assert.Equal(("..", "docker/worker-cuda.Dockerfile"), (project.Service("worker2")!.BuildContext, project.Service("worker2")!.BuildDockerfile));
        Assert.Equal(["nvidia"], project.Service("worker1")!.GpuReservations);
        Assert.StartsWith("${HYPERDRIVE_API_TOKEN:?", project.Service("seed2")!.Environment["HYPERDRIVE_API_TOKEN"], StringComparison.Ordinal);
    }

    [Fact]
    public void Compose_file_should_pass_every_deployment_check()
    {
        Assert.Empty(DeploymentChecks.CheckCompose(Parse(ComposeText)));
    }

    [Theory]
    [InlineData("- 127.0.0.1:8089:8089", "- 8089:8089", "publishes '8089:8089' on every interface")]
    [InlineData("      HYPERDRIVE_API_TOKEN: ${HYPERDRIVE_API_TOKEN:?", "      OTHER_TOKEN: ${HYPERDRIVE_API_TOKEN:?", "service seed: binds the API to 0.0.0.0 without a token")]
    [InlineData("      HYPERDRIVE_API_TOKEN: ${HYPERDRIVE_API_TOKEN:?set HYPERDRIVE_API_TOKEN to the API token}", "      HYPERDRIVE_API_TOKEN: \"\"", "service seed: binds the API to 0.0.0.0 without a token")]
    [InlineData("- --data-dir", "- --datadir", "unknown option --datadir")]
    [InlineData("- --cluster-port\n      - \"4053\"", "- --cluster-port\n      - \"4054\"", "names no seed service listening there")]
    [InlineData("dockerfile: docker/seed.Dockerfile", "dockerfile: docker/seed.dockerfile", "dockerfile 'docker/seed.dockerfile' does not exist")]
    [InlineData("context: ..", "context: ../no-such-folder", "build context '../no-such-folder' does not exist")]
    [InlineData("      - --host\n      - seed2\n", "      - --host\n      - seed3\n", "service seed2: --host 'seed3' is not its service name")]
    [InlineData("akka.tcp://hyperdrive@seed2:4053", "akka.tcp://hyperdrive@seed3:4053", "the nodes list different seed nodes")]
    [InlineData("      - --seed-node\n      - akka.tcp://hyperdrive@seed2:4053\n", "", "leaves out the seed service seed2")]
    [InlineData("    healthcheck:", "    x-healthcheck:", "service postgres: no healthcheck")]
    [InlineData("condition: service_healthy", "condition: service_started", "service seed: does not wait for postgres to be healthy")]
    [InlineData("Host=postgres;", "Host=db;", "--postgres Host 'db' names no postgres service")]
    [InlineData("capabilities: [gpu]", "capabilities: [compute]", "service worker1: runs the CUDA worker image without a GPU reservation")]
    [InlineData("- 127.0.0.1:8090:8089", "- 127.0.0.1:8090:8090", "publishes container port 8090 but the API listens on 8089")]
    [InlineData("image: postgres:15", "image: postgres", "image 'postgres' is neither built here nor pinned")]
    public void Compose_check_should_fail_on_a_broken_copy(string find, string replacement, string expected)
    {
        var problems = DeploymentChecks.CheckCompose(Parse(DeploymentFiles.Mutate(ComposeText, find, replacement)));

        Assert.Contains(problems, p => p.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Compose_check_should_fail_when_the_second_seed_runs_as_a_worker()
    {
        var broken = DeploymentFiles.Mutate(ComposeText, "  seed2:\n    build: *seed-build", "  seed2:\n    build: *worker-build");

        Assert.Contains(DeploymentChecks.CheckCompose(Parse(broken)), p => p.Contains("1 seed node(s)", StringComparison.Ordinal));
    }

    [Fact]
    public void Compose_file_that_is_not_yaml_should_not_parse()
    {
        Assert.ThrowsAny<YamlException>(() => Parse(DeploymentFiles.Mutate(ComposeText, "services:\n", "services: [\n")));
    }

    private static ComposeProject Parse(string text) => ComposeProject.Parse(text, Path.Combine(DeploymentFiles.Root, "docker"));
}
