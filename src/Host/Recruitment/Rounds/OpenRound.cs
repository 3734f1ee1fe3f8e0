using FluentValidation;
using Merit.Career;
using Marten;
using Merit.Infrastructure;
using Merit.Security;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;
using Microsoft.AspNetCore.Mvc;

namespace Merit.Recruitment;

/// <summary>Open a selection round under a rule set version.</summary>
/// <param name="Code">The round's code, e.g. <c>CPNS-2024</c>; its id derives from it.</param>
/// <param name="Name">A title for people, e.g. <c>CPNS 2024</c>.</param>
/// <param name="RuleSetVersion">The rule set applied to every decision of the round, e.g. <c>CPNS-2024</c>.</param>
/// <param name="TimeZone">WIB, WITA or WIT: the zone every date and window of the round is read in; absent, the rule set's (WIB).</param>
/// <param name="RegistrationOpens">With <paramref name="RegistrationCloses"/>, the registration window as announced (ISO dates); absent, the rule set's.</param>
public sealed record OpenRoundRequest(string Code, string Name, string RuleSetVersion, string? TimeZone = null, string? RegistrationOpens = null, string? RegistrationCloses = null)
{
    public DateWindow? Registration => RegistrationOpens is { } opens && RegistrationCloses is { } closes
        ? new DateWindow(Day(opens), Day(closes))
        : null;

    internal static bool IsDay(string? text) => text is null || DateOnly.TryParseExact(text, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out _);

    private static DateOnly Day(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}

public sealed class OpenRoundRequestValidator : AbstractValidator<OpenRoundRequest>
{
    public OpenRoundRequestValidator()
    {
        RuleFor(x => x.Code).NotEmpty().MaximumLength(40).Matches(InputPatterns.Code())
            .WithMessage("Code must be 1–40 letters, digits, '.', '_' or '-'.");
        RuleFor(x => x.Name).NotEmpty().MaximumLength(200);
        RuleFor(x => x.RuleSetVersion).NotEmpty().MaximumLength(40);
        RuleFor(x => x.TimeZone).IsOptionalName<OpenRoundRequest, RoundTimeZone>().When(x => x.TimeZone is not null)
            .WithMessage("Time zone must be WIB, WITA or WIT.");
        RuleFor(x => x.RegistrationOpens).Must(OpenRoundRequest.IsDay).WithMessage("Registration opens must be an ISO date (yyyy-MM-dd).");
        RuleFor(x => x.RegistrationCloses).Must(OpenRoundRequest.IsDay).WithMessage("Registration closes must be an ISO date (yyyy-MM-dd).");
        RuleFor(x => x).Must(x => (x.RegistrationOpens is null) == (x.RegistrationCloses is null)).WithName("registrationCloses")
            .WithMessage("A registration window needs both its first and its last day.");
    }
}

/// <summary>A round opened: its id (derived from its code), its code, and its first stage.</summary>
public sealed record RoundOpenedView(Guid Id, string Code, RoundStage Stage);

public static class OpenRoundEndpoint
{
    /// <summary>Open a round (CPNS or PPPK) under a named rule set.</summary>
    [WolverinePost("/rounds", OperationId = "OpenRound")]
    [ProducesResponseType<RoundOpenedView>(StatusCodes.Status201Created)]
    [Tags("Rounds")]
    [Authorize(Roles = Roles.Admin)]
    public static Task<IResult> Post(OpenRoundRequest request, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var id = RoundDecisions.IdFor(request.Code);
        return session.DecideAsync<Round>(
            id,
            existing => RoundDecisions.Open(existing, new OpenRound(request.Code, request.Name, request.RuleSetVersion, clock.GetUtcNow(), request.TimeZone is { } zone ? Enum.Parse<RoundTimeZone>(zone) : null, request.Registration)),
            _ => Results.Created($"/rounds/{id}", new RoundOpenedView(id, request.Code, RoundStage.Announcement)),
            ct);
    }
}
