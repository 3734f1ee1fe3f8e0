using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Marten;
using Merit.Projections.Recruitment;
using Merit.Recruitment;
using Merit.Testing;
using Npgsql;
using Xunit;

namespace Merit.Tests.Recruitment;

/// <summary>The five steps of the foundation, over HTTP, through the real pipeline and PostgreSQL.</summary>
public class WalkingSkeletonTests(MeritApp app) : IClassFixture<MeritApp>
{
    private readonly RecruitmentApi api = new(app.CreateClient());

    [Fact]
    public async Task A_round_goes_from_opening_to_an_SKD_result_and_both_read_models_show_it()
    {
        var (round, formation, application) = await api.ApplicantReadyForSkdAsync("CPNS-2024-WS", "3515144508980002");

        var response = await api.RecordSkdAsync(application, 60, 120, 200);
        response.EnsureSuccessStatusCode();
        var assessment = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.False((bool)assessment["thresholdMet"]!);
        Assert.Equal("TWK 60 < 65", (string)assessment["shortfalls"]![0]!);
        Assert.Equal("CPNS-2024", (string)assessment["ruleSetVersion"]!);

        var caseView = (await api.Client.GetFromJsonAsync<JsonObject>($"/applications/{application}"))!;
        Assert.Equal("SkdThresholdNotMet", (string)caseView["status"]!);
        Assert.Equal(380, (int)caseView["skd"]!["total"]!);
        Assert.Equal(round, (Guid)caseView["roundId"]!);

        await app.WaitForProjectionsAsync();
        var summary = (await api.Client.GetFromJsonAsync<JsonObject>($"/formations/{formation}/summary"))!;
        Assert.Equal(1, (int)summary["registered"]!);
        Assert.Equal(1, (int)summary["qualified"]!);
        Assert.Equal(1, (int)summary["skdRecorded"]!);
        Assert.Equal(0, (int)summary["skdThresholdMet"]!);
    }

    [Fact]
    public async Task The_acting_committee_member_and_a_correlation_id_are_stored_with_each_event()
    {
        var round = await api.OpenRoundAsync("CPNS-2024-ACT");
        (await app.ClientAs("panitia-ani", "committee").PostAsJsonAsync($"/rounds/{round}/stage", new { to = "Registration" })).EnsureSuccessStatusCode();

        await using var session = app.Store.QuerySession();
        var events = await session.Events.FetchStreamAsync(round);
        Assert.Equal("panitia-ani", events[^1].UserName);
        Assert.False(string.IsNullOrEmpty(events[^1].CorrelationId));
        Assert.Equal("dev-committee", events[0].UserName);
    }

    [Fact]
    public async Task The_NIK_and_name_never_reach_the_event_table()
    {
        const string nik = "3171014107950003";
        var (_, _, application) = await api.ApplicantReadyForSkdAsync("CPNS-2024-PII", nik);

        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "select count(*) filter (where data::text like '%' || @nik || '%' or data::text like '%Siti Aminah%'), count(*) from merit.mt_events", connection);
        command.Parameters.AddWithValue("nik", nik);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        Assert.Equal(0L, reader.GetInt64(0));
        Assert.True(reader.GetInt64(1) > 0);

        // The personal-data store holds it, encrypted: the ciphertext does not contain it either.
        await using var session = app.Store.QuerySession();
        var registered = (await session.Events.FetchStreamAsync(application))[0].Data as ApplicantRegistered;
        var json = await session.Json.FindByIdAsync<Merit.PersonalData.PersonRecord>(registered!.PersonId);
        Assert.NotNull(json);
        Assert.DoesNotContain(nik, json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_concurrent_SKD_recordings_for_one_applicant_one_wins_the_other_gets_409()
    {
        var (_, _, application) = await api.ApplicantReadyForSkdAsync("CPNS-2024-CON", "3171010101900001");

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => api.RecordSkdAsync(application, 65 + (5 * i), 80, 166)));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.OK), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        await using var session = app.Store.QuerySession();
        var events = await session.Events.FetchStreamAsync(application);
        Assert.Single(events, e => e.Data is SkdResultRecorded);
    }
}
