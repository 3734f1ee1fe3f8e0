using System.Text.Json.Nodes;
using Merit.Audit;
using Merit.Testing;
using Xunit;

namespace Merit.Tests.Audit;

/// <summary>The command line an operator or a scheduled job runs: <c>merit audit verify | seal | export-seal</c>, as a separate process.</summary>
[RunsLong]
public class AuditCommandTests(MeritApp app) : IClassFixture<MeritApp>
{
    private readonly AuditClient audit = new(app);

    [Fact]
    public async Task The_command_line_verifies_seals_exports_and_checks_the_export_and_fails_on_a_broken_chain()
    {
        var round = await audit.RoundWithHistoryAsync("CLI");

        var (code, output) = await MeritAsync("audit", "verify");
        Assert.True(code == 0, output);
        Assert.Contains("intact, 4 events, 1 streams, last seal none", output, StringComparison.Ordinal);

        (code, output) = await MeritAsync("audit", "seal");
        Assert.True(code == 0, output);
        Assert.Contains("seal 1: sequences", output, StringComparison.Ordinal);

        var file = Path.Combine(Path.GetTempPath(), $"merit-seal-{Guid.NewGuid():N}.json");
        try
        {
            (code, output) = await MeritAsync("audit", "export-seal", "1", file);
            Assert.True(code == 0, output);
            var (statement, signature, problem) = SealStatement.Read(JsonNode.Parse(await File.ReadAllTextAsync(file))!.AsObject());
            Assert.Null(problem);
            Assert.True(statement!.IsSignedBy(signature!));
            Assert.Equal(4, statement.Count);

            (code, output) = await MeritAsync("audit", "verify", "--seal", file);
            Assert.True(code == 0, output);
            Assert.Contains("seal 1 intact, 4 events", output, StringComparison.Ordinal);

            await audit.SqlAsync("update merit.mt_events set user_name = 'operator' where stream_id = @s and version = 2", ("s", round));

            (code, output) = await MeritAsync("audit", "verify", "--stream", round.ToString(), "--seal", file);
            Assert.NotEqual(0, code);
            Assert.Contains($"stream {round} version 2", output, StringComparison.Ordinal);
            Assert.Contains("ContentMismatch", output, StringComparison.Ordinal);
            Assert.Contains("seal 1 BROKEN", output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private Task<(int ExitCode, string Output)> MeritAsync(params string[] args) => MeritCommandLine.RunAsync(app, args);
}
