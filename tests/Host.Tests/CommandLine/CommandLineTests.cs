using System.Net;
using System.Net.Sockets;
using Merit.Tests.Recruitment;
using Xunit;

namespace Merit.Tests.CommandLine;

/// <summary>
/// <c>merit</c> as an operator runs it: verbs beside a server that holds 127.0.0.1:5000, standard output carrying
/// only the verb's output.
/// </summary>
[RunsLong]
public sealed class CommandLineTests : CommandLineScenario
{
    [Fact]
    public async Task Import_decide_and_export_run_while_another_process_holds_port_5000_and_stdout_is_the_csv()
    {
        using var holder = HoldPort5000();
        var round = new GeneratedRound(formations: 6, applicants: 90, seed: 29);
        var folder = Directory.CreateTempSubdirectory("merit-cli-");
        try
        {
            async Task<string> FileAsync(string name, string content)
            {
                var path = Path.Combine(folder.FullName, name);
                await File.WriteAllTextAsync(path, content);
                return path;
            }

            await Succeeds("rounds", "open", "CLI-2024", "--rule-set", "CPNS-2024");
            await Succeeds("import", "formations", await FileAsync("formations.csv", round.FormationsCsv()), "--round", "CLI-2024");
            await Succeeds("rounds", "stage", "CLI-2024");
            await Succeeds("import", "applicants", await FileAsync("applicants.csv", round.ApplicantsCsv()), "--round", "CLI-2024");
            await Succeeds("rounds", "stage", "CLI-2024", "--to", "AdministrativeSelection");
            await Succeeds("import", "verification", await FileAsync("verification.csv", round.VerificationCsv()), "--round", "CLI-2024");
            await Succeeds("rounds", "stage", "CLI-2024");
            await Succeeds("rounds", "stage", "CLI-2024");
            await Succeeds("import", "skd", await FileAsync("skd.csv", round.SkdCsv()), "--round", "CLI-2024");
            await Succeeds("rounds", "stage", "CLI-2024");
            var decided = await Succeeds("decide", "skd-cutoff", "--round", "CLI-2024");
            Assert.StartsWith("skd-cutoff: 6 formations decided", decided.Output, StringComparison.Ordinal);

            var piped = await Succeeds("export", "skb-admission", "--round", "CLI-2024");
            var written = Path.Combine(folder.FullName, "skb-admission.csv");
            await Succeeds("export", "skb-admission", "--round", "CLI-2024", "--out", written);

            Assert.Equal(await File.ReadAllBytesAsync(written), piped.Stdout);
            Assert.Equal(round.ExpectedSkbAdmissionCsv(), piped.Output);

            var status = await Succeeds("rounds", "status", "CLI-2024");
            Assert.Contains("stage: Skb since", status.Output, StringComparison.Ordinal);
            Assert.Contains("skd cut-offs decided: 6 of 6", status.Output, StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_token_is_alone_on_stdout()
    {
        var run = await Succeeds("token", "issue", "--role", "committee", "--subject", "panitia-ani", "--scope", "CPNS-2024");

        var token = Assert.Single(run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(3, token.Split('.').Length);
    }


    /// <summary>What a serving Merit holds: 127.0.0.1:5000. Already taken (a demo running) serves the test as well.</summary>
    private static TcpListener? HoldPort5000()
    {
        var listener = new TcpListener(IPAddress.Loopback, 5000);
        try
        {
            listener.Start();
            return listener;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            return null;
        }
    }
}
