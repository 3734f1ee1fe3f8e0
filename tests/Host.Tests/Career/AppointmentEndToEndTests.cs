using System.Net;
using System.Net.Http.Json;
using System.Text;
using Marten;
using Merit.Recruitment;
using Merit.Recruitment.Ranking;
using Merit.Testing;
using Merit.Tests.Recruitment;
using Xunit;

namespace Merit.Tests.Career;

/// <summary>From recruitment to the career record over HTTP: a passer's NIP, the CPNS appointment at the entry rank, probation and the PNS appointment (R19).</summary>
public class AppointmentEndToEndTests(MeritApp app) : IClassFixture<MeritApp>
{
    private readonly RecruitmentApi recruitment = new(app.CreateClient());

    private readonly CareerApi career = new(app.CreateClient());

    private async Task<long> EventCountAsync()
    {
        await using var session = app.Store.QuerySession();
        return await session.Events.QueryAllRawEvents().CountAsync();
    }

    private async Task ImportAsync(Guid round, string kind, string csv)
    {
        using var content = new MultipartFormDataContent { { new ByteArrayContent(Encoding.UTF8.GetBytes(csv)), "file", $"{kind}.csv" } };
        await CareerApi.OkAsync(await recruitment.Client.PostAsync($"/rounds/{round}/imports/{kind}", content));
    }

    [Fact]
    public async Task A_passer_with_a_NIP_is_appointed_CPNS_then_PNS_after_probation_latsar_and_health_certificate()
    {
        var generated = new GeneratedRound(formations: 3, applicants: 40, seed: 11);
        var round = await recruitment.OpenRoundAsync("CPNS-2024-CAREER");
        await ImportAsync(round, "formations", generated.FormationsCsv());
        await recruitment.AdvanceAsync(round, "Registration");
        await ImportAsync(round, "applicants", generated.ApplicantsCsv());
        await recruitment.AdvanceAsync(round, "AdministrativeSelection");
        await ImportAsync(round, "verification", generated.VerificationCsv());
        await recruitment.AdvanceAsync(round, "AdministrativeAppeal", "Skd");
        await ImportAsync(round, "skd", generated.SkdCsv());
        await recruitment.AdvanceAsync(round, "Skb");
        await CareerApi.OkAsync(await recruitment.Client.PostAsync($"/rounds/{round}/decisions/skd-cutoff", null));
        generated.ExpectedSkbAdmissionCsv();
        generated.ScoreSkb(generated.Admitted(), seed: 12);
        await ImportAsync(round, "skb", generated.SkbCsv());
        await recruitment.AdvanceAsync(round, "Integration");
        await CareerApi.OkAsync(await recruitment.Client.PostAsync($"/rounds/{round}/decisions/final", null));
        await recruitment.AdvanceAsync(round, "FinalAppeal", "Optimisation", "Appointment");

        Application passer, other;
        string instansi;
        await using (var session = app.Store.QuerySession())
        {
            var applications = await session.Query<Application>().Where(a => a.RoundId == round).ToListAsync();
            passer = applications.Where(a => a.FinalStatus == FinalStatus.PL).OrderBy(a => a.RegistrationNumber, StringComparer.Ordinal).First();
            other = applications.First(a => a.FinalStatus != FinalStatus.PL);
            instansi = (await session.LoadAsync<Formation>(passer.FormationId))!.InstansiCode;
        }

        // BKN issues the NIP and the PPK appoints (brief 2.10), each for the formation's instansi only: the panitia, or
        // an office of another instansi, is refused before anything is read or appended.
        var before = await EventCountAsync();
        var committee = app.ClientAs("panitia-ani", "committee");
        Assert.Equal(HttpStatusCode.Forbidden, (await committee.PostAsJsonAsync($"/applications/{passer.Id}/nip", new { tmtCpns = "2025-03-01" })).StatusCode);
        var otherBkn = app.InstansiClientAs("bkn-lain", [instansi + "-LAIN"], "bkn");
        var outside = await RecruitmentApi.ProblemOf(await otherBkn.PostAsJsonAsync($"/applications/{passer.Id}/nip", new { tmtCpns = "2025-03-01" }), HttpStatusCode.Forbidden);
        Assert.Equal("scope.instansi", (string)outside["code"]!);
        Assert.Equal(before, await EventCountAsync());

        // Not a passer: refused by the appointment decision.
        var refused = await RecruitmentApi.ProblemOf(await career.PostAsync("/civil-servants/appointments", new { applicationId = other.Id }), HttpStatusCode.UnprocessableEntity);
        Assert.Equal("appointment.not-a-passer", (string)refused["code"]!);

        var nip = (await career.OkAsync($"/applications/{passer.Id}/nip", new { tmtCpns = "2025-03-01" })).GetProperty("nip").GetString()!;
        before = await EventCountAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await committee.PostAsJsonAsync("/civil-servants/appointments", new { applicationId = passer.Id })).StatusCode);
        var otherPpk = app.InstansiClientAs("ppk-lain", [instansi + "-LAIN"], "ppk");
        outside = await RecruitmentApi.ProblemOf(await otherPpk.PostAsJsonAsync("/civil-servants/appointments", new { applicationId = passer.Id }), HttpStatusCode.Forbidden);
        Assert.Equal("scope.instansi", (string)outside["code"]!);
        Assert.Equal(before, await EventCountAsync());
        var appointed = await career.OkAsync("/civil-servants/appointments", new { applicationId = passer.Id });
        Assert.Equal((nip, "III/a"), (appointed.GetProperty("nip").GetString(), appointed.GetProperty("rank").GetString()));
        var id = appointed.GetProperty("id").GetGuid();
        Assert.Equal(id, await career.LookupAsync(nip));
        var again = await RecruitmentApi.ProblemOf(await career.PostAsync("/civil-servants/appointments", new { applicationId = passer.Id }), HttpStatusCode.Conflict);
        Assert.Equal("career.exists", (string)again["code"]!);

        // R19: probation of one year from 1 March 2025, a latsar pass and a health certificate.
        var incomplete = await RecruitmentApi.ProblemOf(await career.PostAsync($"/civil-servants/{id}/latsar", new { passed = true, workingDays = 100, lessonHours = 1141, completedOn = "2025-09-30" }), HttpStatusCode.UnprocessableEntity);
        Assert.Equal("latsar.incomplete", (string)incomplete["code"]!);
        await career.OkAsync($"/civil-servants/{id}/latsar", new { passed = true, workingDays = 113, lessonHours = 1141, completedOn = "2025-09-30" });
        await career.OkAsync($"/civil-servants/{id}/health-certificate", new { fit = true, issuedOn = "2026-02-10" });
        var concluded = await career.OkAsync($"/civil-servants/{id}/probation-conclusion", new { tmtPns = "2026-03-01" });
        Assert.Equal(["PnsAppointed"], concluded.GetProperty("events").EnumerateArray().Select(e => e.GetString()));

        var record = await career.GetAsync($"/civil-servants/{id}");
        Assert.Equal(("Pns", "2026-03-01", "2025-03-01"), ((string)record["status"]!, (string)record["tmtPns"]!, (string)record["tmtCpns"]!));
        Assert.Equal(passer.PersonId, (Guid)record["personId"]!);
    }
}
