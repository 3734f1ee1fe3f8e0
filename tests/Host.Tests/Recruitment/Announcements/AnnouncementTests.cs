using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Marten;
using Merit.PersonalData;
using Merit.Recruitment;
using Merit.Recruitment.Announcements;
using Merit.Testing;
using Merit.Tests.Audit;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Merit.Tests.Recruitment.Announcements;

/// <summary>
/// Announcements of a generated round (docs/adr/0045): issued, printed as PDF and XLSX, read back (text out of the
/// PDF, cells out of the XLSX) and compared with the round's lists as computed independently from the regulation
/// (<see cref="GeneratedRound"/>); the same events give the same bytes; each print is in the read-access log; the
/// proof verifies; later decisions supersede an edition and a new one lists them.
/// </summary>
[RunsLong]
public class AnnouncementTests(MeritApp app) : IClassFixture<MeritApp>
{
    private readonly RecruitmentApi api = new(app.CreateClient());
    private readonly AuditClient audit = new(app);

    /// <summary>A name per applicant, with a letter outside Latin-1 so the PDF's Unicode mapping is exercised.</summary>
    private static string NameOf(string registrationNumber) => $"Dewi {registrationNumber[^4..]} Āmin";

    /// <summary>A round of 34 formations (2 per instansi) and 1,200 applicants, through imports and round-wide decisions to stage Integration.</summary>
    private async Task<(Guid Round, GeneratedRound Generated)> RoundAtIntegrationAsync(string code)
    {
        var generated = new GeneratedRound(formations: 34, applicants: 1_200, seed: 31);
        var round = await api.OpenRoundAsync(code);
        await api.ImportAsync(round, "formations", generated.FormationsCsv());
        await api.AdvanceAsync(round, "Registration");
        var applicants = string.Join('\n', generated.ApplicantsCsv().TrimEnd('\n').Split('\n').Select((line, i) => i == 0 ? line + ",full_name" : line + "," + NameOf(line.Split(',')[0]))) + "\n";
        await api.ImportAsync(round, "applicants", applicants);
        await api.AdvanceAsync(round, "AdministrativeSelection");
        await api.ImportAsync(round, "verification", generated.VerificationCsv());
        await api.AdvanceAsync(round, "AdministrativeAppeal", "Skd");
        await api.ImportAsync(round, "skd", generated.SkdCsv());
        await api.AdvanceAsync(round, "Skb");
        await api.DecideAsync(round, "skd-cutoff");
        Assert.Equal(generated.ExpectedSkbAdmissionCsv(), await api.Client.GetStringAsync($"/rounds/{round}/exports/skb-admission"));
        generated.ScoreSkb(generated.Admitted(), seed: 32);
        await api.ImportAsync(round, "skb", generated.SkbCsv());
        await api.AdvanceAsync(round, "Integration");
        await api.DecideAsync(round, "final");
        return (round, generated);
    }

    private Task<HttpResponseMessage> IssueAsync(Guid round, string kind, string instansi, object? body = null) =>
        api.Client.PostAsJsonAsync($"/rounds/{round}/announcements/{kind}/{instansi}", body ?? new { });

    private async Task<JsonObject> IssuedAsync(Guid round, string kind, string instansi, object? body = null)
    {
        var response = await IssueAsync(round, kind, instansi, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    private async Task<byte[]> PrintAsync(Guid round, string kind, string instansi, string format, string? language = null, int? edition = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/rounds/{round}/announcements/{kind}/{instansi}/{format}" + (edition is null ? "" : $"?edition={edition}"));
        if (language is not null)
        {
            request.Headers.AcceptLanguage.ParseAdd(language);
        }

        var response = await api.Client.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        Assert.Equal(format == "pdf" ? AnnouncementPdf.MediaType : AnnouncementXlsx.MediaType, response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsByteArrayAsync();
    }

    /// <summary>The table lines of a printed PDF: those that start with a running number and a formation of the list.</summary>
    private static List<List<string>> PdfRows(byte[] pdf, HashSet<string> formations) =>
        PdfText.Lines(pdf).Where(l => l.Count > 2 && int.TryParse(l[0], CultureInfo.InvariantCulture, out _) && formations.Contains(l[1])).ToList();

    /// <summary>The table rows of a printed XLSX: those after the header row (first cell "No."), up to the first empty row.</summary>
    private static List<List<string>> XlsxRows(byte[] xlsx) =>
        XlsxCells.Rows(xlsx).SkipWhile(r => r.Count == 0 || r[0] != "No.").Skip(1).TakeWhile(r => r.Count > 0).Select(TrimEnd).ToList();

    private static List<string> TrimEnd(List<string> cells) => cells.Take(cells.FindLastIndex(c => c.Length > 0) + 1).ToList();

    /// <summary>The final list's lines of these formations, as the regulation computes them: formation, rank, number, SKD, SKB, final, status.</summary>
    private static List<string[]> ExpectedFinal(GeneratedRound generated, HashSet<string> formations) =>
        generated.ExpectedFinalCsv().Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(',')).Where(f => formations.Contains(f[0])).ToList();

    [Fact]
    public async Task The_final_announcements_of_a_generated_round_read_back_equal_to_its_final_list_in_both_formats_and_languages()
    {
        var (round, generated) = await RoundAtIntegrationAsync("CPNS-2024-ANN");

        // Nothing is sealed yet: an announcement names the seal that covers it, so it waits for one.
        var unsealed = await RecruitmentApi.ProblemOf(await IssueAsync(round, "final", "INST00"), HttpStatusCode.Conflict);
        Assert.Equal("announcement.not-sealed", (string)unsealed["code"]!);
        await audit.SealAsync();

        foreach (var instansi in generated.Formations.Select(f => f.Instansi).Distinct().Order(StringComparer.Ordinal))
        {
            var formations = generated.Formations.Where(f => f.Instansi == instansi).Select(f => f.Code).ToHashSet();
            var expected = ExpectedFinal(generated, formations);
            var issued = await IssuedAsync(round, "final", instansi);
            Assert.Equal(expected.Count, (int)issued["issued"]!["rows"]!);
            Assert.Equal($"AKHIR-1/{instansi}/CPNS-2024-ANN", (string)issued["issued"]!["number"]!);

            var pdf = PdfRows(await PrintAsync(round, "final", instansi, "pdf"), formations);
            Assert.Equal(
                expected.Select((f, i) => new[] { (i + 1).ToString(CultureInfo.InvariantCulture), f[0], f[2], NameOf(f[2]), f[3], f[4].Replace('.', ','), f[5].Replace('.', ','), f[1], f[6] }.Where(c => c.Length > 0).ToList()),
                pdf);

            var position = generated.Formations.ToDictionary(f => f.Code);
            var xlsx = XlsxRows(await PrintAsync(round, "final", instansi, "xlsx"));
            Assert.Equal(
                expected.Select((f, i) => TrimEnd([(i + 1).ToString(CultureInfo.InvariantCulture), f[0], position[f[0]].Position, position[f[0]].Location, position[f[0]].Category, f[2], NameOf(f[2]), f[3], f[4], f[5], f[1], f[6]])),
                xlsx);
        }

        // English on request: the same rows, decimals with a point; the headings in English.
        var inst00 = generated.Formations.Where(f => f.Instansi == "INST00").Select(f => f.Code).ToHashSet();
        var english = await PrintAsync(round, "final", "INST00", "pdf", "en-US");
        Assert.Contains(PdfText.Lines(english), l => l.Contains("Final Result of the Selection"));
        Assert.Equal(
            ExpectedFinal(generated, inst00).Select((f, i) => new[] { (i + 1).ToString(CultureInfo.InvariantCulture), f[0], f[2], NameOf(f[2]), f[3], f[4], f[5], f[1], f[6] }.Where(c => c.Length > 0).ToList()),
            PdfRows(english, inst00));
        Assert.Contains(PdfText.Lines(await PrintAsync(round, "final", "INST00", "pdf")), l => l.Contains("Hasil Akhir Seleksi"));
    }

    [Fact]
    public async Task The_same_events_give_the_same_bytes_every_print_is_logged_and_the_proof_verifies_until_history_changes()
    {
        var (round, generated) = await RoundAtIntegrationAsync("CPNS-2024-DET");
        await audit.SealAsync();
        var issued = (await IssuedAsync(round, "final", "INST03"))["issued"]!.AsObject();

        var first = await PrintAsync(round, "final", "INST03", "pdf");
        var firstSheet = await PrintAsync(round, "final", "INST03", "xlsx");
        Assert.Equal(first, await PrintAsync(round, "final", "INST03", "pdf"));
        Assert.Equal(firstSheet, await PrintAsync(round, "final", "INST03", "xlsx"));

        // The same issue again answers the edition already issued; another number for the same list is refused.
        Assert.Equal(1, (int)(await IssuedAsync(round, "final", "INST03"))["issued"]!["edition"]!);
        Assert.Equal("announcement.unchanged", (string)(await RecruitmentApi.ProblemOf(await IssueAsync(round, "final", "INST03", new { number = "800/1/PANSEL/2025" }), HttpStatusCode.Conflict))["code"]!);

        // Every print read the names through the vault: one read per printed person per print, for this purpose.
        var passer = ExpectedFinal(generated, generated.Formations.Where(f => f.Instansi == "INST03").Select(f => f.Code).ToHashSet())[0][2];
        await using (var session = app.Store.QuerySession())
        {
            var application = await session.LoadAsync<Application>(ApplicationDecisions.IdFor(round, passer));
            var log = await app.Services.GetRequiredService<PersonalDataAccessLog>().ListAsync(application!.PersonId, null, null, 100, CancellationToken.None);
            var prints = log.Where(e => e.Why == AnnouncementPublisher.Purpose).ToList();
            Assert.Equal(4, prints.Count);
            Assert.All(prints, e => Assert.Equal("dev-committee", e.Actor));
            Assert.Equal(2, prints.Count(e => e.Through.EndsWith("/announcements/final/INST03/pdf", StringComparison.Ordinal)));
        }

        // The QR code's address: open to anyone, and verified.
        var proofUrl = $"/announcements/{issued["announcementId"]}/editions/1/proof";
        using var anonymous = app.CreateDefaultClient();
        var proof = (await anonymous.GetFromJsonAsync<JsonObject>(proofUrl))!;
        Assert.True((bool)proof["verified"]!, proof.ToJsonString());
        Assert.Equal((int)issued["decisionCount"]!, proof["decisions"]!.AsArray().Count);
        Assert.Equal((string)issued["listDigest"]!, (string)proof["listDigestNow"]!);
        Assert.Contains(PdfText.Lines(first), l => l.Any(c => c.Contains($"/announcements/{issued["announcementId"]}/editions/1/proof", StringComparison.Ordinal)));

        // An operator rewrites a decision in the database: the proof no longer verifies.
        var decision = proof["decisions"]!.AsArray()[0]!;
        await audit.SqlAsync("update merit.mt_events set data = jsonb_set(data, '{allocation}', '9') where id = @id", ("id", (Guid)decision["eventId"]!));
        var broken = (await anonymous.GetFromJsonAsync<JsonObject>(proofUrl))!;
        Assert.False((bool)broken["verified"]!);
        Assert.Contains(broken["seals"]!.AsArray(), s => !(bool)s!["check"]!["intact"]!);
    }

    [Fact]
    public async Task A_withdrawal_and_an_optimisation_placement_supersede_the_final_announcement_and_its_next_edition_lists_APS_and_P_L_2()
    {
        var (round, generated) = await RoundAtIntegrationAsync("CPNS-2024-OPT");
        await audit.SealAsync();

        // A passer of a formation withdraws; the vacancy goes to the best eligible applicant of the same position.
        var passerLine = generated.ExpectedFinalCsv().Split('\n').Skip(1).Select(l => l.Split(',')).First(f => f.Length > 6 && f[6] == "P/L");
        var target = generated.Formations.Single(f => f.Code == passerLine[0]);
        await IssuedAsync(round, "final", target.Instansi);
        await api.AdvanceAsync(round, "FinalAppeal", "Optimisation");
        var withdrawn = ApplicationDecisions.IdFor(round, passerLine[2]);
        var response = await api.Client.PostAsJsonAsync($"/applications/{withdrawn}/withdrawal", new { reason = "diterima di tempat lain" });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        Application best;
        await using (var session = app.Store.QuerySession())
        {
            var formations = (await session.Query<Formation>().Where(f => f.RoundId == round).ToListAsync()).ToDictionary(f => f.Id);
            var applications = await session.Query<Application>().Where(a => a.RoundId == round).ToListAsync();
            var targetId = FormationDecisions.IdFor(round, target.Code);
            best = AppointmentDecisions.Pool(formations[targetId], applications.Select(a => (formations[a.FormationId], a)), RuleSetCatalog.Get("CPNS-2024"))[0].Application;
            response = await api.Client.PostAsJsonAsync($"/formations/{targetId}/optimisation-proposals", new { applicationId = best.Id, reason = "usul PPK" });
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            response = await api.Client.PostAsJsonAsync($"/formations/{targetId}/optimisation-proposals/{best.Id}/decision", new { approve = true, reason = "disetujui Panselnas" });
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }

        // Edition 1 no longer matches the decisions; a new edition needs a seal over them first.
        var superseded = await RecruitmentApi.ProblemOf(await api.Client.GetAsync($"/rounds/{round}/announcements/final/{target.Instansi}/pdf"), HttpStatusCode.Conflict);
        Assert.Equal("announcement.superseded", (string)superseded["code"]!);
        Assert.Equal("announcement.not-sealed", (string)(await RecruitmentApi.ProblemOf(await IssueAsync(round, "final", target.Instansi), HttpStatusCode.Conflict))["code"]!);
        await audit.SealAsync();
        var second = (await IssuedAsync(round, "final", target.Instansi, new { number = "800/77/PANSEL/2027", date = "2027-01-20" }))["issued"]!;
        Assert.Equal(2, (int)second["edition"]!);

        var formationsOfInstansi = generated.Formations.Where(f => f.Instansi == target.Instansi).Select(f => f.Code).ToHashSet();
        var printed = await PrintAsync(round, "final", target.Instansi, "pdf");
        var lines = PdfText.Lines(printed);
        Assert.Contains(lines, l => l.Contains("Nomor: 800/77/PANSEL/2027 · Edisi 2"));
        Assert.Contains(lines, l => l.Contains("Tanggal: 20 Januari 2027"));
        var rows = PdfRows(printed, formationsOfInstansi);
        var aps = Assert.Single(rows, r => r.Contains(passerLine[2]));
        Assert.Equal(["APS", "mengundurkan diri"], aps[^2..]);
        var placed = Assert.Single(rows, r => r.Contains(best.RegistrationNumber) && r.Contains("P/L-2"));
        var source = generated.Formations.Single(f => FormationDecisions.IdFor(round, f.Code) == best.FormationId);
        Assert.Equal(target.Code, placed[1]);
        Assert.Equal($"optimalisasi dari formasi {source.Code}", placed[^1]);
    }

    [Fact]
    public async Task Every_stage_announcement_reads_back_equal_to_its_list_and_the_command_line_prints_the_same_bytes()
    {
        var (round, generated) = await RoundAtIntegrationAsync("CPNS-2024-STG");
        await audit.SealAsync();
        const string instansi = "INST05";
        var formations = generated.Formations.Where(f => f.Instansi == instansi).OrderBy(f => f.Code, StringComparer.Ordinal).ToList();
        var codes = formations.Select(f => f.Code).ToHashSet();
        var applicants = formations.SelectMany(f => generated.Applicants.Where(a => a.Formation == f.Code).OrderBy(a => a.RegistrationNumber, StringComparer.Ordinal)).ToList();

        // Seleksi administrasi: every applicant, MS or TMS with the verifier's reason.
        await IssuedAsync(round, "administrative", instansi);
        Assert.Equal(
            applicants.Select((a, i) => new[] { (i + 1).ToString(CultureInfo.InvariantCulture), a.Formation, a.RegistrationNumber, NameOf(a.RegistrationNumber), a.Ms ? "MS" : "TMS", a.Ms ? "" : "ijazah tidak sesuai" }.Where(c => c.Length > 0).ToList()),
            PdfRows(await PrintAsync(round, "administrative", instansi, "pdf"), codes));

        // SKD: every MS applicant with the subtests, P or TL by the category's threshold (R09–R11), TH when absent (the SKD file records an MS applicant without a row absent).
        await IssuedAsync(round, "skd", instansi);
        var category = formations.ToDictionary(f => f.Code, f => f.Category);
        Assert.Equal(
            applicants.Where(a => a.Ms).Select(a => a.Skd is { } s
                ? new List<string> { a.Formation, a.RegistrationNumber, Int(s.Twk), Int(s.Tiu), Int(s.Tkp), Int(a.Total), GeneratedRound.MeetsThreshold(category[a.Formation], s) ? "P" : "TL" }
                : [a.Formation, a.RegistrationNumber, "TH", "tidak hadir"]),
            XlsxRows(await PrintAsync(round, "skd", instansi, "xlsx")).Select(r => new[] { r[1], r[5] }.Concat(r.Skip(7).Where(c => c.Length > 0)).ToList()));

        // SKB admission: the admitted (P/L) exactly as the cut-off list of R13, in its order; the others P or TL.
        await IssuedAsync(round, "skb-admission", instansi);
        var admission = XlsxRows(await PrintAsync(round, "skb-admission", instansi, "xlsx"));
        var expectedAdmitted = generated.ExpectedSkbAdmissionCsv().Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(',')).Where(f => codes.Contains(f[0]))
            .Select(f => new List<string> { f[0], f[2], f[3], f[4], f[5], f[6], f[1], "P/L" }).ToList();
        Assert.Equal(expectedAdmitted, admission.Where(r => r[12] == "P/L").Select(r => new List<string> { r[1], r[5], r[7], r[8], r[9], r[10], r[11], r[12] }));
        var threshold = applicants.Where(a => a.Skd is { } s && GeneratedRound.MeetsThreshold(category[a.Formation], s)).Select(a => a.RegistrationNumber).ToHashSet();
        Assert.All(admission.Where(r => r[12] != "P/L"), r => Assert.Equal(threshold.Contains(r[5]) ? "P" : "TL", r[12]));
        Assert.Equal(applicants.Count(a => a.Skd is not null), admission.Count);

        // The command line: issuing every instansi's administrative announcement again issues nothing new; printing
        // in another time zone writes the bytes the API serves.
        var environment = new Dictionary<string, string>
        {
            ["Merit__PersonalData__MasterKey"] = Convert.ToBase64String(app.PersonalDataKeys.MasterKey),
            ["Merit__PersonalData__PseudonymKey"] = Convert.ToBase64String(app.PersonalDataKeys.PseudonymKey),
            ["TZ"] = "Asia/Jakarta",
        };
        var (code, output) = await MeritCommandLine.RunAsync(app, environment, "announce", "issue", "--round", "CPNS-2024-STG", "--kind", "skd");
        Assert.True(code == 0, output);
        Assert.Contains("skd INST05: edition 1, SKD-1/INST05/CPNS-2024-STG", output, StringComparison.Ordinal);
        Assert.Contains("(already issued)", output, StringComparison.Ordinal);
        Assert.Equal(17, output.Split('\n').Count(l => l.StartsWith("skd INST", StringComparison.Ordinal)));

        var folder = Directory.CreateTempSubdirectory("merit-announce-");
        try
        {
            // Every stage at once, in an Indonesian locale: the issued ones print as they print alone (in Bahasa
            // Indonesia, as the API by default), the others are refused and fail the command.
            var indonesian = new Dictionary<string, string>(environment) { ["LANG"] = "id_ID.UTF-8" };
            (code, output) = await MeritCommandLine.RunAsync(app, indonesian, "announce", "print", "--round", "CPNS-2024-STG", "--kind", "all", "--instansi", instansi, "--out", folder.FullName, "--actor", "cli-committee");
            Assert.True(code != 0, output);
            Assert.Contains("final INST05: ditolak (announcement.not-issued)", output, StringComparison.Ordinal);
            Assert.Contains("administrative-after-appeal INST05: ditolak (announcement.not-issued)", output, StringComparison.Ordinal);
            foreach (var kind in new[] { "administrative", "skd", "skb-admission" })
            {
                Assert.Equal(await PrintAsync(round, kind, instansi, "pdf"), await File.ReadAllBytesAsync(Path.Combine(folder.FullName, $"CPNS-2024-STG-{kind}-INST05-1-id.pdf")));
                Assert.Equal(await PrintAsync(round, kind, instansi, "xlsx"), await File.ReadAllBytesAsync(Path.Combine(folder.FullName, $"CPNS-2024-STG-{kind}-INST05-1-id.xlsx")));
            }

            Assert.Equal(6, folder.GetFiles().Length);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);
}
