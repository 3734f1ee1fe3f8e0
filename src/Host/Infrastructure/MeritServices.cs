using JasperFx.Events.Daemon;
using Marten;
using Merit.Analytics;
using Merit.Audit;
using Merit.Health;
using Merit.PersonalData;
using Merit.Projections;
using Scalar.AspNetCore;
using System.Globalization;
using System.Text.Json.Serialization;
using System.Threading.RateLimiting;
using FluentValidation;
using JasperFx;
using JasperFx.CodeGeneration;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection.Extensions;
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
        var daemonMode = configuration.GetValue("Merit:DaemonMode", DaemonMode.HotCold);

        // One line per entry, so a log line is one event (a malformed request is one warning, docs/adr/0047).
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(PersonalDataKeyFile.Resolve(configuration, DevelopmentFile("dev-personal-data-keys.json")));
        builder.Services.AddSingleton<PersonalDataProtector>();
        builder.Services.AddSingleton<PersonalDataVault>();
        builder.Services.AddSingleton<PersonalDataErasure>();
        builder.Services.AddSingleton<PersonalDataAccessLog>();
        builder.Services.AddSingleton<BulkEventWriter>();
        builder.Services.AddSingleton<EventTableStatistics>();
        builder.Services.AddSingleton(sp => new ReadReplica(sp.GetRequiredService<IDocumentStore>(), ReadReplica.ConnectionString(configuration)));
        builder.Services.AddSingleton<Recruitment.Files.RecruitmentImports>();
        builder.Services.AddSingleton<Recruitment.Files.RecruitmentExports>();
        builder.Services.AddSingleton<Recruitment.RoundWideDecisions>();
        builder.Services.AddSingleton<Audit.CaseHistory>();
        builder.Services.AddSingleton<Audit.DecisionExplanations>();
        builder.Services.AddAudit(configuration);
        Recruitment.Announcements.AnnouncementServices.AddAnnouncements(builder.Services, configuration);
        Career.CareerServices.AddCareer(builder.Services);
        Analytics.AnalyticsServices.AddAnalytics(builder);

        builder.Services.AddMarten(sp =>
            {
                // Resolved with the store, not before: a verb that never touches the database (help, token) starts none.
                var connectionString = DeadNodeDetection.Apply(LocalPostgres.ConnectionString(configuration), configuration);
                return new StoreOptions()
                    .Configure(connectionString, sp.GetRequiredService<TimeProvider>(), configuration.GetValue("Merit:Daemon:LeadershipPollingMilliseconds", MeritStore.LeadershipPollingMilliseconds))
                    .AddWhatIf();
            })
            .UseLightweightSessions()
            .ApplyAllDatabaseChangesOnStartup()
            .AddAsyncDaemon(daemonMode)
            .IntegrateWithWolverine(w => w.MessageStorageSchemaName = "wolverine");

        // Handlers and endpoints run the code generated ahead of time and compiled into this assembly, without Roslyn;
        // in Development it is generated at start, so a changed endpoint runs before scripts/codegen (docs/adr/0048).
        var typeLoadMode = configuration.GetValue("Merit:TypeLoadMode", builder.Environment.IsDevelopment() ? TypeLoadMode.Dynamic : TypeLoadMode.Static);
        builder.Services.CritterStackDefaults(x =>
        {
            x.AutoResolveProjectRoot = true; // `codegen write` writes to src/Host/Internal/Generated, not under bin/
            x.GeneratedCodeOutputPath = configuration["Merit:GeneratedCodePath"]; // or there: the staleness test writes aside
        });
        builder.Host.UseWolverine(opts =>
        {
            opts.ApplicationAssembly = typeof(MeritServices).Assembly; // where static mode finds the generated types, under any test runner
            opts.CodeGeneration.TypeLoadMode = typeLoadMode;
            opts.Policies.AutoApplyTransactions();
            opts.EnableRelayOfUserName = true;
            opts.Discovery.IncludeAssembly(typeof(MeritServices).Assembly);
        });
        builder.Services.AddWolverineHttp();
        foreach (var found in AssemblyScanner.FindValidatorsInAssembly(typeof(MeritServices).Assembly))
        {
            builder.Services.AddSingleton(found.InterfaceType, found.ValidatorType);
        }

        // Per caller, a token bucket: generous for a committee's client, a wall for a runaway loop.
        var permits = configuration.GetValue("Merit:RateLimit:PermitsPerSecond", 500);
        builder.Services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            if (permits > 0)
            {
                o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context => RateLimitPartition.GetTokenBucketLimiter(
                    context.User.Identity?.Name ?? context.Connection.RemoteIpAddress?.ToString() ?? "anonymous",
                    _ => new TokenBucketRateLimiterOptions { TokenLimit = permits * 2, TokensPerPeriod = permits, ReplenishmentPeriod = TimeSpan.FromSeconds(1), QueueLimit = 0 }));
            }
        });
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = MalformedInput.MaxBodyBytes); // commands are small; imports raise it per endpoint

        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
            o.SerializerOptions.Converters.Add(new MalformedInput.NoNulStrings());
        });

        // A rule stops at its first failure: a NotNull that fails keeps the rule's Must from running on null.
        ValidatorOptions.Global.DefaultRuleLevelCascadeMode = CascadeMode.Stop;
        Localization.ValidationMessages.Install();
        builder.Services.Replace(ServiceDescriptor.Singleton(typeof(ILogger<>), typeof(MalformedInput.OneLineForMalformedJson<>)));

        // The frameworks' own problems (status code pages: 401, 403, an unknown route's 404, 405) titled in the request's
        // language too; Merit's own carry a code and are titled where they are made (Problems).
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = context =>
        {
            if (!context.ProblemDetails.Extensions.ContainsKey("code") && context.ProblemDetails.Status is { } status
                && Localization.Texts.Current.Find(string.Create(CultureInfo.InvariantCulture, $"problem.status.{status}")) is { } title)
            {
                context.ProblemDetails.Title = title;
            }
        });
        builder.Services.AddExceptionHandler<ConflictExceptionHandler>();
        builder.Services.AddExceptionHandler<DatabaseUnavailableExceptionHandler>();
        builder.Services.AddExceptionHandler<MalformedInput.ExceptionHandler>();
        builder.Services.AddMeritHealthChecks();
        var tokens = new Security.Tokens(Security.Tokens.ResolveKey(configuration, DevelopmentFile("dev-auth-signing-key")), TimeProvider.System);
        builder.Services.AddSingleton(tokens);
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(o =>
            {
                o.MapInboundClaims = false;
                o.TokenValidationParameters = tokens.ValidationParameters();
            });

        // Every endpoint declares its roles; anything that would not still needs an authenticated caller.
        builder.Services.AddAuthorizationBuilder().SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        if (configuration.GetValue("Merit:Demo", false))
        {
            builder.Services.AddHostedService<Demo.DemoData>();
        }

        builder.Services.AddOpenApi(o => o.UseMeritContract().AddDocumentTransformer((doc, _, _) =>
        {
            doc.Info.Title = "Merit";
            doc.Info.Description = "Merit-based decisions of Indonesia's civil service (ASN), recorded as events: recruitment, promotion, relocation to IKN. "
                + "Every endpoint needs a bearer token with its role (committee, auditor, analyst, admin, bkn, ppk, panselnas, pansel-member) and, for a round's "
                + "or an instansi's cases, their scope: `merit token issue --role R --subject S [--scope ROUNDS] [--instansi CODES]` (docs/security.md).";
            doc.Components ??= new();
            doc.Components.SecuritySchemes ??= new Dictionary<string, Microsoft.OpenApi.IOpenApiSecurityScheme>();
            doc.Components.SecuritySchemes["Bearer"] = new Microsoft.OpenApi.OpenApiSecurityScheme
            {
                Type = Microsoft.OpenApi.SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
            };
            doc.Security ??= [];
            doc.Security.Add(new Microsoft.OpenApi.OpenApiSecurityRequirement { [new Microsoft.OpenApi.OpenApiSecuritySchemeReference("Bearer", doc)] = [] });
            return Task.CompletedTask;
        }));
        return builder;
    }

    public static WebApplication UseMerit(this WebApplication app)
    {
        app.UseRequestLocalization(Localization.Languages.RequestOptions()); // first, so error answers are in the request's language too
        app.UseExceptionHandler();
        Security.SecurityHeaders.UseSecurityHeaders(app);
        app.UseStatusCodePages();
        app.UseNulByteRefusal();
        app.UseBodySizeLimit();
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        app.UseFilePartsCheck();
        app.UseMiddleware<Security.IdempotencyMiddleware>();
        app.MapOpenApi().AllowAnonymous();
        app.MapScalarApiReference("/api", o => o.WithTitle("Merit API")).AllowAnonymous();
        app.MapGet("/", () => Results.Redirect("/api")).ExcludeFromDescription().AllowAnonymous();
        app.MapMeritHealth();
        app.MapWolverineEndpoints(o =>
        {
            o.AddPolicy<ValidationPolicy>();
            o.AddPolicy<MalformedInput.FilePartsPolicy>();
            o.AddPolicy<WriteTransactionPolicy>();
            o.RejectUnparseableQueryValues = true; // "?asOf=yesterday" is a 400, not silently the default
        });
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

    /// <summary>Development keys live in ~/.merit (or MERIT_DEV_KEY_DIR), outside the repository.</summary>
    private static string DevelopmentFile(string name) =>
        Path.Combine(Environment.GetEnvironmentVariable("MERIT_DEV_KEY_DIR") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".merit"), name);
}
