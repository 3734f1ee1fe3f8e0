using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Merit.Audit;

/// <summary>
/// Registers the audit's services: verification, seals and the sealing key (docs/adr/0007), the read models' verification
/// (docs/adr/0012), anchored seals, sealing on its own, proofs, the auditor pack and the published lists' check (docs/adr/0044).
/// </summary>
public static class AuditServices
{
    public static IServiceCollection AddAudit(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<AuditOptions>(configuration.GetSection("Merit:Audit"));
        services.AddSingleton(_ => new AuditSealingKey(configuration));
        services.AddSingleton<AuditEventReader>();
        services.AddSingleton<AuditAnchor>();
        services.AddSingleton<AuditSeals>();
        services.AddSingleton<AuditVerifier>();
        services.AddSingleton<ProjectionVerifier>();
        services.AddSingleton<AuditProofs>();
        services.AddSingleton<PublishedListVerifier>();
        services.AddExceptionHandler<PublishedListRefusalHandler>();
        services.AddTransient<IStartupFilter, PublishedListBuffering>();
        services.AddSingleton<AuditPack>();
        services.AddHostedService<AutoSealing>();
        services.AddHealthChecks().AddCheck<SealingHealthCheck>("sealing", HealthStatus.Degraded, [Health.HealthEndpoints.ReadyTag], TimeSpan.FromSeconds(5));
        return services;
    }
}
