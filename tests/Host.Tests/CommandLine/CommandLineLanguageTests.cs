using Merit.Tests.Recruitment;
using Xunit;

namespace Merit.Tests.CommandLine;

/// <summary><c>merit</c> in Bahasa Indonesia by its locale or by <c>--lang</c>, and in English on request.</summary>
[RunsLong]
public sealed class CommandLineLanguageTests : CommandLineScenario
{
    private static readonly string[] Verbs = ["rounds", "import", "decide", "export", "audit", "personal-data", "token", "announce", "what-if"];
    private static readonly string[] Languages = ["id", "en"];

    [Fact]
    public async Task The_command_line_speaks_Bahasa_Indonesia_by_its_locale_or_by_lang_and_English_on_request()
    {
        var indonesian = new MeritProcess(ConnectionString, language: "C.UTF-8");
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
        var usages = from verb in Verbs from language in Languages select (verb, language);
        await Parallel.ForEachAsync(usages, Beside, async (usage, _) =>
        {
            // An option with no text in the catalogue would be described by its member's name.
            var run = await indonesian.RunAsync("--lang", usage.language, "help", usage.verb);
            Assert.DoesNotMatch(new System.Text.RegularExpressions.Regex(@"\s(\w+Flag|Action|Kind|File|Target|Code|List|Decision)$", System.Text.RegularExpressions.RegexOptions.Multiline), run.Output.Replace("\r", "", StringComparison.Ordinal));
        });

        var refused = await indonesian.RunAsync("launch");
        Assert.Contains("merit: 'launch' bukan perintah", refused.Stderr, StringComparison.Ordinal);
        Assert.Contains("tidak ada seleksi NO-SUCH-ROUND", (await indonesian.RunAsync("rounds", "status", "NO-SUCH-ROUND")).Stderr, StringComparison.Ordinal);

        // --lang, wherever it stands, outranks the locale; an unknown language is refused before anything runs.
        Assert.Contains("Merit's verbs:", (await indonesian.RunAsync("--lang", "en", "--help")).Output, StringComparison.Ordinal);
        Assert.Contains("'launch' is not a verb", (await indonesian.RunAsync("launch", "--lang", "en")).Stderr, StringComparison.Ordinal);
        Assert.Contains("bukan perintah", (await Cli.RunAsync("--lang", "id", "launch")).Stderr, StringComparison.Ordinal);
        var unknown = await Cli.RunAsync("--lang", "fr", "rounds", "list");
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
}
