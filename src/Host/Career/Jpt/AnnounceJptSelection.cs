using System.Security.Claims;
using FluentValidation;
using Marten;
using Merit.Infrastructure;
using Merit.Security;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;
using Microsoft.AspNetCore.Mvc;

namespace Merit.Career;

/// <summary>Announce a senior post (JPT Pratama, Madya or Utama) for open selection; registration open until a date.</summary>
public sealed record AnnounceJptSelectionRequest(string Code, string InstansiCode, string Position, string Level, string RegistrationCloses, string? MinimumRank);

public sealed class AnnounceJptSelectionRequestValidator : AbstractValidator<AnnounceJptSelectionRequest>
{
    public AnnounceJptSelectionRequestValidator()
    {
        RuleFor(x => x.Code).NotEmpty().MaximumLength(40).Matches(InputPatterns.Code()).WithMessage("Code must be 1–40 letters, digits, '.', '_' or '-'.");
        RuleFor(x => x.InstansiCode).NotEmpty().MaximumLength(42);
        RuleFor(x => x.Position).NotEmpty().MaximumLength(200);
        RuleFor(x => x.Level).IsName<AnnounceJptSelectionRequest, JptLevel>();
        RuleFor(x => x.RegistrationCloses).IsIsoDate();
        RuleFor(x => x.MinimumRank).IsOptionalRank();
    }
}

/// <summary>A JPT selection announced: its id and the rule set it runs under.</summary>
public sealed record JptSelectionOpened(Guid Id, string RuleSetVersion);

public static class AnnounceJptSelectionEndpoint
{
    /// <summary>Announce a selection under the JPT rule set in force.</summary>
    [WolverinePost("/jpt-selections", OperationId = "AnnounceJptSelection")]
    [ProducesResponseType<JptSelectionOpened>(StatusCodes.Status201Created)]
    [Tags("Career")]
    [Authorize(Roles = Roles.Committee)]
    public static Task<IResult> Post(AnnounceJptSelectionRequest request, ClaimsPrincipal user, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var id = JptDecisions.IdFor(request.Code);
        var command = new AnnounceJptSelection(request.Code, request.InstansiCode, request.Position, CareerCodes.Parse<JptLevel>(request.Level), IsoDate.Parse(request.RegistrationCloses), CareerCodes.OptionalRank(request.MinimumRank), clock.GetUtcNow());
        return session.DecideAsync<JptSelection>(user, id, s => InstansiScope.Check(user, request.InstansiCode) ?? JptDecisions.Announce(s, command), d => Results.Created($"/jpt-selections/{id}", new JptSelectionOpened(id, ((JptSelectionAnnounced)d.Events[0]).RuleSetVersion)), ct);
    }
}
