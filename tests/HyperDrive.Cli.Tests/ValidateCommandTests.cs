namespace HyperDrive.Cli.Tests;

public sealed class ValidateCommandTests
{
    [Fact]
    public async Task Validate_should_exit_0_when_the_file_is_valid()
    {
        var result = await CliRunner.RunAsync("validate", Path.Combine(CliRunner.RepositoryRoot(), "examples", "fictitious.yml"));

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("valid", result.Output);
        Assert.Contains("3 parameter(s)", result.Output);
    }

    [Fact]
    public async Task Validate_should_exit_2_and_report_every_error_with_its_path_when_the_file_is_invalid()
    {
        var result = await CliRunner.RunAsync("validate", CliRunner.Spec("invalid.yml"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("search_space.lr", result.Error);
        Assert.Contains("uniform expects min_value < max_value", result.Error);
        Assert.Contains("search_space.sigma", result.Error);
        Assert.Contains("normal expects sigma to be non negative", result.Error);
        Assert.Contains("max_concurrent_trials", result.Error);
    }

    [Fact]
    public async Task Validate_should_exit_2_when_the_file_does_not_exist()
    {
        var result = await CliRunner.RunAsync("validate", CliRunner.Spec("no-such-file.yml"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("file not found", result.Error);
    }

    [Fact]
    public async Task Cli_should_exit_2_when_an_option_is_unknown()
    {
        var result = await CliRunner.RunAsync("validate", CliRunner.Spec("grid-small.yml"), "--no-such-option");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--no-such-option", result.Error);
    }
}
