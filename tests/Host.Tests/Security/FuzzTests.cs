using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Marten;
using Merit.Testing;
using Xunit;

namespace Merit.Tests.Security;

/// <summary>
/// Bad input, generated: random and mutated JSON bodies on every command endpoint, and broken CSV files on every
/// import. A bounded number of cases from a fixed seed, so a failure reproduces. Asserts no 500, nothing appended
/// by a refused request, and the process still answering.
/// </summary>
public class FuzzTests(MeritApp app) : IClassFixture<MeritApp>
{
    private const int CasesPerEndpoint = 40;
    private const string Alphabet = "{}[]\",:-0123456789eE.\\ ";

    private static readonly string[] Valid =
    [
        """{"twk":70,"tiu":90,"tkp":170}""",
        """{"result":"MS","reason":"ok"}""",
        """{"formationId":"00000000-0000-0000-0000-000000000001","registrationNumber":"24100001","nik":"3171010101900001","fullName":"A","birthDate":"1998-01-01","sex":"F","educationLevel":"S1","gpa":3.5}""",
        """{"code":"F-9","instansiCode":"I","position":"P","location":"L","category":"umum","allocation":2,"educationLevel":"S1"}""",
        """{"window":"Administrative","grounds":"x","includesNewDocuments":false}""",
        """{"score":80.5}""",
        """{"to":"Registration"}""",
    ];

    private static readonly string[] Nasty =
    [
        "", "null", "[]", "{}", "\"text\"", "{", "}", "{\"twk\":", "{\"twk\":1e400}", "{\"twk\":-2147483649}", "{\"twk\":99999999999999999999}",
        "{\"gpa\":\"NaN\"}", "{\"result\":\"MAYBE\"}", "{\"category\":\"mars\"}", "{\"to\":\"Closed\"}", "{\"to\":42}", "{\"birthDate\":\"2024-02-30\"}",
        "{\"nik\":\"" + new string('9', 100_000) + "\"}", "{\"twk\":70,\"twk\":80}", "\u0000\u0001", "{\"score\":-0.001}", "{\"score\":1e28}",
    ];

    [Fact]
    public async Task Random_and_mutated_bodies_never_cause_a_500_nor_append_anything()
    {
        var api = new RecruitmentApi(app.CreateClient());
        var (round, formation, application) = await api.ApplicantReadyForSkdAsync("CPNS-2024-FUZZ", "3171010101900051");
        string[] routes =
        [
            $"/applications/{application}/skd-result", $"/applications/{application}/administrative-verification", $"/rounds/{round}/applications",
            $"/rounds/{round}/formations", $"/applications/{application}/appeals", $"/applications/{application}/skb-result", $"/rounds/{round}/stage",
            $"/formations/{formation}/skb-weights", $"/applications/{application}/nip", "/rounds",
        ];

        var random = new Random(9);
        var cases = 0;
        foreach (var route in routes)
        {
            for (var i = 0; i < CasesPerEndpoint; i++)
            {
                var body = i < Nasty.Length ? Nasty[i] : Mutate(Valid[random.Next(Valid.Length)], random);
                await using var session = app.Store.QuerySession();
                var before = await session.Events.QueryAllRawEvents().CountAsync();
                using var content = new StringContent(body, Encoding.UTF8, "application/json");
                var response = await api.Client.PostAsync(route, content);
                cases++;

                Assert.True((int)response.StatusCode < 500, $"{route} answered {(int)response.StatusCode} to {Shorten(body)}: {Shorten(await response.Content.ReadAsStringAsync())}");
                if (!response.IsSuccessStatusCode)
                {
                    Assert.Equal(before, await session.Events.QueryAllRawEvents().CountAsync());
                }
            }
        }

        Assert.Equal(HttpStatusCode.OK, (await api.Client.GetAsync($"/applications/{application}")).StatusCode);
        Assert.Equal(routes.Length * CasesPerEndpoint, cases);
    }

    [Fact]
    public async Task Broken_CSV_files_are_refused_with_a_line_and_write_nothing()
    {
        var api = new RecruitmentApi(app.CreateClient());
        var round = await api.OpenRoundAsync("CPNS-2024-CSVFUZZ");
        var files = new (string Name, byte[] Bytes)[]
        {
            ("quotes", Encoding.UTF8.GetBytes("formation_code,instansi_code,position,location,category,allocation,education_level\n\"F1,I,P,L,umum,1,S1\n")),
            ("latin1", Encoding.Latin1.GetBytes("formation_code,instansi_code,position,location,category,allocation,education_level\nF1,I,Pengatur Tk Ì,L,umum,1,S1\n")),
            ("huge", Encoding.UTF8.GetBytes("formation_code,instansi_code,position,location,category,allocation,education_level\nF1,I," + new string('x', 50_000) + ",L,umum,1,S1\n")),
            ("negative", Encoding.UTF8.GetBytes("formation_code,instansi_code,position,location,category,allocation,education_level\nF1,I,P,L,umum,-5,S1\n")),
            ("overflow", Encoding.UTF8.GetBytes("formation_code,instansi_code,position,location,category,allocation,education_level\nF1,I,P,L,umum,99999999999,S1\n")),
            ("enum", Encoding.UTF8.GetBytes("formation_code,instansi_code,position,location,category,allocation,education_level\nF1,I,P,L,umum,1,PhD\n")),
            ("fields", Encoding.UTF8.GetBytes("formation_code,instansi_code,position,location,category,allocation,education_level\nF1,I,P\n")),
            ("empty", []),
            ("binary", [0xFF, 0xFE, 0x00, 0x01, 0x02]),
        };

        foreach (var (name, bytes) in files)
        {
            await using var session = app.Store.QuerySession();
            var before = await session.Events.QueryAllRawEvents().CountAsync();
            using var content = new MultipartFormDataContent();
            var file = new ByteArrayContent(bytes);
            file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
            content.Add(file, "file", $"{name}.csv");

            var response = await api.Client.PostAsync($"/rounds/{round}/imports/formations", content);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");

            var problem = await RecruitmentApi.ProblemOf(response, HttpStatusCode.BadRequest);
            Assert.True(problem["lines"]!.AsArray().Count > 0, name);
            Assert.Equal(before, await session.Events.QueryAllRawEvents().CountAsync());
        }
    }

    private static string Mutate(string json, Random random)
    {
        var chars = json.ToCharArray().ToList();
        for (var n = random.Next(1, 4); n > 0; n--)
        {
            var at = random.Next(chars.Count);
            switch (random.Next(4))
            {
                case 0: chars.RemoveAt(at); break;
                case 1: chars.Insert(at, Alphabet[random.Next(Alphabet.Length)]); break;
                case 2: chars[at] = (char)random.Next(32, 127); break;
                default: chars.InsertRange(at, "-99999999999999999999"); break;
            }
        }

        return new string(chars.ToArray());
    }

    private static string Shorten(string text) => text.Length > 200 ? text[..200] + "…" : text;
}
