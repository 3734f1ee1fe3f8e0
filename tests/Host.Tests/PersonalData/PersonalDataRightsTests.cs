using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Marten;
using Merit.PersonalData;
using Merit.Recruitment;
using Merit.Recruitment.Ranking;
using Merit.Testing;
using Merit.Tests.Audit;
using Npgsql;
using Xunit;

namespace Merit.Tests.PersonalData;

/// <summary>
/// Personal-data rights (docs/adr/0014): every decrypting read is logged with its reader before it is
/// answered, forbidden roles read nothing and append nothing, and an erasure leaves the history, chains and seals
/// verifiable while every later read shows the person as erased.
/// </summary>
public class PersonalDataRightsTests(MeritApp app) : IClassFixture<MeritApp>
{
    /// <summary>A well-formed NIK of a man born on 1 January of <paramref name="year"/>; the serial keeps the tests' persons apart.</summary>
    private static string Nik(int serial, int year = 1998) => $"3171010101{year % 100:00}{serial:0000}";

    private readonly RecruitmentApi api = new(app.CreateClient());

    private readonly AuditClient audit = new(app);

    /// <summary>A round in stage Integration: one formation with one place, two applicants equal on every score but their age.</summary>
    private async Task<(Guid Round, Guid Formation, Guid Older, Guid Younger)> TiedApplicantsAsync(string code, int serial)
    {
        var round = await api.OpenRoundAsync(code);
        var formation = await api.OpenFormationAsync(round, "F-001", allocation: 1);
        await api.AdvanceAsync(round, "Registration");
        var older = (Guid)(await OkAsync(await api.RegisterAsync(round, formation, "24100001", Nik(serial, 1995), "1995-01-01")))["id"]!;
        var younger = (Guid)(await OkAsync(await api.RegisterAsync(round, formation, "24100002", Nik(serial + 1, 1998), "1998-01-01")))["id"]!;
        await api.AdvanceAsync(round, "AdministrativeSelection");
        await api.VerifyAsync(older);
        await api.VerifyAsync(younger);
        await api.AdvanceAsync(round, "AdministrativeAppeal", "Skd");
        foreach (var id in new[] { older, younger })
        {
            Assert.True((await api.RecordSkdAsync(id, 100, 100, 180)).IsSuccessStatusCode);
        }

        await api.AdvanceAsync(round, "Skb");
        await OkAsync(await api.Client.PostAsync($"/formations/{formation}/skd-cutoff", null));
        foreach (var id in new[] { older, younger })
        {
            await OkAsync(await api.Client.PostAsJsonAsync($"/applications/{id}/skb-result", new { score = 80m }));
        }

        await api.AdvanceAsync(round, "Integration");
        return (round, formation, older, younger);
    }

    private async Task<long> EventCountAsync()
    {
        await using var session = app.Store.QuerySession();
        return await session.Events.QueryAllRawEvents().CountAsync();
    }

    private async Task<List<JsonObject>> AccessLogAsync(string query)
    {
        var response = await app.ClientAs("bpk-rina", "auditor").GetAsync($"/personal-data/access-log?{query}");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonNode.Parse(text)!.AsArray().Select(n => n!.AsObject()).ToList();
    }

    private static async Task<JsonObject> OkAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    private Task<HttpResponseMessage> EraseAsync(Guid application, string reference = "ND-17/2026") =>
        app.ClientAs("admin-budi", "admin").PostAsJsonAsync($"/applications/{application}/personal-data/erasure", new { legalBasis = "subject-request", reference });

    [Fact]
    public async Task Each_read_of_an_applicants_identity_is_logged_with_its_reader_purpose_and_endpoint()
    {
        var nik = Nik(10);
        var round = await api.OpenRoundAsync("CPNS-2024-PD-READ");
        var formation = await api.OpenFormationAsync(round, "F-001");
        await api.AdvanceAsync(round, "Registration");
        var application = await api.RegisteredAsync(round, formation, "24100001", nik);
        var from = DateTimeOffset.UtcNow.AddMinutes(-1);

        var byCommittee = await OkAsync(await app.ClientAs("panitia-ani", "committee").GetAsync($"/applications/{application}/personal-data"));
        var byAuditor = await OkAsync(await app.ClientAs("bpk-rina", "auditor").GetAsync($"/applications/{application}/personal-data"));

        Assert.Equal(("stored", nik, "Siti Aminah", "1998-08-05"), ((string)byCommittee["status"]!, (string)byCommittee["nik"]!, (string)byCommittee["fullName"]!, (string)byCommittee["birthDate"]!));
        Assert.Equal(nik, (string)byAuditor["nik"]!);
        var person = (Guid)byCommittee["personId"]!;
        var log = await AccessLogAsync($"applicationId={application}");
        Assert.Equal(
            [("read", "panitia-ani", "case-review", $"GET /applications/{application}/personal-data"), ("read", "bpk-rina", "case-review", $"GET /applications/{application}/personal-data")],
            log.Select(e => ((string)e["kind"]!, (string)e["actor"]!, (string)e["why"]!, (string)e["through"]!)).ToList());
        Assert.All(log, e => Assert.Equal(person, (Guid)e["personId"]!));
        Assert.All(log, e => Assert.Matches("^[0-9a-f]{64}$", (string)e["hash"]!));

        // The same entries by period, and as stored events they carry the reader as the event's actor too.
        var byPeriod = await AccessLogAsync($"from={Uri.EscapeDataString(from.ToString("O"))}&to={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(1).ToString("O"))}");
        Assert.Equal(log.Select(e => (long)e["sequence"]!), byPeriod.Where(e => (Guid)e["personId"]! == person).Select(e => (long)e["sequence"]!));
        await using var session = app.Store.QuerySession();
        var stored = await session.Events.FetchStreamAsync(PersonalDataLog.StreamFor(person));
        Assert.Equal(["panitia-ani", "bpk-rina"], stored.Select(e => e.UserName));
        Assert.DoesNotContain(nik, JsonSerializer.Serialize(stored.Select(e => e.Data)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("analyst")]
    [InlineData("admin")]
    public async Task A_role_that_may_not_read_personal_data_gets_403_and_nothing_is_appended(string role)
    {
        var nik = Nik(role == "admin" ? 20 : 21);
        var round = await api.OpenRoundAsync($"CPNS-2024-PD-{role.ToUpperInvariant()}");
        var formation = await api.OpenFormationAsync(round, "F-001");
        await api.AdvanceAsync(round, "Registration");
        var application = await api.RegisteredAsync(round, formation, "24100001", nik);
        var before = await EventCountAsync();

        var response = await app.ClientAs("someone", role).GetAsync($"/applications/{application}/personal-data");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain(nik, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await EventCountAsync());
        Assert.Empty(await AccessLogAsync($"applicationId={application}"));
    }

    [Fact]
    public async Task Only_admins_erase_and_only_auditors_read_the_access_log_403_and_nothing_appended()
    {
        var nik = Nik(30);
        var round = await api.OpenRoundAsync("CPNS-2024-PD-ROLES");
        var formation = await api.OpenFormationAsync(round, "F-001");
        await api.AdvanceAsync(round, "Registration");
        var application = await api.RegisteredAsync(round, formation, "24100001", nik);
        var before = await EventCountAsync();

        foreach (var role in new[] { "committee", "auditor", "analyst" })
        {
            var erase = await app.ClientAs("someone", role).PostAsJsonAsync($"/applications/{application}/personal-data/erasure", new { legalBasis = "subject-request", reference = "ND-1" });
            Assert.Equal(HttpStatusCode.Forbidden, erase.StatusCode);
        }

        foreach (var role in new[] { "committee", "analyst", "admin" })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await app.ClientAs("someone", role).GetAsync($"/personal-data/access-log?applicationId={application}")).StatusCode);
        }

        Assert.Equal(before, await EventCountAsync());
        Assert.Equal("stored", (string)(await OkAsync(await app.ClientAs("panitia-ani", "committee").GetAsync($"/applications/{application}/personal-data")))["status"]!);
    }

    [Fact]
    public async Task A_committee_member_outside_the_round_reads_nothing_and_nothing_is_logged()
    {
        var nik = Nik(40);
        var round = await api.OpenRoundAsync("CPNS-2024-PD-SCOPE");
        var formation = await api.OpenFormationAsync(round, "F-001");
        await api.AdvanceAsync(round, "Registration");
        var application = await api.RegisteredAsync(round, formation, "24100001", nik);
        var before = await EventCountAsync();

        var response = await app.ScopedClientAs("panitia-lain", ["CPNS-2023"], "committee").GetAsync($"/applications/{application}/personal-data");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(before, await EventCountAsync());
    }

    [Fact]
    public async Task Erasure_keeps_history_chains_and_seals_verifiable_reads_show_erased_and_a_second_erasure_changes_nothing()
    {
        var nik = Nik(50);
        var round = await api.OpenRoundAsync("CPNS-2024-PD-ERASE");
        var formation = await api.OpenFormationAsync(round, "F-001");
        await api.AdvanceAsync(round, "Registration");
        var application = await api.RegisteredAsync(round, formation, "24100001", nik);
        await OkAsync(await app.ClientAs("panitia-ani", "committee").GetAsync($"/applications/{application}/personal-data"));
        var seal = await audit.SealAsync();
        var exported = await OkAsync(await audit.Client.GetAsync($"/audit/seals/{(long)seal["id"]!}"));

        var erased = await OkAsync(await EraseAsync(application));

        Assert.Equal(("erased", false, "subject-request"), ((string)erased["status"]!, (bool)erased["alreadyErased"]!, (string)erased["legalBasis"]!));
        var person = (Guid)erased["personId"]!;

        // The key and the ciphertext are gone; nothing left in the database holds the NIK or the name.
        await using (var session = app.Store.QuerySession())
        {
            var record = await session.LoadAsync<PersonRecord>(person);
            Assert.Equal((null, 0), (record!.WrappedKey, record.Ciphertext.Length));
            Assert.NotNull(record.ErasedAt);
        }

        Assert.Equal(0L, await ScalarAsync("select count(*) from merit.mt_events where data::text like '%' || @nik || '%' or data::text like '%Siti Aminah%'", nik));
        Assert.Equal(0L, await ScalarAsync("select count(*) from merit.mt_doc_personrecord where data::text like '%' || @nik || '%'", nik));

        // Every read now shows the person as erased, and logs nothing (nothing was decrypted).
        var before = await EventCountAsync();
        var read = await OkAsync(await app.ClientAs("bpk-rina", "auditor").GetAsync($"/applications/{application}/personal-data"));
        Assert.Equal(("erased", null, null, null), ((string)read["status"]!, (string?)read["nik"], (string?)read["fullName"], (string?)read["birthDate"]));
        Assert.Equal((DateTimeOffset)erased["erasedAt"]!, (DateTimeOffset)read["erasedAt"]!);
        Assert.Equal(before, await EventCountAsync());

        // A second erasure is accepted, appends nothing, and answers with the first erasure's time.
        var again = await OkAsync(await EraseAsync(application, "ND-18/2026"));
        Assert.True((bool)again["alreadyErased"]!);
        Assert.Equal((DateTimeOffset)erased["erasedAt"]!, (DateTimeOffset)again["erasedAt"]!);
        Assert.Equal(before, await EventCountAsync());

        // The log: one read, then the erasure naming who, the basis and the reference — and not the person.
        var log = await AccessLogAsync($"personId={person}");
        Assert.Equal([("read", "panitia-ani"), ("erased", "admin-budi")], log.Select(e => ((string)e["kind"]!, (string)e["actor"]!)).ToList());
        Assert.Equal(("subject-request", "ND-17/2026"), ((string)log[1]["why"]!, (string)log[1]["through"]!));

        // The history, every chain and the seal taken before the erasure still verify.
        var report = await audit.VerifyAsync();
        Assert.True((bool)report["intact"]!, report.ToJsonString());
        var check = await audit.CheckSealAsync(exported);
        Assert.True((bool)check["intact"]!, check.ToJsonString());
        var sealedAfter = await audit.CheckSealAsync(await audit.SealAsync());
        Assert.True((bool)sealedAfter["intact"]!, sealedAfter.ToJsonString());

        // The claim stays: the same NIK cannot register a second application in this round.
        var second = await RecruitmentApi.ProblemOf(await api.RegisterAsync(round, formation, "24100009", nik), HttpStatusCode.UnprocessableEntity);
        Assert.Equal("application.person-already-registered", (string)second["code"]!);
        Assert.Equal(1, await ScalarAsync("select count(*) from merit.mt_doc_roundregistrationclaim where data->>'ApplicationId' = @id", application.ToString()));
    }

    [Fact]
    public async Task The_final_tie_break_reads_ranked_birth_dates_logged_an_erased_one_ranks_after_and_NIP_issuance_is_refused_for_the_erased()
    {
        var (round, formation, older, younger) = await TiedApplicantsAsync("CPNS-2024-PD-FINAL", 70);
        await OkAsync(await EraseAsync(older));

        await OkAsync(await app.ClientAs("panitia-ani", "committee").PostAsync($"/formations/{formation}/final-result", null));

        await using (var session = app.Store.QuerySession())
        {
            var applications = await session.Query<Application>().Where(a => a.RoundId == round).ToListAsync();
            Assert.Equal(FinalStatus.PL, applications.Single(a => a.Id == younger).FinalStatus);
            Assert.Equal(FinalStatus.TL, applications.Single(a => a.Id == older).FinalStatus);
        }

        var youngerLog = await AccessLogAsync($"applicationId={younger}");
        Assert.Equal([("read", "panitia-ani", "final-tie-break")], youngerLog.Select(e => ((string)e["kind"]!, (string)e["actor"]!, (string)e["why"]!)).ToList());
        Assert.Equal(["erased"], (await AccessLogAsync($"applicationId={older}")).Select(e => (string)e["kind"]!));

        // The explanation says why, without a date; a recompute by an auditor matches and is logged as theirs.
        var decisions = JsonNode.Parse(await audit.Client.GetStringAsync($"/formations/{formation}/decisions"))!.AsArray();
        var decisionId = (Guid)decisions.Single(d => (string)d!["decision"]! == "final")!["decisionId"]!;
        var explanation = await audit.Client.GetStringAsync($"/decisions/{decisionId}/explanation");
        Assert.Contains("birth date erased, after a known one", explanation, StringComparison.Ordinal);
        var recomputed = await OkAsync(await app.ClientAs("bpk-rina", "auditor").PostAsync($"/decisions/{decisionId}/recompute", null));
        Assert.Equal((true, 1), ((bool)recomputed["matches"]!, (int)recomputed["erasedBirthDates"]!));
        Assert.Equal(("bpk-rina", "decision-recompute"), ((string)(await AccessLogAsync($"applicationId={younger}"))[^1]["actor"]!, (string)(await AccessLogAsync($"applicationId={younger}"))[^1]["why"]!));

        // NIP issuance needs the birth date: refused for the erased person, logged for the other.
        await api.AdvanceAsync(round, "FinalAppeal", "Optimisation", "Appointment");
        await OkAsync(await EraseAsync(younger));
        var before = await EventCountAsync();
        var refused = await RecruitmentApi.ProblemOf(await app.ClientAs("bkn-kanreg", "bkn").PostAsJsonAsync($"/applications/{younger}/nip", new { tmtCpns = "2025-03-01" }), HttpStatusCode.Conflict);
        Assert.Equal("nip.personal-data-erased", (string)refused["code"]!);
        Assert.Equal(before, await EventCountAsync());
    }

    [Fact]
    public async Task A_recompute_whose_birth_dates_cannot_be_decrypted_is_a_409_problem_that_logs_and_appends_nothing()
    {
        var (_, formation, older, _) = await TiedApplicantsAsync("CPNS-2024-PD-UNREADABLE", 90);
        await OkAsync(await app.ClientAs("panitia-ani", "committee").PostAsync($"/formations/{formation}/final-result", null));
        var decisions = JsonNode.Parse(await audit.Client.GetStringAsync($"/formations/{formation}/decisions"))!.AsArray();
        var decisionId = (Guid)decisions.Single(d => (string)d!["decision"]! == "final")!["decisionId"]!;

        // The stored record damaged (or sealed under other keys): AES-GCM refuses to open it.
        await using (var session = app.Store.QuerySession())
        {
            var person = (await session.LoadAsync<Application>(older))!.PersonId;
            Assert.Equal(1L, await ScalarAsync("with changed as (update merit.mt_doc_personrecord set data = jsonb_set(data, '{Ciphertext}', to_jsonb('AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'::text)) where id = @id::uuid returning 1) select count(*) from changed", person.ToString()));
        }

        var before = await EventCountAsync();
        var logBefore = await AccessLogAsync($"applicationId={older}");
        var refused = await RecruitmentApi.ProblemOf(await app.ClientAs("bpk-rina", "auditor").PostAsync($"/decisions/{decisionId}/recompute", null), HttpStatusCode.Conflict);
        Assert.Equal("personal-data.unreadable", (string)refused["code"]!);
        Assert.Equal(before, await EventCountAsync());
        Assert.Equal(logBefore.Count, (await AccessLogAsync($"applicationId={older}")).Count);

        // The direct read of the same person is refused the same way.
        var read = await RecruitmentApi.ProblemOf(await app.ClientAs("bpk-rina", "auditor").GetAsync($"/applications/{older}/personal-data"), HttpStatusCode.Conflict);
        Assert.Equal("personal-data.unreadable", (string)read["code"]!);
        Assert.Equal(before, await EventCountAsync());
    }

    [Fact]
    public async Task NIP_issuance_is_BKN_s_and_logs_its_read_of_the_birth_date()
    {
        var (round, _, older, _) = await TiedApplicantsAsync("CPNS-2024-PD-NIP", 80);
        await OkAsync(await api.Client.PostAsync($"/rounds/{round}/decisions/final", null));
        await api.AdvanceAsync(round, "FinalAppeal", "Optimisation", "Appointment");
        Assert.Equal(older, await PasserAsync(round)); // the older one passes the tie

        // The panitia proposes, BKN issues (brief 2.10): a committee member is refused before anything is read.
        var before = await EventCountAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await app.ClientAs("panitia-ani", "committee").PostAsJsonAsync($"/applications/{older}/nip", new { tmtCpns = "2025-03-01" })).StatusCode);
        Assert.Equal(before, await EventCountAsync());

        var issued = await OkAsync(await app.ClientAs("bkn-kanreg", "bkn").PostAsJsonAsync($"/applications/{older}/nip", new { tmtCpns = "2025-03-01" }));

        Assert.StartsWith("19950101", (string)issued["nip"]!, StringComparison.Ordinal);
        var log = await AccessLogAsync($"applicationId={older}");
        Assert.Equal(
            [("dev-committee", "final-tie-break", $"POST /rounds/{round}/decisions/final"), ("bkn-kanreg", "nip-issuance", $"POST /applications/{older}/nip")],
            log.Select(e => ((string)e["actor"]!, (string)e["why"]!, (string)e["through"]!)).ToList());
    }

    [Fact]
    public async Task Concurrent_reads_of_one_person_are_each_logged_once_on_one_unbroken_chain()
    {
        var round = await api.OpenRoundAsync("CPNS-2024-PD-CONCURRENT");
        var formation = await api.OpenFormationAsync(round, "F-001");
        await api.AdvanceAsync(round, "Registration");
        var application = await api.RegisteredAsync(round, formation, "24100001", Nik(90));
        var client = app.ClientAs("panitia-ani", "committee");

        // Each read takes the log's next version; the losers of a race log again after the winner.
        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => client.GetAsync($"/applications/{application}/personal-data")));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var person = (Guid)(await OkAsync(responses[0]))["personId"]!;
        await using var session = app.Store.QuerySession();
        var stored = await session.Events.FetchStreamAsync(PersonalDataLog.StreamFor(person));
        Assert.Equal([1L, 2L, 3L, 4L], stored.Select(e => e.Version));
        Assert.All(stored, e => Assert.Equal("panitia-ani", e.UserName));
        Assert.False(stored[0].Headers!.ContainsKey("prev"));
        Assert.All(stored.Skip(1).Zip(stored), p => Assert.Equal(p.Second.Headers!["hash"].ToString(), p.First.Headers!["prev"].ToString()));
    }

    private async Task<Guid> PasserAsync(Guid round)
    {
        await using var session = app.Store.QuerySession();
        return (await session.Query<Application>().Where(a => a.RoundId == round).ToListAsync()).Single(a => a.FinalStatus == FinalStatus.PL).Id;
    }

    private async Task<long> ScalarAsync(string sql, string value)
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue(sql.Contains("@nik", StringComparison.Ordinal) ? "nik" : "id", value);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
