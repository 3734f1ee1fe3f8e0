using System.Net;
using System.Net.Http.Json;
using Marten;
using Merit.Testing;
using Xunit;

namespace Merit.Tests.Recruitment;

/// <summary>Bad input gets RFC 7807 problem details naming the field and the rule, and appends nothing.</summary>
public class RefusalTests(MeritApp app) : IClassFixture<MeritApp>
{
    private readonly RecruitmentApi api = new(app.CreateClient());

    private async Task<long> EventCountAsync()
    {
        await using var session = app.Store.QuerySession();
        return await session.Events.QueryAllRawEvents().CountAsync();
    }

    [Theory]
    [InlineData(-5, 80, 166, "twk")]
    [InlineData(151, 80, 166, "twk")]
    [InlineData(65, 180, 166, "tiu")]
    [InlineData(65, 80, 300, "tkp")]
    [InlineData(63, 80, 166, "twk")]
    public async Task An_out_of_range_SKD_score_is_a_400_naming_the_field_and_appends_nothing(int twk, int tiu, int tkp, string field)
    {
        var (_, _, application) = await api.ApplicantReadyForSkdAsync($"CPNS-2024-R{twk}-{tiu}-{tkp}", $"31710101019{Math.Abs(twk):00000}"[..16]);
        var before = await EventCountAsync();

        var problem = await RecruitmentApi.ProblemOf(await api.RecordSkdAsync(application, twk, tiu, tkp), HttpStatusCode.BadRequest);

        Assert.NotNull(problem["errors"]![field]);
        Assert.NotNull(problem["rules"]![field]);
        Assert.Equal(before, await EventCountAsync());
    }

    [Fact]
    public async Task A_NIK_of_15_digits_is_a_400_naming_the_nik_field_and_rule_R25()
    {
        var round = await api.OpenRoundAsync("CPNS-2024-NIK");
        var formation = await api.OpenFormationAsync(round, "F-001");
        await api.AdvanceAsync(round, "Registration");
        var before = await EventCountAsync();

        var problem = await RecruitmentApi.ProblemOf(await api.RegisterAsync(round, formation, "24100009", "317101010190000"), HttpStatusCode.BadRequest);

        Assert.Contains("16 digit", (string)problem["errors"]!["nik"]![0]!, StringComparison.Ordinal);
        Assert.Equal("R25", (string)problem["rules"]!["nik"]![0]!);
        Assert.DoesNotContain("317101010190000", problem.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(before, await EventCountAsync());
    }

    [Fact]
    public async Task An_unknown_formation_is_a_400_naming_formationId()
    {
        var round = await api.OpenRoundAsync("CPNS-2024-UF");
        await api.AdvanceAsync(round, "Registration");
        var before = await EventCountAsync();

        var problem = await RecruitmentApi.ProblemOf(await api.RegisterAsync(round, Guid.NewGuid(), "24100010", "3171010101900002"), HttpStatusCode.BadRequest);

        Assert.Equal("formation.unknown", (string)problem["code"]!);
        Assert.NotNull(problem["errors"]!["formationId"]);
        Assert.Equal(before, await EventCountAsync());
    }

    [Fact]
    public async Task A_command_in_the_wrong_stage_is_a_409_naming_the_stage_it_needs()
    {
        var round = await api.OpenRoundAsync("CPNS-2024-WS2");
        var formation = await api.OpenFormationAsync(round, "F-001");
        var before = await EventCountAsync();

        var problem = await RecruitmentApi.ProblemOf(await api.RegisterAsync(round, formation, "24100011", "3171010101900003"), HttpStatusCode.Conflict);

        Assert.Equal("Registration", (string)problem["requiredStage"]!);
        Assert.Equal(before, await EventCountAsync());
    }

    [Fact]
    public async Task A_stage_change_without_a_stage_named_moves_to_the_next_and_a_wrong_one_is_a_409()
    {
        var round = await api.OpenRoundAsync("CPNS-2024-NEXT");

        var moved = await api.Client.PostAsJsonAsync($"/rounds/{round}/stage", new { });
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        Assert.Equal("Registration", (await moved.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>())!["stage"]!.GetValue<string>());

        var before = await EventCountAsync();
        var problem = await RecruitmentApi.ProblemOf(await api.Client.PostAsJsonAsync($"/rounds/{round}/stage", new { to = "Skd" }), HttpStatusCode.Conflict);
        Assert.Equal("round.stage-order", (string)problem["code"]!);
        Assert.Equal(before, await EventCountAsync());
    }

    [Fact]
    public async Task Several_invalid_fields_are_all_named()
    {
        var round = await api.OpenRoundAsync("CPNS-2024-MF");
        await api.AdvanceAsync(round, "Registration");
        var response = await api.Client.PostAsJsonAsync($"/rounds/{round}/applications", new
        {
            formationId = Guid.Empty,
            registrationNumber = "",
            nik = "12",
            birthDate = "05-08-1998",
            sex = "X",
            educationLevel = "PhD",
            gpa = 4.5m,
        });

        var problem = await RecruitmentApi.ProblemOf(response, HttpStatusCode.BadRequest);
        var errors = problem["errors"]!.AsObject();
        Assert.Equal(["birthDate", "educationLevel", "formationId", "gpa", "nik", "registrationNumber", "sex"], errors.Select(e => e.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_second_registration_of_the_same_person_in_a_round_is_refused()
    {
        var round = await api.OpenRoundAsync("CPNS-2024-DUP");
        var formation = await api.OpenFormationAsync(round, "F-001");
        await api.AdvanceAsync(round, "Registration");
        await api.RegisteredAsync(round, formation, "24100020", "3171010101900004");
        var before = await EventCountAsync();

        var problem = await RecruitmentApi.ProblemOf(await api.RegisterAsync(round, formation, "24100021", "3171010101900004"), HttpStatusCode.UnprocessableEntity);

        Assert.Equal("application.person-already-registered", (string)problem["code"]!);
        Assert.Equal(before, await EventCountAsync());
    }
}
