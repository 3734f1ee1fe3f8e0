using Xunit;

namespace Merit.Tests.CommandLine;

/// <summary><c>merit</c>'s help for every verb, and refusals as one line on standard error and a non-zero exit.</summary>
[RunsLong]
public sealed class CommandLineHelpTests : CommandLineScenario
{
    [Fact]
    public async Task Help_answers_for_merit_and_for_every_verb()
    {
        var list = await Succeeds("--help");
        var verbs = list.Output.Split('\n')
            .Where(l => l.StartsWith("  ", StringComparison.Ordinal) && !l.StartsWith("  merit", StringComparison.Ordinal))
            .Select(l => l.Trim().Split(' ')[0])
            .ToList();
        Assert.Contains("rounds", verbs);
        Assert.Contains("projections", verbs);
        Assert.True(verbs.Count > 20, list.ToString());

        // Help builds no host: the verbs' processes run side by side, each waiting mostly on its own start-up.
        await Parallel.ForEachAsync(verbs, Beside, async (verb, _) =>
        {
            var help = await Succeeds("help", verb);
            Assert.Contains(verb, help.Output, StringComparison.Ordinal);
        });

        Assert.Contains("--rule-set", (await Succeeds("rounds", "--help")).Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("token issue --role admin --subject ani --hours 0", "--hours")]
    [InlineData("token issue --role ruler --subject ani", "unknown role")]
    [InlineData("export final --round NO-SUCH-ROUND", "round NO-SUCH-ROUND")]
    [InlineData("rounds stage NO-SUCH-ROUND", "no round NO-SUCH-ROUND")]
    [InlineData("rounds open X-1 --rule-set CPNS-1999", "rule set")]
    [InlineData("import skd /no/such/file.csv --round X-1", "no file")]
    [InlineData("audit history --stream 00000000-0000-0000-0000-000000000001 --at yesterday", "--at")]
    [InlineData("personal-data access-log --from soon", "--from")]
    [InlineData("launch", "not a verb")]
    public async Task A_refusal_is_one_line_on_stderr_and_a_non_zero_exit(string command, string says)
    {
        var run = await Cli.RunAsync(command.Split(' '));

        Assert.True(run.ExitCode != 0, run.ToString());
        Assert.Empty(run.Stdout);
        var line = Assert.Single(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Contains(says, line, StringComparison.Ordinal);
    }
}
