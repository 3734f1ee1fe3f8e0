using System.Globalization;
using Microsoft.AspNetCore.Localization;

namespace Merit.Localization;

/// <summary>
/// The language Merit speaks. Over HTTP: Bahasa Indonesia unless the Accept-Language header asks for English; ASP.NET's
/// request localization sets the request's UI culture, which <see cref="Texts.Current"/> reads; only the header selects
/// (no query string or cookie), so the same request always reads the same. The dashboard page alone also takes
/// <c>?lang=</c> for its visible switch (<see cref="Analytics.Dashboard.Language"/>). On the command line: <c>--lang</c>, else the
/// locale environment. The formatting culture stays invariant either way.
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

    /// <summary>The command line's language option, taken out of the arguments wherever it stands.</summary>
    public const string Flag = "--lang";

    /// <summary>The locale variables that name the messages' language, the first set winning (POSIX).</summary>
    private static readonly string[] LocaleVariables = ["LC_ALL", "LC_MESSAGES", "LANG"];

    /// <summary>
    /// The arguments without <c>--lang VALUE</c>, and that value (null when absent, "" when the flag has no value).
    /// </summary>
    public static string[] WithoutFlag(string[] args, out string? language)
    {
        ArgumentNullException.ThrowIfNull(args);
        language = null;
        var at = Array.IndexOf(args, Flag);
        if (at < 0)
        {
            return args;
        }

        language = at + 1 < args.Length ? args[at + 1] : "";
        return [.. args[..at], .. args[Math.Min(args.Length, at + 2)..]];
    }

    /// <summary>
    /// The command line's texts: <paramref name="language"/> (from <c>--lang</c>) when given, else the locale the
    /// environment names, in POSIX order (LC_ALL, LC_MESSAGES, LANG; <c>en_US.UTF-8</c> is English), else Bahasa
    /// Indonesia, as for <c>C</c> and <c>POSIX</c>. Null when <paramref name="language"/> is neither <c>id</c> nor <c>en</c>.
    /// </summary>
    public static Texts? ForCommandLine(string? language, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (language is not null)
        {
            return Texts.IsKnown(language) ? Texts.For(language) : null;
        }

        var locale = LocaleVariables.Select(environment).FirstOrDefault(v => !string.IsNullOrEmpty(v));
        return Texts.For(locale?.Split('.', '@')[0].Replace('_', '-'));
    }
}
