using System.Globalization;
using Microsoft.AspNetCore.Localization;

namespace Merit.Localization;

/// <summary>
/// The request's language: Bahasa Indonesia unless the Accept-Language header asks for English. ASP.NET's request
/// localization sets the request's UI culture, which <see cref="Texts.Current"/> reads; only the header selects
/// (no query string or cookie), so the same request always reads the same. The formatting culture stays invariant.
/// </summary>
public static class Languages
{
    public static RequestLocalizationOptions RequestOptions()
    {
        // Only the UI culture follows the header: numbers and dates in events, files and messages stay invariant.
        var options = new RequestLocalizationOptions
        {
            DefaultRequestCulture = new RequestCulture(CultureInfo.InvariantCulture, Texts.Indonesian.Culture),
            SupportedCultures = [CultureInfo.InvariantCulture],
            SupportedUICultures = Texts.All.Select(t => t.Culture).ToList(),
            FallBackToParentUICultures = true,
        };
        options.RequestCultureProviders = [new AcceptLanguageHeaderRequestCultureProvider()];
        return options;
    }
}
