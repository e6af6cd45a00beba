namespace HyperDrive.Cli.Tests.Deployment;

public sealed class DockerfileTests
{
    [Fact]
    public void Parse_should_join_continuation_lines_and_fill_global_args_into_from()
    {
        var dockerfile = Dockerfile.Parse("""
            # syntax=docker/dockerfile:1
            ARG BASE=nvidia/cuda:1.2-runtime
            FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
            RUN dotnet publish \
                # a comment inside the instruction
                src/HyperDrive.Cli -o /out
            FROM ${BASE}
            COPY --from=build /out /app
            ENTRYPOINT ["dotnet", "/app/hyperdrive.dll", "worker"]
            """);

        Assert.Equal(2, dockerfile.StageCount);
        Assert.Equal("nvidia/cuda:1.2-runtime", dockerfile.BaseImage(1));
        Assert.Equal(0, dockerfile.StageNamed("build"));
        Assert.Equal(["dotnet", "publish", "src/HyperDrive.Cli", "-o", "/out"], dockerfile.InStage(0, "RUN").Single().Words());
        var (sources, destination) = dockerfile.InStage(1, "COPY").Single().CopyOperands();
        Assert.Equal(["/out"], sources);
        Assert.Equal("/app", destination);
        Assert.Equal("build", dockerfile.InStage(1, "COPY").Single().Flag("from"));
        Assert.Equal(["dotnet", "/app/hyperdrive.dll", "worker"], dockerfile.ExecForm("ENTRYPOINT"));
    }

    [Fact]
    public void Seed_dockerfile_should_pass_every_check()
    {
        Assert.Empty(CheckSeed(File.ReadAllText(DeploymentFiles.Docker("seed.Dockerfile")), IgnoreFile("seed.Dockerfile")));
    }

    [Fact]
    public void Worker_dockerfile_should_pass_every_check_including_the_cuda_switch()
    {
        Assert.Empty(CheckWorker(File.ReadAllText(DeploymentFiles.Docker("worker-cuda.Dockerfile")), IgnoreFile("worker-cuda.Dockerfile")));
    }

    [Theory]
    [InlineData("COPY hocon/ hocon/", "COPY conf/ hocon/", "COPY source 'conf/' does not exist")]
    [InlineData("\"seed\"]", "\"coordinator\"]", "ENTRYPOINT should be")]
    [InlineData("ENTRYPOINT [\"dotnet\", \"/app/hyperdrive.dll\", \"seed\"]", "ENTRYPOINT dotnet /app/hyperdrive.dll seed", "absent or in shell form")]
    [InlineData("\"--port\", \"8089\"", "\"--api-port\", \"8089\"", "unknown option --api-port")]
    [InlineData("-o /app", "-o /out", "does not copy the publish output '/out'")]
    [InlineData("dotnet/aspnet:10.0-noble", "dotnet/runtime:10.0-noble", "lacks the ASP.NET Core runtime")]
    [InlineData("dotnet/sdk:10.0-noble", "dotnet/sdk:9.0", "targets .NET 10")]
    [InlineData("USER app", "ENV HYPERDRIVE_API_TOKEN=secret", "bakes HYPERDRIVE_API_TOKEN")]
    public void Seed_dockerfile_check_should_fail_on_a_broken_copy(string find, string replacement, string expected)
    {
        var broken = DeploymentFiles.Mutate(File.ReadAllText(DeploymentFiles.Docker("seed.Dockerfile")), find, replacement);

        Assert.Contains(CheckSeed(broken, IgnoreFile("seed.Dockerfile")), p => p.Contains(expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(" -p:TorchBackend=cuda", "", "does not pass -p:TorchBackend=cuda")]
    [InlineData("COPY --from=dotnet /usr/share/dotnet /usr/share/dotnet", "", "lacks the ASP.NET Core runtime")]
    [InlineData("ARG CUDA_IMAGE=nvidia/cuda:", "ARG CUDA_IMAGE=ubuntu:24.04-", "not an nvidia/cuda image")]
    [InlineData("\"worker\"]", "\"seed\"]", "ENTRYPOINT should be")]
    public void Worker_dockerfile_check_should_fail_on_a_broken_copy(string find, string replacement, string expected)
    {
        var broken = DeploymentFiles.Mutate(File.ReadAllText(DeploymentFiles.Docker("worker-cuda.Dockerfile")), find, replacement);

        Assert.Contains(CheckWorker(broken, IgnoreFile("worker-cuda.Dockerfile")), p => p.Contains(expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("src/")]
    [InlineData("**/hocon")]
    public void Dockerfile_check_should_fail_when_the_ignore_file_excludes_a_copy_source(string pattern)
    {
        var problems = CheckSeed(File.ReadAllText(DeploymentFiles.Docker("seed.Dockerfile")), [.. IgnoreFile("seed.Dockerfile"), pattern]);

        Assert.Contains(problems, p => p.Contains($"excluded by the ignore pattern '{pattern}'", StringComparison.Ordinal));
    }

    [Fact]
    public void Ignore_files_should_keep_build_outputs_and_the_git_folder_out_of_the_context()
    {
        foreach (var name in new[] { "seed.Dockerfile", "worker-cuda.Dockerfile" })
        {
            Assert.Superset(new HashSet<string> { "**/bin/", "**/obj/", ".git/" }, IgnoreFile(name).ToHashSet());
        }
    }

    private static List<string> CheckSeed(string text, IReadOnlyList<string> ignore) =>
        DeploymentChecks.CheckDockerfile(Dockerfile.Parse(text), "seed.Dockerfile", DeploymentFiles.Root, ignore, "seed");

    private static List<string> CheckWorker(string text, IReadOnlyList<string> ignore)
    {
        var dockerfile = Dockerfile.Parse(text);
        return [.. DeploymentChecks.CheckDockerfile(dockerfile, "worker-cuda.Dockerfile", DeploymentFiles.Root, ignore, "worker"),
            .. DeploymentChecks.CheckCudaWorker(dockerfile, "worker-cuda.Dockerfile")];
    }

    private static IReadOnlyList<string> IgnoreFile(string dockerfile) =>
        DeploymentChecks.IgnorePatterns(File.ReadAllText(DeploymentFiles.Docker(dockerfile + ".dockerignore")));
}
