using System.Security.Claims;
using Marten;
using Merit.PersonalData;
using Merit.Security;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;
using Microsoft.AspNetCore.Mvc;

namespace Merit.Recruitment;

public static class DecideFinalResultEndpoint
{
    /// <summary>Decide the formation's final result (stage Integration): integrated score, ranking with the tie-breaks of R15, status codes (R16).</summary>
    [WolverinePost("/formations/{formationId}/final-result", OperationId = "DecideFinalResult")]
    [ProducesResponseType<FormationDecided>(StatusCodes.Status200OK)]
    [Tags("Decisions")]
    [Authorize(Roles = Roles.Committee)]
    public static Task<IResult> Post(Guid formationId, ClaimsPrincipal user, IDocumentSession session, RoundWideDecisions decisions, TimeProvider clock, CancellationToken ct) =>
        session.OnFormationAsync(user, formationId, async c =>
        {
            var applications = await session.Query<Application>().Where(a => a.FormationId == formationId).ToListAsync(ct);
            var command = new DecideFinalResult(formationId, clock.GetUtcNow());
            if (SelectionDecisions.DecideFinal(c.Round, c.Formation, applications, RoundWideDecisions.NoBirthDates, command).Refusal is { } refused)
            {
                return refused; // nothing decrypted, nothing logged, for a decision that would not be taken
            }

            var birthDates = await decisions.BirthDatesAsync(applications, PersonalDataReader.Of(user, $"POST /formations/{formationId}/final-result"), "final-tie-break", ct);
            return birthDates.Refusal ?? SelectionDecisions.DecideFinal(c.Round, c.Formation, applications, birthDates.ByApplication, command);
        }, RecruitmentCases.Counted(formationId), ct);
}
