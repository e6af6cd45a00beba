using Akka.Configuration;
using HyperDrive.Actors.Artifacts;

namespace HyperDrive.Actors.Tests.Artifacts;

public sealed class ArtifactKeyTests
{
    [Theory]
    [InlineData("", "empty")]
    [InlineData("/etc/passwd", "absolute")]
    [InlineData("C:/Windows/x", "absolute")]
    [InlineData("a\\b", "backslash")]
    [InlineData("..", "'..' segment")]
    [InlineData("a/../b", "'..' segment")]
    [InlineData("a/..", "'..' segment")]
    [InlineData("./a", "'.' segment")]
    [InlineData("a/./b", "'.' segment")]
    [InlineData("a//b", "empty segment")]
    [InlineData("a/", "empty segment")]
    [InlineData("a\0b", "U+0000")]
    [InlineData("a\nb", "U+000A")]
    [InlineData("a\u007fb", "U+007F")]
    public void Validate_should_refuse_a_key_naming_it_and_the_rule(string key, string rule)
    {
        var refused = Assert.Throws<ArgumentException>(() => ArtifactKey.Validate(key));

        Assert.Contains(rule, refused.Message, StringComparison.Ordinal);
        Assert.StartsWith($"invalid artifact key '{key.Replace("\0", "\\u0000", StringComparison.Ordinal).Replace("\n", "\\u000a", StringComparison.Ordinal).Replace("\u007f", "\\u007f", StringComparison.Ordinal)}'", refused.Message, StringComparison.Ordinal);
        Assert.False(ArtifactKey.IsValid(key));
    }

    [Fact]
    public void Validate_should_refuse_a_key_over_1024_characters_and_accept_one_of_exactly_1024()
    {
        var longest = string.Join('/', Enumerable.Repeat(new string('x', 99), 10)) + "/" + new string('y', 24);
        Assert.Equal(1024, longest.Length);

        ArtifactKey.Validate(longest);
        var refused = Assert.Throws<ArgumentException>(() => ArtifactKey.Validate(longest + "z"));
        Assert.Contains("1025 characters", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a")]
    [InlineData("sweeps/abc/trials/3/checkpoints/model.pt")]
    [InlineData("..hidden/.env/a..b/...")]
    [InlineData("names with spaces/ünïcødé/日本語.txt")]
    [InlineData("ab:c/d")]
    public void Validate_should_accept_a_relative_slash_separated_path(string key)
    {
        ArtifactKey.Validate(key);
        Assert.True(ArtifactKey.IsValid(key));
    }

    [Theory]
    [InlineData("", "")]
    [InlineData("a", "a/")]
    [InlineData("a/b/", "a/b/")]
    public void Normalize_prefix_should_give_the_folder_with_one_trailing_slash(string prefix, string normalized) =>
        Assert.Equal(normalized, ArtifactKey.NormalizePrefix(prefix));

    [Theory]
    [InlineData("/")]
    [InlineData("a//")]
    [InlineData("../")]
    public void Normalize_prefix_should_refuse_an_invalid_folder(string prefix) =>
        Assert.Throws<ArgumentException>(() => ArtifactKey.NormalizePrefix(prefix));

    [Fact]
    public void Keys_should_follow_the_documented_layout()
    {
        Assert.Equal("sweeps/digits-3f9c/code.zip", ArtifactKeys.CodeArchive("digits-3f9c"));
        Assert.Equal("sweeps/digits-3f9c/trials/3/checkpoints/", ArtifactKeys.Checkpoints("digits-3f9c", 3));
        Assert.Equal("sweeps/digits-3f9c/trials/3/attempt-2/outputs/", ArtifactKeys.Outputs("digits-3f9c", 3, 2));
        Assert.Equal("sweeps/digits-3f9c/trials/3/attempt-2/trial.log", ArtifactKeys.TrialLog("digits-3f9c", 3, 2));
        Assert.Throws<ArgumentException>(() => ArtifactKeys.CodeArchive("a/b"));
        Assert.Throws<ArgumentException>(() => ArtifactKeys.CodeArchive(".."));
        Assert.Throws<ArgumentOutOfRangeException>(() => ArtifactKeys.Trial("s", 0));
    }

    [Theory]
    [InlineData("sweeps/s/trials/3/checkpoints/model.pt", "sweeps/s/trials/3/")]
    [InlineData("sweeps/s/trials/12/attempt-1/trial.log", "sweeps/s/trials/12/")]
    [InlineData("sweeps/s/code.zip", null)]
    [InlineData("sweeps/s/trials/3", null)]
    [InlineData("other/s/trials/3/x", null)]
    public void Trial_of_should_find_the_trial_folder_a_key_counts_against(string key, string? trial) =>
        Assert.Equal(trial, ArtifactKeys.TrialOf(key));

    [Fact]
    public void Limits_should_read_HOCON_sizes_and_default_to_one_GiB_per_trial()
    {
        Assert.Equal(new ArtifactLimits(1L << 30, 1L << 30), ArtifactLimits.FromConfig(Config.Empty));
        Assert.Equal(new ArtifactLimits(4L << 30, 4L << 30), ArtifactLimits.FromConfig(ConfigurationFactory.ParseString("hyperdrive.artifacts.max-bytes-per-trial = 4 GiB")));
        Assert.Equal(new ArtifactLimits(1L << 30, 200L << 20),
            ArtifactLimits.FromConfig(ConfigurationFactory.ParseString("hyperdrive.artifacts { max-bytes-per-file = 200 MiB }")));
        Assert.Throws<ArgumentException>(() => ArtifactLimits.FromConfig(ConfigurationFactory.ParseString("hyperdrive.artifacts.max-bytes-per-trial = 0")));
    }
}
