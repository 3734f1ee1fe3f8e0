using System.Net.Http.Headers;
using JasperFx.Events.Daemon;
using Marten;
using Marten.Events;
using Merit.Infrastructure;
using Merit.PersonalData;
using Merit.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Merit.Bench;

/// <summary>
/// The production Host (the same <c>AddMerit</c>/<c>UseMerit</c> as src/Host/Program.cs), run in this process on
/// Kestrel at a free loopback port, on the run's own database: HTTP goes through the real server and pipeline, and
/// the bulk paths are the very services its endpoints call.
/// </summary>
public sealed class BenchHost : IAsyncDisposable
{
    private readonly WebApplication app;

    private BenchHost(WebApplication app, Uri address, string connectionString)
    {
        this.app = app;
        Address = address;
        ConnectionString = connectionString;
    }

    public Uri Address { get; }

    /// <summary>The run's database, for the baselines measured beside the Host.</summary>
    public string ConnectionString { get; }

    public IServiceProvider Services => app.Services;

    public IDocumentStore Store => Services.GetRequiredService<IDocumentStore>();

    /// <param name="daemon">False: no async daemon, for measuring on a recorded round without its read models catching up beside.</param>
    public static async Task<BenchHost> StartAsync(string connectionString, CancellationToken ct, bool daemon = true)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory, EnvironmentName = Environments.Production });
        var keys = PersonalDataKeyFile.Generate();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Merit"] = connectionString,
            ["Merit:PersonalData:MasterKey"] = Convert.ToBase64String(keys.MasterKey),
            ["Merit:PersonalData:PseudonymKey"] = Convert.ToBase64String(keys.PseudonymKey),
            ["Merit:Auth:SigningKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
            ["Merit:Audit:SealingKey"] = Audit.AuditSealingKey.GeneratePem(),
            // Each run's database is new, so is its anchor; sealing is measured by bench/AuditVerify (docs/adr/0044).
            ["Merit:Audit:AnchorDirectory"] = Directory.CreateTempSubdirectory("merit-bench-anchor-").FullName,
            ["Merit:Audit:AutoSeal:Enabled"] = "false",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Merit:DaemonMode"] = daemon ? null : "Disabled",

            // The table goes to standard output; the Host's log lines go to standard error with the progress.
            ["Logging:Console:LogToStandardErrorThreshold"] = "Trace",
        });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddMerit();
        var app = builder.Build();
        app.UseMerit();
        await app.StartAsync(ct);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new BenchHost(app, new Uri(address), connectionString);
    }

    /// <summary>A client with its own caller identity (the rate limit is per caller) and these roles.</summary>
    public HttpClient ClientAs(string subject, params string[] roles)
    {
        var tokens = Services.GetRequiredService<Tokens>();
        var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromMinutes(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.Issue(subject, roles, ["*"], TimeSpan.FromHours(12)));
        return client;
    }

    /// <summary>Waits until the asynchronous projections have caught up with every event appended so far.</summary>
    public Task WaitForProjectionsAsync(TimeSpan timeout) => app.Services.GetRequiredService<IHost>().WaitForNonStaleProjectionDataAsync(timeout);

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
