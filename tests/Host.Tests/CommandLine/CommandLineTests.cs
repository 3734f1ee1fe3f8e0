using System.Net;
using System.Net.Sockets;
using Merit.Testing;
using Merit.Tests.Recruitment;
using Xunit;

namespace Merit.Tests.CommandLine;

/// <summary>
/// <c>merit</c> as an operator runs it: verbs beside a server that holds 127.0.0.1:5000, standard output carrying
/// only the verb's output, help for every verb, refusals as one line and a non-zero exit.
/// </summary>
[RunsLong]
public sealed class CommandLineTests : IAsyncLifetime
{
    private readonly TestDatabase database = new();
    private MeritProcess merit = null!;

    public async Task InitializeAsync()
    {
        await database.InitializeAsync();
        merit = new MeritProcess(database.ConnectionString);
    }

    public Task DisposeAsync() => database.DisposeAsync();

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

        foreach (var verb in verbs)
        {
            var help = await Succeeds("help", verb);
            Assert.Contains(verb, help.Output, StringComparison.Ordinal);
        }

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
        var run = await merit.RunAsync(command.Split(' '));

        Assert.True(run.ExitCode != 0, run.ToString());
        Assert.Empty(run.Stdout);
        var line = Assert.Single(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Contains(says, line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_command_line_speaks_Bahasa_Indonesia_by_its_locale_or_by_lang_and_English_on_request()
    {
        var indonesian = new MeritProcess(database.ConnectionString, language: "C.UTF-8");
        var help = await indonesian.RunAsync("--help");
        Assert.True(help.ExitCode == 0, help.ToString());
        Assert.Contains("Perintah Merit:", help.Output, StringComparison.Ordinal);
        Assert.Contains("Menerbitkan pengumuman", help.Output, StringComparison.Ordinal);

        // A verb's own usages and options in the language; the host's options keep the framework's English.
        var announce = await indonesian.RunAsync("help", "announce");
        Assert.Contains("Cara pakai:", announce.Output, StringComparison.Ordinal);
        Assert.Contains("Kode seleksi, mis. CPNS-2024", announce.Output, StringComparison.Ordinal);
        Assert.Contains("Override the log level", announce.Output, StringComparison.Ordinal);
        Assert.Contains("The round's code, e.g. CPNS-2024", (await indonesian.RunAsync("--lang", "en", "announce", "--help")).Output, StringComparison.Ordinal);
        foreach (var verb in new[] { "rounds", "import", "decide", "export", "audit", "personal-data", "token", "announce", "what-if" })
        {
            foreach (var language in new[] { "id", "en" })
            {
                // An option with no text in the catalogue would be described by its member's name.
                var usage = await indonesian.RunAsync("--lang", language, "help", verb);
                Assert.DoesNotMatch(new System.Text.RegularExpressions.Regex(@"\s(\w+Flag|Action|Kind|File|Target|Code|List|Decision)$", System.Text.RegularExpressions.RegexOptions.Multiline), usage.Output.Replace("\r", "", StringComparison.Ordinal));
            }
        }

        var refused = await indonesian.RunAsync("launch");
        Assert.Contains("merit: 'launch' bukan perintah", refused.Stderr, StringComparison.Ordinal);
        Assert.Contains("tidak ada seleksi NO-SUCH-ROUND", (await indonesian.RunAsync("rounds", "status", "NO-SUCH-ROUND")).Stderr, StringComparison.Ordinal);

        // --lang, wherever it stands, outranks the locale; an unknown language is refused before anything runs.
        Assert.Contains("Merit's verbs:", (await indonesian.RunAsync("--lang", "en", "--help")).Output, StringComparison.Ordinal);
        Assert.Contains("'launch' is not a verb", (await indonesian.RunAsync("launch", "--lang", "en")).Stderr, StringComparison.Ordinal);
        Assert.Contains("bukan perintah", (await merit.RunAsync("--lang", "id", "launch")).Stderr, StringComparison.Ordinal);
        var unknown = await merit.RunAsync("--lang", "fr", "rounds", "list");
        Assert.True(unknown.ExitCode != 0, unknown.ToString());
        Assert.Contains("--lang takes id (Bahasa Indonesia) or en", unknown.Stderr, StringComparison.Ordinal);

        // The verbs' reports and progress lines too; the numbers and the file names are the same in both.
        var folder = Directory.CreateTempSubdirectory("merit-cli-lang-");
        try
        {
            var formations = Path.Combine(folder.FullName, "formations.csv");
            var formationsCsv = new GeneratedRound(formations: 3, applicants: 10, seed: 31).FormationsCsv();
            await File.WriteAllTextAsync(formations, formationsCsv);
            Assert.Equal(0, (await indonesian.RunAsync("rounds", "open", "LANG-2024", "--rule-set", "CPNS-2024")).ExitCode);
            var imported = await indonesian.RunAsync("import", "formations", formations, "--round", "LANG-2024");
            Assert.True(imported.ExitCode == 0, imported.ToString());
            Assert.Equal($"{formations}: 3 baris, 3 peristiwa ditambahkan, 0 tidak berubah\n", imported.Output);
            Assert.Contains("ditulis: 3/3", imported.Stderr, StringComparison.Ordinal);
            var again = await indonesian.RunAsync("import", "formations", formations, "--round", "LANG-2024", "--lang", "en");
            Assert.Equal($"{formations}: 3 rows, 0 events appended, 3 unchanged\n", again.Output);
            Assert.DoesNotContain("ditulis", again.Stderr, StringComparison.Ordinal);

            var broken = Path.Combine(folder.FullName, "broken.csv");
            await File.WriteAllTextAsync(broken, formationsCsv.Split('\n')[0] + "\nnot,a,formation\n");
            var refusedFile = await indonesian.RunAsync("import", "formations", broken, "--round", "LANG-2024");
            Assert.True(refusedFile.ExitCode != 0, refusedFile.ToString());
            Assert.Contains($"merit import: {broken} ditolak, tidak ada yang ditulis (", refusedFile.Stderr, StringComparison.Ordinal);
            Assert.Contains($"{broken}: baris 2", refusedFile.Stderr, StringComparison.Ordinal);

            var verified = await indonesian.RunAsync("audit", "verify");
            Assert.True(verified.ExitCode == 0, verified.ToString());
            Assert.StartsWith("utuh, 4 peristiwa, 4 aliran, segel terakhir belum ada", verified.Output, StringComparison.Ordinal);
            Assert.Contains("rantai: ", verified.Stderr, StringComparison.Ordinal);
            var english = await indonesian.RunAsync("--lang", "en", "audit", "verify");
            Assert.StartsWith("intact, 4 events, 4 streams, last seal none", english.Output, StringComparison.Ordinal);
            Assert.Contains("chains: ", english.Stderr, StringComparison.Ordinal);
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

    private async Task<MeritRun> Succeeds(params string[] args)
    {
        var run = await merit.RunAsync(args);
        Assert.True(run.ExitCode == 0, $"merit {string.Join(' ', args)}: {run}");
        Assert.DoesNotContain("   at ", run.Stderr, StringComparison.Ordinal);
        return run;
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
