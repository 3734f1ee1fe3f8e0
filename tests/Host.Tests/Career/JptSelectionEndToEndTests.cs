using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Marten;
using Merit.Career;
using Merit.Testing;
using Xunit;

namespace Merit.Tests.Career;

/// <summary>A JPT open selection end to end over HTTP: pansel, screening, extension, conflicts of interest, scores, the 3 names, the PPK's pick.</summary>
public class JptSelectionEndToEndTests(MeritApp app) : IClassFixture<MeritApp>
{
    private const string Instansi = "D1EB03E23CCCF6A0E040640A040252AD";

    private static readonly string[] Stages = ["competence", "paper", "interview"];

    private static readonly string[] Members = ["INT-1", "INT-2", "EXT-1", "EXT-2", "EXT-3"];

    private readonly CareerApi api = new(app.CreateClient());

    private readonly Dictionary<string, CareerApi> memberClients = [];

    /// <summary>A NIP of someone born on <paramref name="birth"/>, TMT CPNS March 2000.</summary>
    private static string Nip(DateOnly birth, int sequence) => string.Create(CultureInfo.InvariantCulture, $"{birth:yyyyMMdd}2000031{sequence:D3}");

    private static object Applicant(string code, DateOnly birth, int sequence) => new
    {
        applicantCode = code,
        nip = Nip(birth, sequence),
        education = "S2",
        experienceYears = 12,
        post = "Administrator",
        yearsInPost = 4,
        rank = "IV/b",
        presidentialApproval = (string?)null,
    };

    [Fact]
    public async Task A_selection_runs_from_announcement_to_the_PPKs_pick_refusing_a_conflicted_score_and_a_pick_outside_the_three()
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var selection = (await api.OkAsync("/jpt-selections", new
        {
            code = "JPT-E2E-2026-01",
            instansiCode = Instansi,
            position = "Kepala Dinas Pendidikan",
            level = "Pratama",
            registrationCloses = today.AddDays(14).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            minimumRank = (string?)null,
        })).GetProperty("id").GetGuid();
        var path = $"/jpt-selections/{selection}";

        // R34: a pansel with 3 of 5 internal is refused; 2 of 5 with JPT posts is formed.
        var tooInternal = await RecruitmentApi.ProblemOf(await api.PostAsync($"{path}/pansel", new
        {
            decreeNumber = "KEP-PANSEL-0",
            members = new[] { Member("INT-1", true, "JptPratama"), Member("INT-2", true, "JptMadya"), Member("INT-3", true, "JptMadya"), Member("EXT-1"), Member("EXT-2") },
        }), HttpStatusCode.UnprocessableEntity);
        Assert.Equal("pansel.internal-share", (string)tooInternal["code"]!);
        await api.OkAsync($"{path}/pansel", new
        {
            decreeNumber = "KEP-PANSEL-1",
            members = new[] { Member("INT-1", true, "JptPratama"), Member("INT-2", true, "JptMadya"), Member("EXT-1"), Member("EXT-2"), Member("EXT-3") },
        });

        // R36: three eligible, one aged 57 screened out.
        var birth = today.AddYears(-48);
        foreach (var (code, i) in new[] { ("A1", 1), ("A2", 2), ("A3", 3) })
        {
            var registered = await api.OkAsync($"{path}/applicants", Applicant(code, birth.AddDays(i), i));
            Assert.True(registered.GetProperty("eligible").GetBoolean());
        }

        var tooOld = await api.OkAsync($"{path}/applicants", Applicant("A4", today.AddYears(-57).AddDays(-10), 4));
        Assert.False(tooOld.GetProperty("eligible").GetBoolean());
        Assert.Equal(["age"], tooOld.GetProperty("checks").EnumerateArray().Where(c => !c.GetProperty("met").GetBoolean()).Select(c => c.GetProperty("code").GetString()));

        // R35: three eligible applicants cannot close registration; one extension of 7 days, then a fourth.
        var tooFew = await RecruitmentApi.ProblemOf(await api.PostAsync($"{path}/registration-closure"), HttpStatusCode.UnprocessableEntity);
        Assert.Equal("jpt.too-few-applicants", (string)tooFew["code"]!);
        var extended = await api.OkAsync($"{path}/extensions");
        Assert.Equal((1, today.AddDays(21).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), (extended.GetProperty("number").GetInt32(), extended.GetProperty("closesNow").GetString()));
        await api.OkAsync($"{path}/applicants", Applicant("A5", birth.AddDays(5), 5));
        await api.OkAsync($"{path}/registration-closure");

        // R38: EXT-1 declares a conflict with A2; its score of A2 is refused.
        await AsMember("EXT-1").OkAsync($"{path}/conflicts-of-interest", new { applicantCode = "A2" });
        var conflicted = await RecruitmentApi.ProblemOf(await AsMember("EXT-1").PostAsync($"{path}/scores", Score("A2", "competence", 99m)), HttpStatusCode.UnprocessableEntity);
        Assert.Equal("jpt.member-conflicted", (string)conflicted["code"]!);
        Assert.Equal("jpt.member-conflicted", (string)conflicted["rules"]!["memberCode"]![0]!);

        // A score is the caller's own: the committee cannot score, nor can a subject the pansel does not list.
        Assert.Equal(HttpStatusCode.Forbidden, (await api.PostAsync($"{path}/scores", Score("A1", "competence", 90m))).StatusCode);
        var stranger = await RecruitmentApi.ProblemOf(await AsMember("EXT-9").PostAsync($"{path}/scores", Score("A1", "competence", 90m)), HttpStatusCode.BadRequest);
        Assert.Equal("jpt.unknown-member", (string)stranger["code"]!);

        // Every other member scores every stage: A2 best, then A3, A1, A5.
        var levels = new Dictionary<string, decimal> { ["A1"] = 75m, ["A2"] = 88m, ["A3"] = 80m, ["A5"] = 70m };
        foreach (var (applicant, level) in levels)
        {
            foreach (var member in Members.Where(m => !(m == "EXT-1" && applicant == "A2")))
            {
                foreach (var (stage, s) in Stages.Select((s, i) => (s, i)))
                {
                    await AsMember(member).OkAsync($"{path}/scores", Score(applicant, stage, level + s));
                }
            }
        }

        // R37: exactly three ranked names.
        var shortlist = await api.OkAsync($"{path}/shortlist");
        var names = shortlist.GetProperty("shortlist").EnumerateArray().Select(e => (e.GetProperty("rank").GetInt32(), e.GetProperty("applicantCode").GetString())).ToList();
        Assert.Equal([(1, "A2"), (2, "A3"), (3, "A1")], names);

        // The PPK may not pick outside the three, may pick rank 2.
        var outside = await RecruitmentApi.ProblemOf(await api.PostAsync($"{path}/appointment", new { applicantCode = "A5", reason = "preferred" }), HttpStatusCode.UnprocessableEntity);
        Assert.Equal("jpt.not-in-shortlist", (string)outside["code"]!);
        var appointed = await api.OkAsync($"{path}/appointment", new { applicantCode = "A3", reason = "experience in the education sector" });
        Assert.Equal(2, appointed.GetProperty("shortlistRank").GetInt32());

        await using (var session = app.Store.QuerySession())
        {
            var events = await session.Events.FetchStreamAsync(selection);
            Assert.Equal(4 * 5 * 3 - 3, events.Count(e => e.Data is JptScoreRecorded));
            Assert.All(events.Select(e => e.Data).OfType<JptScoreRecorded>(), s => Assert.True(s.NoConflictDeclared));
            Assert.All(events.Where(e => e.Data is JptScoreRecorded), e => Assert.Equal(((JptScoreRecorded)e.Data).MemberCode, e.UserName));
            Assert.DoesNotContain(events, e => e.Data is JptScoreRecorded { MemberCode: "EXT-1", ApplicantCode: "A2" });
        }

        await app.WaitForProjectionsAsync();
        var statistics = await api.GetAsync($"/jpt-statistics?instansiCode={Instansi}");
        Assert.Equal((1, 5m, 1, 1, 1, 1m), ((int)statistics["selections"]!, (decimal)statistics["applicantsPerVacancy"]!, (int)statistics["extensions"]!, (int)statistics["appointed"]!, (int)statistics["appointedNotRank1"]!, (decimal)statistics["shareNotRank1"]!));
    }

    private static object Member(string code, bool isInternal = false, string? post = null) => new { code, @internal = isInternal, post };

    private static object Score(string applicant, string stage, decimal score) =>
        new { applicantCode = applicant, stage, score, noConflictDeclared = true };

    /// <summary>A pansel member's client: the token's subject is the member code their scores carry.</summary>
    private CareerApi AsMember(string code)
    {
        if (!memberClients.TryGetValue(code, out var client))
        {
            memberClients[code] = client = new CareerApi(app.ClientAs(code, Merit.Security.Roles.PanselMember));
        }

        return client;
    }
}
