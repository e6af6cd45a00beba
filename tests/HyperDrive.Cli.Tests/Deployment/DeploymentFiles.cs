namespace HyperDrive.Cli.Tests.Deployment;

/// <summary>Paths of the deployment files in the checkout.</summary>
internal static class DeploymentFiles
{
    public static string Root => CliRunner.RepositoryRoot();

    public static string Docker(string name) => Path.Combine(Root, "docker", name);

    public static string ClusterLocalScript => Path.Combine(Root, "scripts", "cluster-local");

    /// <summary>Text with the first occurrence of <paramref name="find"/> replaced; fails when it is not there.</summary>
    public static string Mutate(string text, string find, string replacement)
    {
        var index = text.IndexOf(find, StringComparison.Ordinal);
        Assert.True(index >= 0, $"the mutation's text '{find}' is not in the file");
        return string.Concat(text.AsSpan(0, index), replacement, text.AsSpan(index + find.Length));
    }
}
