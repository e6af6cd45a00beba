namespace HyperDrive.Cli.Tests.Deployment;

public sealed class NodeCommandTests
{
    private static readonly string[] Seed = ["dotnet", "/app/hyperdrive.dll", "seed"];
    private static readonly string[] Worker = ["dotnet", "/app/hyperdrive.dll", "worker"];

    [Fact]
    public void Parse_should_accept_every_contract_option_of_seed_in_order()
    {
        var node = NodeCommand.Parse([.. Seed, "--host", "seed", "--cluster-port", "4053",
            "--seed-node", "akka.tcp://hyperdrive@seed:4053", "--seed-node", "akka.tcp://hyperdrive@seed2:4053",
            "--postgres", "Host=db;Username=a;Password=b;Database=c", "--data-dir", "/data", "--bind", "0.0.0.0", "--port", "8089", "--token", "t"]);

        Assert.Empty(node.Problems);
        Assert.Equal("seed", node.Command);
        Assert.Equal(["akka.tcp://hyperdrive@seed:4053", "akka.tcp://hyperdrive@seed2:4053"], node.Values("--seed-node"));
        Assert.Equal("0.0.0.0", node.Value("--bind"));
    }

    [Fact]
    public void Parse_should_accept_every_contract_option_of_worker()
    {
        var node = NodeCommand.Parse([.. Worker, "--seed-node", "akka.tcp://hyperdrive@127.0.0.1:4053", "--host", "127.0.0.1",
            "--cluster-port", "0", "--gpus", "2", "--cpu-slots", "8", "--postgres", "Host=x", "--data-dir", "d"]);

        Assert.Empty(node.Problems);
        Assert.Equal("worker", node.Command);
    }

    [Theory]
    [InlineData("seed --api-port 8089", "unknown option --api-port")]
    [InlineData("seed --port", "--port needs a value")]
    [InlineData("seed --port --bind 0.0.0.0", "--port needs a value")]
    [InlineData("seed --port 80a", "'80a' is not a whole number")]
    [InlineData("seed --host a --host b", "--host given twice")]
    [InlineData("seed extra", "unexpected argument 'extra'")]
    [InlineData("worker --seed-node akka.tcp://hyperdrive@s:1 --port 80", "--port is not an option of worker")]
    [InlineData("seed --seed-node akka.tcp://other@seed:4053", "is not akka.tcp://hyperdrive@HOST:PORT")]
    [InlineData("seed --seed-node akka.tcp://hyperdrive@seed", "is not akka.tcp://hyperdrive@HOST:PORT")]
    [InlineData("worker --host 127.0.0.1", "needs at least one --seed-node")]
    [InlineData("worker --seed-node akka.tcp://hyperdrive@s:1 --bind 0.0.0.0", "--bind is not an option of worker")]
    [InlineData("worker --seed-node akka.tcp://hyperdrive@s:1 --token t", "--token is not an option of worker")]
    [InlineData("coordinator --host h", "'coordinator' is not a node command")]
    public void Parse_should_report_a_line_outside_the_contract(string line, string expected)
    {
        var node = NodeCommand.Parse(["dotnet", "/app/hyperdrive.dll", .. line.Split(' ')]);

        Assert.Contains(node.Problems, p => p.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_should_report_a_line_that_does_not_run_the_cli()
    {
        var node = NodeCommand.Parse(["dotnet", "/app/other.dll", "seed"]);

        Assert.Contains(node.Problems, p => p.Contains("does not start with", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_should_leave_the_seed_node_of_an_image_default_to_the_run()
    {
        Assert.Empty(NodeCommand.Parse(Worker, complete: false).Problems);
        Assert.NotEmpty(NodeCommand.Parse(Worker).Problems);
    }

    [Fact]
    public void Parse_should_leave_compose_variables_to_compose()
    {
        var node = NodeCommand.Parse([.. Seed, "--port", "${API_PORT:-8089}", "--token", "${HYPERDRIVE_API_TOKEN:?set it}"]);

        Assert.Empty(node.Problems);
    }
}
