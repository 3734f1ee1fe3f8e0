using JasperFx;
using JasperFx.Events.Daemon;
using Marten;
using Merit.PersonalData;
using Merit.Projections;
using Scalar.AspNetCore;
using System.Text.Json.Serialization;
using FluentValidation;
using Wolverine;
using Wolverine.Http;
using Wolverine.Marten;

namespace Merit.Infrastructure;

/// <summary>How Merit is put together: Marten (event store and read models) on PostgreSQL, Wolverine (commands and HTTP) on top (docs/adr/0001).</summary>
public static partial class MeritServices
{
    public static WebApplicationBuilder AddMerit(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var connectionString = LocalPostgres.ConnectionString(configuration);
        var daemonMode = configuration.GetValue("Merit:DaemonMode", DaemonMode.HotCold);

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(PersonalDataKeyFile.Resolve(configuration, DevelopmentKeyFile(builder.Environment)));
        builder.Services.AddSingleton<PersonalDataProtector>();
        builder.Services.AddSingleton<Recruitment.Files.RecruitmentImports>();
        builder.Services.AddSingleton<Recruitment.Files.RecruitmentExports>();
        builder.Services.AddSingleton<Recruitment.RoundWideDecisions>();
        builder.Services.AddSingleton<Audit.CaseHistory>();
        builder.Services.AddSingleton<Audit.DecisionExplanations>();
        Analytics.AnalyticsServices.AddAnalytics(builder);

        builder.Services.AddMarten(sp =>
            {
                var options = new StoreOptions().Configure(connectionString, sp.GetRequiredService<TimeProvider>());
                options.Schema.For<PersonRecord>();
                options.Schema.For<RoundRegistrationClaim>();
                options.Schema.For<NipPrefixCounter>().UseOptimisticConcurrency(true);
                return options;
            })
            .UseLightweightSessions()
            .ApplyAllDatabaseChangesOnStartup()
            .AddAsyncDaemon(daemonMode)
            .IntegrateWithWolverine(w => w.MessageStorageSchemaName = "wolverine");

        builder.Host.UseWolverine(opts =>
        {
            opts.Policies.AutoApplyTransactions();
            opts.EnableRelayOfUserName = true;
            opts.Discovery.IncludeAssembly(typeof(MeritServices).Assembly);
        });
        builder.Services.AddWolverineHttp();
        foreach (var found in AssemblyScanner.FindValidatorsInAssembly(typeof(MeritServices).Assembly))
        {
            builder.Services.AddSingleton(found.InterfaceType, found.ValidatorType);
        }

        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<ConflictExceptionHandler>();
        builder.Services.AddAuthentication(DevelopmentAuthentication.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, DevelopmentAuthentication>(DevelopmentAuthentication.SchemeName, null);
        builder.Services.AddAuthorization();
        if (configuration.GetValue("Merit:Demo", false))
        {
            builder.Services.AddHostedService<Demo.DemoData>();
        }

        builder.Services.AddOpenApi(o => o.AddDocumentTransformer((doc, _, _) =>
        {
            doc.Info.Title = "Merit";
            doc.Info.Description = "Merit-based decisions of Indonesia's civil service (ASN), recorded as events: recruitment, promotion, relocation to IKN.";
            return Task.CompletedTask;
        }));
        return builder;
    }

    public static WebApplication UseMerit(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapOpenApi();
        app.MapScalarApiReference("/api", o => o.WithTitle("Merit API"));
        app.MapGet("/", () => Results.Redirect("/api")).ExcludeFromDescription();
        app.MapWolverineEndpoints(o => o.AddPolicy<ValidationPolicy>());
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            foreach (var address in app.Urls)
            {
                LogApiPage(app.Logger, address);
            }
        });
        return app;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Merit API page: {Url}/api (OpenAPI document: {Url}/openapi/v1.json)")]
    private static partial void LogApiPage(ILogger logger, string url);

    private static string DevelopmentKeyFile(IHostEnvironment environment) =>
        Environment.GetEnvironmentVariable("MERIT_DEV_KEY_FILE")
        ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".merit", "dev-personal-data-keys.json");
}
