using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit;

namespace Merit.Testing;

/// <summary>The recruitment endpoints as a committee's client would call them, for tests that drive the Host over HTTP.</summary>
public sealed class RecruitmentApi(HttpClient client)
{
    public HttpClient Client => client;

    public async Task<Guid> OpenRoundAsync(string code, string ruleSet = "CPNS-2024") =>
        await IdOf(await client.PostAsJsonAsync("/rounds", new { code, name = code.Replace('-', ' '), ruleSetVersion = ruleSet }));

    public async Task AdvanceAsync(Guid roundId, params string[] stages)
    {
        foreach (var stage in stages)
        {
            await Ok(await client.PostAsJsonAsync($"/rounds/{roundId}/stage", new { to = stage }));
        }
    }

    /// <summary>A round-wide decision: <c>skd-cutoff</c> or <c>final</c> for every formation.</summary>
    public async Task DecideAsync(Guid round, string decision)
    {
        var response = await client.PostAsync($"/rounds/{round}/decisions/{decision}", null);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    public async Task<Guid> OpenFormationAsync(Guid roundId, string code, string category = "umum", int allocation = 2) =>
        await IdOf(await client.PostAsJsonAsync($"/rounds/{roundId}/formations", new
        {
            code,
            instansiCode = "A5EB03E23CCCF6A0E040640A040252AD",
            position = "Analis Kebijakan Ahli Pertama",
            location = "Jakarta",
            category,
            allocation,
            educationLevel = "S1",
        }));

    public Task<HttpResponseMessage> RegisterAsync(Guid roundId, Guid formationId, string registrationNumber, string? nik, string birthDate = "1998-08-05", string sex = "F") =>
        client.PostAsJsonAsync($"/rounds/{roundId}/applications", new
        {
            formationId,
            registrationNumber,
            nik,
            fullName = "Siti Aminah",
            birthDate,
            sex,
            educationLevel = "S1",
            gpa = 3.5m,
        });

    public async Task<Guid> RegisteredAsync(Guid roundId, Guid formationId, string registrationNumber, string? nik) =>
        await IdOf(await RegisterAsync(roundId, formationId, registrationNumber, nik));

    public async Task VerifyAsync(Guid applicationId, string result = "MS") =>
        await Ok(await client.PostAsJsonAsync($"/applications/{applicationId}/administrative-verification", new { result, reason = "Dokumen lengkap" }));

    public Task<HttpResponseMessage> RecordSkdAsync(Guid applicationId, int twk, int tiu, int tkp) =>
        client.PostAsJsonAsync($"/applications/{applicationId}/skd-result", new { twk, tiu, tkp });

    /// <summary>A round in stage Skd with one formation and one MS applicant: the state most SKD tests start from.</summary>
    public async Task<(Guid Round, Guid Formation, Guid Application)> ApplicantReadyForSkdAsync(string roundCode, string nik)
    {
        var round = await OpenRoundAsync(roundCode);
        var formation = await OpenFormationAsync(round, "F-001");
        await AdvanceAsync(round, "Registration");
        var application = await RegisteredAsync(round, formation, "24100001", nik);
        await AdvanceAsync(round, "AdministrativeSelection");
        await VerifyAsync(application);
        await AdvanceAsync(round, "AdministrativeAppeal", "Skd");
        return (round, formation, application);
    }

    /// <summary>A CSV import over HTTP (multipart), as the instansi's files arrive; the response unread.</summary>
    public Task<HttpResponseMessage> SendImportAsync(Guid roundId, string kind, string csv, CancellationToken ct = default)
    {
        var content = new MultipartFormDataContent();
        var file = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(csv));
        file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/csv");
        content.Add(file, "file", $"{kind}.csv");
        return client.PostAsync($"/rounds/{roundId}/imports/{kind}", content, ct);
    }

    /// <summary>A CSV import (<c>formations</c>, <c>applicants</c>, <c>verification</c>, <c>skd</c>, <c>skb</c>, <c>competence</c>) that must succeed: its report (rows, appended, unchanged).</summary>
    public async Task<JsonElement> ImportAsync(Guid roundId, string kind, string csv) => await Ok(await SendImportAsync(roundId, kind, csv));

    public static async Task<JsonObject> ProblemOf(HttpResponseMessage response, HttpStatusCode expected)
    {
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private static async Task<Guid> IdOf(HttpResponseMessage response)
    {
        var body = await Ok(response);
        return body.GetProperty("id").GetGuid();
    }

    private static async Task<JsonElement> Ok(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
