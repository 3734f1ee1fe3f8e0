using JasperFx.CommandLine;
using Marten;
using Marten.Events;
using Merit.PersonalData;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace Merit.Testing;

/// <summary>The whole Host, in process, on a database of its own: HTTP through the real pipeline, events in real PostgreSQL.</summary>
public class MeritApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    private readonly TestDatabase database = new();
    private readonly PersonalDataKeys keys = PersonalDataKeyFile.Generate();

    /// <summary>This app's seal-signing key (ECDSA P-256, PKCS#8 PEM), generated in memory.</summary>
    public string SealingKeyPem { get; } = Merit.Audit.AuditSealingKey.GeneratePem();

    /// <summary>This app's folder of anchored seals, outside its database (docs/adr/0044).</summary>
    public string AnchorDirectory { get; } = Path.Combine(Path.GetTempPath(), "merit-anchor-" + Guid.NewGuid().ToString("N"));

    public IDocumentStore Store => Services.GetRequiredService<IDocumentStore>();

    /// <summary>This app's personal-data keys, for a command-line process that must read what the app stored.</summary>
    public PersonalDataKeys PersonalDataKeys => keys;

    public string ConnectionString => database.ConnectionString;

    public async Task InitializeAsync()
    {
        JasperFxEnvironment.AutoStartHost = true;
        await database.InitializeAsync();
        _ = Server; // start the host now, so its start-up cost is not charged to the first test
    }

    public new async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await database.DisposeAsync();
        if (Directory.Exists(AnchorDirectory))
        {
            Directory.Delete(AnchorDirectory, recursive: true);
        }
    }

    /// <summary>Waits until the asynchronous projections have caught up with every event appended so far.</summary>
    public Task WaitForProjectionsAsync() => Services.GetRequiredService<IHost>().WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));

    public Security.Tokens Tokens => Services.GetRequiredService<Security.Tokens>();

    /// <summary>A client acting as <paramref name="subject"/> with exactly these roles.</summary>
    public HttpClient ClientAs(string subject, params string[] roles) => ScopedClientAs(subject, ["*"], roles);

    /// <summary>A client whose token limits it to the given round codes.</summary>
    public HttpClient ScopedClientAs(string subject, string[] scopes, params string[] roles) => ClientWith(Tokens.Issue(subject, roles, scopes, TimeSpan.FromHours(1)));

    /// <summary>A client whose token reaches the career, JPT and relocation cases of the given instansi codes only.</summary>
    public HttpClient InstansiClientAs(string subject, string[] instansi, params string[] roles) => ClientWith(Tokens.Issue(subject, roles, ["*"], TimeSpan.FromHours(1), instansi));

    private HttpClient ClientWith(string token)
    {
        var client = CreateDefaultClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>
    /// The default client is a committee member who may also open rounds, read as an auditor and take the decisions of
    /// BKN, the PPK and Panselnas: most tests act as one. A pansel member scores as themself (<see cref="ClientAs"/>).
    /// </summary>
    protected override void ConfigureClient(HttpClient client)
    {
        base.ConfigureClient(client);
        // Bulk imports of generated rounds can outlast HttpClient's 100 s default on a loaded 2-core machine.
        client.Timeout = TimeSpan.FromMinutes(10);
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
            "Bearer", Tokens.Issue("dev-committee", [Security.Roles.Committee, Security.Roles.Admin, Security.Roles.Auditor, Security.Roles.Bkn, Security.Roles.Ppk, Security.Roles.Panselnas], ["*"], TimeSpan.FromHours(1)));
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Merit", database.ConnectionString);
        builder.UseSetting("Merit:PersonalData:MasterKey", Convert.ToBase64String(keys.MasterKey));
        builder.UseSetting("Merit:PersonalData:PseudonymKey", Convert.ToBase64String(keys.PseudonymKey));
        builder.UseSetting("Merit:Auth:SigningKey", Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
        builder.UseSetting("Merit:Audit:SealingKey", SealingKeyPem);
        builder.UseSetting("Merit:Audit:SealSettleSeconds", "0");
        builder.UseSetting("Merit:Audit:AnchorDirectory", AnchorDirectory);
        // Tests seal when they mean to; the sealing on its own is tested with it switched back on.
        builder.UseSetting("Merit:Audit:AutoSeal:Enabled", "false");
        builder.ConfigureServices(ConfigureServices);
    }

    /// <summary>For fault tests that need the real Host with one more service or Marten setting.</summary>
    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }
}
