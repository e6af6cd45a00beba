using HyperDrive.Training.Commands;

namespace HyperDrive.Training.Tests.Commands;

public sealed class CommandLineSplitterTests
{
    // Expected vectors are what `printf '%s|'` prints for the same text in bash, with '|' separating words.
    [Theory]
    [InlineData("python3 train.py", "python3|train.py")]
    [InlineData("  python3\t train.py  \n --lr 0.1 ", "python3|train.py|--lr|0.1")]
    [InlineData("echo 'a b' c", "echo|a b|c")]
    [InlineData("echo \"a b\" c", "echo|a b|c")]
    [InlineData("echo 'it''s'", "echo|its")]
    [InlineData("echo \"say \\\"hi\\\"\"", "echo|say \"hi\"")]
    [InlineData("echo \"\\$HOME \\` \\\\ \\n\"", "echo|$HOME ` \\ \\n")]
    [InlineData("echo '\\n $HOME \"'", "echo|\\n $HOME \"")]
    [InlineData("echo a\\ b", "echo|a b")]
    [InlineData("echo \\'x", "echo|'x")]
    [InlineData("echo a\"b c\"d'e f'g", "echo|ab cde fg")]
    [InlineData("echo $HOME `id` $(id) ; rm -rf x 2>&1 && z > out *", "echo|$HOME|`id`|$(id)|;|rm|-rf|x|2>&1|&&|z|>|out|*")]
    [InlineData("python3 t.py --x=${{search_space.x}}", "python3|t.py|--x=${{search_space.x}}")]
    [InlineData("a \\\n b", "a|b")]
    public void Split_should_split_like_a_shell_without_expansion(string commandLine, string expected)
    {
        Assert.Equal(expected.Split('|'), CommandLineSplitter.Split(commandLine));
    }

    [Fact]
    public void Split_should_keep_a_pipe_as_a_plain_argument()
    {
        Assert.Equal(["a", "|", "b||c"], CommandLineSplitter.Split("a | b||c").ToArray());
    }

    [Fact]
    public void Split_should_keep_an_empty_quoted_argument()
    {
        Assert.Equal(["cmd", "", "x", ""], CommandLineSplitter.Split("cmd '' x \"\"").ToArray());
    }

    [Fact]
    public void Split_should_return_nothing_for_blank_text()
    {
        Assert.Empty(CommandLineSplitter.Split(" \t\n"));
    }

    [Theory]
    [InlineData("echo 'abc", "unterminated single quote at position 6")]
    [InlineData("echo \"abc", "unterminated double quote at position 6")]
    [InlineData("echo \"ab\\\"", "unterminated double quote at position 6")]
    [InlineData("echo abc\\", "lone backslash")]
    public void Split_should_refuse_an_unterminated_quote(string commandLine, string message)
    {
        var error = Assert.Throws<TrialCommandException>(() => CommandLineSplitter.Split(commandLine));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
