namespace Merit.Career;

/// <summary>The career slice's services, registered by one call from <c>MeritServices</c>.</summary>
public static class CareerServices
{
    public static IServiceCollection AddCareer(this IServiceCollection services)
    {
        services.AddSingleton<CivilServantIds>();
        services.AddSingleton<PromotionPeriods>();
        services.AddSingleton<Files.WorkforceImports>();
        return services;
    }
}
