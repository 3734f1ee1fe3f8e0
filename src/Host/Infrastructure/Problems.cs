using FluentValidation.Results;
using Merit.Deciding;
using Merit.Localization;
using Microsoft.AspNetCore.Mvc;

namespace Merit.Infrastructure;

/// <summary>
/// RFC 7807 problem details for every refusal: validation failures and decision refusals alike name the field at
/// fault and the rule, so a committee member can tell what to correct. Values entered are never echoed back,
/// since a field may hold personal data. Titles are in the request's language (Accept-Language: Bahasa Indonesia
/// unless English is asked for), and so are the details (<see cref="Sentences"/>); the codes and rule codes are the
/// same in both.
/// </summary>
public static class Problems
{
    public static int StatusFor(RefusalKind kind) => kind switch
    {
        RefusalKind.Invalid => StatusCodes.Status400BadRequest,
        RefusalKind.NotFound => StatusCodes.Status404NotFound,
        RefusalKind.Conflict or RefusalKind.WrongStage => StatusCodes.Status409Conflict,
        _ => StatusCodes.Status422UnprocessableEntity,
    };

    /// <summary>
    /// Refusals of who may act rather than of the case, by code: 403 with their own title, as a role the endpoint does
    /// not admit is a 403. A committee member outside the round of the case (RoundScope); a caller outside the instansi
    /// of the case (InstansiScope); a reader whose role the privacy policy does not allow the purpose (docs/adr/0014).
    /// </summary>
    private static readonly Dictionary<string, string> Forbidden = new(StringComparer.Ordinal)
    {
        [Security.RoundScope.RefusalCode] = "problem.title.out-of-scope",
        [Security.InstansiScope.RefusalCode] = "problem.title.out-of-scope",
        ["personal-data.role-not-allowed"] = "problem.title.role-not-allowed",
    };

    public static ProblemDetails From(Refusal refusal)
    {
        var forbidden = Forbidden.GetValueOrDefault(refusal.Code);
        var problem = new ProblemDetails
        {
            Type = $"urn:merit:refusal:{refusal.Code}",
            Title = Texts.Current[forbidden ?? TitleFor(refusal.Kind)],
            Status = forbidden is null ? StatusFor(refusal.Kind) : StatusCodes.Status403Forbidden,
            Detail = Texts.Current.Say(refusal),
        };
        problem.Extensions["code"] = refusal.Code;
        if (refusal.Field is not null)
        {
            problem.Extensions["errors"] = new Dictionary<string, string[]> { [refusal.Field] = [problem.Detail] };
            problem.Extensions["rules"] = new Dictionary<string, string[]> { [refusal.Field] = [refusal.Code] };
        }

        if (refusal.RequiredStage is not null)
        {
            problem.Extensions["requiredStage"] = refusal.RequiredStage;
        }

        return problem;
    }

    public static IResult ToResult(Refusal refusal) => Results.Problem(From(refusal));

    /// <summary>A 400 naming each invalid field with its messages and the FluentValidation rule codes that failed.</summary>
    public static ProblemDetails From(IEnumerable<ValidationFailure> failures)
    {
        var list = failures.ToList();
        var problem = new HttpValidationProblemDetails(
            list.GroupBy(f => Camel(f.PropertyName)).ToDictionary(g => g.Key, g => g.Select(f => f.ErrorMessage).ToArray()))
        {
            Type = "urn:merit:refusal:validation",
            Title = Texts.Current["problem.title.invalid"],
            Status = StatusCodes.Status400BadRequest,
            Detail = string.Join(" ", list.Select(f => f.ErrorMessage)),
        };
        problem.Extensions["code"] = "validation";
        problem.Extensions["rules"] = list.GroupBy(f => Camel(f.PropertyName))
            .ToDictionary(g => g.Key, g => g.Select(f => f.ErrorCode).ToArray());
        return problem;
    }

    public static ProblemDetails NotFound(string what, object id) => From(CommandPath.NotFound(what, id));

    private static string TitleFor(RefusalKind kind) => kind switch
    {
        RefusalKind.Invalid => "problem.title.invalid",
        RefusalKind.NotFound => "problem.title.not-found",
        RefusalKind.Conflict => "problem.title.conflict",
        RefusalKind.WrongStage => "problem.title.wrong-stage",
        _ => "problem.title.rule",
    };

    private static string Camel(string name) =>
        string.IsNullOrEmpty(name) ? name : string.Join('.', name.Split('.').Select(p => char.ToLowerInvariant(p[0]) + p[1..]));
}
