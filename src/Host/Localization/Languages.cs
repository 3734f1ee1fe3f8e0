using Microsoft.AspNetCore.Localization;

namespace Merit.Localization;

/// <summary>
/// The request's language: Bahasa Indonesia unless the Accept-Language header asks for English. ASP.NET's request
/// localization sets the request's UI culture, which <see cref="Texts.Current"/> reads; only the header selects
/// (no query string or cookie), so the same request always reads the same.
/// </summary>
public static class Languages
{
    public static RequestLocalizationOptions RequestOptions()
    {
        var supported = Texts.All.Select(t => t.Culture).ToList();
        var options = new RequestLocalizationOptions
        {
            DefaultRequestCulture = new RequestCulture(Texts.Indonesian.Culture),
            SupportedCultures = supported,
            SupportedUICultures = supported,
            FallBackToParentUICultures = true,
            FallBackToParentCultures = true,
        };
        options.RequestCultureProviders = [new AcceptLanguageHeaderRequestCultureProvider()];
        return options;
    }
}
