using Merit.Localization;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using FluentValidation;
using Merit.Infrastructure;
using Merit.PersonalData;

namespace Merit.Career;

/// <summary>
/// The id of a civil servant's career stream: a keyed pseudonym (HMAC-SHA256 under the pseudonym key) of the NIP.
/// Not a name-based <c>StableId</c>: a NIP has few enough possible values (birth date, TMT month, sex, a small
/// sequence) that a public v5 id could be inverted by enumeration, giving back the birth date (docs/adr/0009).
/// </summary>
public sealed class CivilServantIds(PersonalDataKeys keys)
{
    public Guid For(string nip) => new(HMACSHA256.HashData(keys.PseudonymKey, Encoding.UTF8.GetBytes("civil-servant:" + nip)).AsSpan(0, 16));
}

/// <summary>Dates in requests and files: ISO <c>yyyy-MM-dd</c>.</summary>
public static class IsoDate
{
    /// <summary>The shape of an ISO date, for the OpenAPI schema; <see cref="IsValid"/> also checks that the day exists.</summary>
    public const string Pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$";

    public static bool IsValid(string? text) => TryParse(text, out _);

    public static bool TryParse(string? text, out DateOnly date) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    /// <exception cref="FormatException">Not an ISO date; validators check first.</exception>
    public static DateOnly Parse(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static DateOnly? ParseOptional(string? text) => text is null ? null : Parse(text);

    /// <summary>The rule for a required ISO date field.</summary>
    public static IRuleBuilderOptions<T, string> IsIsoDate<T>(this IRuleBuilder<T, string> rule) =>
        rule.SetValidator(new IsoDateValidator<T>(optional: false)).WithMessage("{PropertyName} must be an ISO date (yyyy-MM-dd).");

    /// <summary>The rule for an optional ISO date field.</summary>
    public static IRuleBuilderOptions<T, string?> IsOptionalIsoDate<T>(this IRuleBuilder<T, string?> rule) =>
        rule.SetValidator(new IsoDateValidator<T>(optional: true)).WithMessage("{PropertyName} must be an ISO date (yyyy-MM-dd).");
}

/// <summary>Text values of requests and files that name a rank or an enumeration.</summary>
public static class CareerCodes
{
    public static IRuleBuilderOptions<T, string> IsRank<T>(this IRuleBuilder<T, string> rule) =>
        rule.Must(r => Rank.TryParse(r, out _)).WithMessage(_ => Texts.Current.Say($"{{PropertyName}} must be a rank code: {Rank.CodeList}."));

    public static IRuleBuilderOptions<T, string?> IsOptionalRank<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(r => r is null || Rank.TryParse(r, out _)).WithMessage(_ => Texts.Current.Say($"{{PropertyName}} must be a rank code: {Rank.CodeList}."));

    public static IRuleBuilderOptions<T, string> IsName<T, TEnum>(this IRuleBuilder<T, string> rule)
        where TEnum : struct, Enum =>
        rule.SetValidator(new EnumNameValidator<T, TEnum>(optional: false)).WithMessage(_ => Texts.Current.Say($"{{PropertyName}} must be one of {string.Join(", ", Enum.GetNames<TEnum>())}."));

    public static IRuleBuilderOptions<T, string?> IsOptionalName<T, TEnum>(this IRuleBuilder<T, string?> rule)
        where TEnum : struct, Enum =>
        rule.SetValidator(new EnumNameValidator<T, TEnum>(optional: true)).WithMessage(_ => Texts.Current.Say($"{{PropertyName}} must be one of {string.Join(", ", Enum.GetNames<TEnum>())}."));

    public static bool IsEnum<TEnum>(string? value)
        where TEnum : struct, Enum =>
        value is not null && !int.TryParse(value, out _) && Enum.TryParse<TEnum>(value, ignoreCase: false, out var parsed) && Enum.IsDefined(parsed);

    /// <summary>For JSON object keys, which a client's serializer may have camel-cased.</summary>
    public static bool IsKey<TEnum>(string? value)
        where TEnum : struct, Enum =>
        value is not null && !int.TryParse(value, out _) && Enum.TryParse<TEnum>(value, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed);

    public static TEnum ParseKey<TEnum>(string value)
        where TEnum : struct, Enum => Enum.Parse<TEnum>(value, ignoreCase: true);

    public static TEnum Parse<TEnum>(string value)
        where TEnum : struct, Enum => Enum.Parse<TEnum>(value, ignoreCase: false);

    public static TEnum? ParseOptional<TEnum>(string? value)
        where TEnum : struct, Enum => value is null ? null : Enum.Parse<TEnum>(value, ignoreCase: false);

    public static Rank? OptionalRank(string? code) => code is null ? null : Rank.Parse(code);
}
