using Marten;
using Merit.Analytics.WhatIf;

namespace Merit.Analytics;

/// <summary>What the what-ifs need from the container and the store (docs/adr/0039).</summary>
public static class WhatIfServices
{
    public static IServiceCollection AddWhatIf(this IServiceCollection services) => services
        .AddSingleton<WhatIfFacts>()
        .AddSingleton<WhatIfStudies>()
        .AddSingleton<WhatIfReports>();

    /// <summary>The what-if's event type and its formation rows, read by what-if.</summary>
    public static StoreOptions AddWhatIf(this StoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Events.AddEventType<WhatIfStudied>();
        options.Schema.For<WhatIfFormationRow>().Index(r => r.WhatIfId);
        return options;
    }
}
