using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Merit.Localization;
using Merit.Testing;
using Xunit;

namespace Merit.Tests.Audit;

/// <summary>
/// What the audit, the file imports and the malformed-input checks say is in the request's language like the refusals
/// are (docs/adr/0050): Bahasa Indonesia unless Accept-Language asks for English; codes and kinds stay the same.
/// </summary>
public class AuditLanguageTests(MeritApp app) : IClassFixture<MeritApp>
{
    private static async Task<JsonObject> SendAsync(HttpClient client, HttpMethod method, string path, string? language, HttpContent? body = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body };
        if (language is not null)
        {
            request.Headers.AcceptLanguage.ParseAdd(language);
        }

        var response = await client.SendAsync(request);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    [Fact]
    public async Task The_verification_s_summary_and_broken_link_are_in_the_request_s_language()
    {
        var audit = new AuditClient(app);
        var round = await audit.RoundWithHistoryAsync("AUD-LANG");
        using var client = app.CreateClient();

        var intact = await SendAsync(client, HttpMethod.Get, $"/audit/verify?stream={round}", null);
        Assert.StartsWith("utuh, 4 peristiwa, 1 aliran", (string)intact["summary"]!, StringComparison.Ordinal);
        Assert.StartsWith("intact, 4 events, 1 streams", (string)(await SendAsync(client, HttpMethod.Get, $"/audit/verify?stream={round}", "en"))["summary"]!, StringComparison.Ordinal);

        await audit.SqlAsync("update merit.mt_events set data = jsonb_set(data, '{To}', '\"Closed\"') where stream_id = @s and version = 2", ("s", round));

        var indonesian = await SendAsync(client, HttpMethod.Get, $"/audit/verify?stream={round}", "id-ID");
        var english = await SendAsync(client, HttpMethod.Get, $"/audit/verify?stream={round}", "en");
        Assert.Equal(("ContentMismatch", "ContentMismatch"), ((string)indonesian["broken"]![0]!["kind"]!, (string)english["broken"]![0]!["kind"]!));
        Assert.Equal(
            "Jenis, data, stempel waktu, pengguna, id korelasi atau id penyebab peristiwa berbeda dari yang di-hash.",
            (string)indonesian["broken"]![0]!["detail"]!);
        Assert.Equal("The event's type, data, timestamp, user, correlation or causation id differ from what was hashed.", (string)english["broken"]![0]!["detail"]!);
        Assert.StartsWith($"rusak: 1 aliran rusak; yang pertama: aliran {round} versi 2", (string)indonesian["summary"]!, StringComparison.Ordinal);
        Assert.StartsWith($"broken: 1 broken stream(s); first: stream {round} version 2", (string)english["summary"]!, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "Bukan dokumen merit-seal/2 dengan algoritme ", "Segel pertama harus mendahului segel kedua.")]
    [InlineData("en", "Not a merit-seal/2 document with algorithm ", "The first seal must come before the second.")]
    public async Task A_seal_or_proof_problem_is_in_the_request_s_language(string? language, string notASeal, string order)
    {
        var audit = new AuditClient(app);
        await audit.RoundWithHistoryAsync("AUD-LANG-SEAL-" + (language ?? "id"));
        var exported = await audit.SealAsync();
        exported["format"] = "merit-seal/9";
        using var client = app.CreateClient();

        var malformed = await SendAsync(client, HttpMethod.Post, "/audit/seals/verify", language, JsonContent.Create(exported));
        Assert.Equal(("audit.malformed-seal", Texts.For(language)["problem.title.malformed-seal"]), ((string)malformed["code"]!, (string)malformed["title"]!));
        Assert.StartsWith(notASeal, (string)malformed["detail"]!, StringComparison.Ordinal);

        var backwards = await SendAsync(client, HttpMethod.Get, "/audit/proofs/consistency?from=2&to=1", language);
        Assert.Equal(("audit.not-provable", order), ((string)backwards["code"]!, (string)backwards["detail"]!));
    }

    [Theory]
    [InlineData(null, "harus tanggal ISO (yyyy-MM-dd)", "baris 2, tmt_cpns: harus tanggal ISO (yyyy-MM-dd)", "Isi multipart tidak memiliki bagian berkas 'file'.")]
    [InlineData("en-US", "must be an ISO date (yyyy-MM-dd)", "line 2, tmt_cpns: must be an ISO date (yyyy-MM-dd)", "The multipart body has no file part 'file'.")]
    public async Task A_file_s_errors_and_a_malformed_request_are_in_the_request_s_language(string? language, string badDate, string first, string noFile)
    {
        using var client = app.CreateClient();
        const string Header = "nip,instansi_code,tmt_cpns,tmt_pns,rank,rank_tmt,education,position,jf_level,credit_points,superior_rank,service_exams,skp_year,skp_last,skp_previous\n";
        using var file = new MultipartFormDataContent { { new ByteArrayContent(Encoding.UTF8.GetBytes(Header + "198609262010041011,A1,2010-04-XX,2011-04-01,III/a,2021-04-01,S1,Pelaksana,,,III/d,I,2024,Baik,Baik\n")), "file", "workforce.csv" } };

        var refused = await SendAsync(client, HttpMethod.Post, "/workforce/imports", language, file);
        Assert.Equal("import.invalid-file", (string)refused["code"]!);
        Assert.Equal(("tmt_cpns", badDate), ((string)refused["lines"]![0]!["column"]!, (string)refused["lines"]![0]!["message"]!));
        Assert.EndsWith(first, (string)refused["detail"]!, StringComparison.Ordinal);

        using var noFilePart = new MultipartFormDataContent { { new StringContent("x"), "other" } };
        var malformed = await SendAsync(client, HttpMethod.Post, "/workforce/imports", language, noFilePart);
        Assert.Equal(("malformed", Texts.For(language)["problem.title.malformed"], noFile), ((string)malformed["code"]!, (string)malformed["title"]!, (string)malformed["detail"]!));
    }
}
