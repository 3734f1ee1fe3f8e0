using Merit.Deciding;

namespace Merit.Recruitment;

/// <summary>
/// DIS (diskualifikasi): the applicant is disqualified at <see cref="Stage"/> for <see cref="Reason"/>, with a
/// reference to the evidence (e.g. the CAT proctor's report number); the evidence itself stays with the committee.
/// <see cref="WasPasser"/>: the applicant held a place, now vacant again.
/// </summary>
public sealed record ApplicantDisqualified(Guid ApplicationId, Guid FormationId, string Reason, string EvidenceReference, RoundStage Stage, bool WasPasser, string RuleSetVersion, DateTimeOffset At) : IApplicationEvent;

/// <summary>The place a disqualified passer held is vacant again, open to optimisation (R17).</summary>
public sealed record PlaceVacatedByDisqualification(Guid FormationId, Guid ApplicationId, bool WasOptimisationPlacement, string RuleSetVersion, DateTimeOffset At) : IFormationEvent;

/// <summary>Disqualify an applicant: the reason and the reference of the evidence it rests on.</summary>
public sealed record Disqualify(Guid ApplicationId, string Reason, string EvidenceReference, DateTimeOffset Now);

public static class DisqualificationDecisions
{
    /// <summary>
    /// At any stage of an open round, once per applicant, until the employee number is issued (after that the case is
    /// a civil servant's, under the career rules). A passer's place becomes vacant.
    /// </summary>
    public static Decision Disqualify(Round round, Application application, Disqualify command)
    {
        if (round.Stage == RoundStage.Closed)
        {
            return new Refusal(RefusalKind.Conflict, "round.closed", $"Round {round.Code} is closed.");
        }

        if (string.IsNullOrWhiteSpace(command.Reason))
        {
            return new Refusal(RefusalKind.Invalid, "disqualification.reason", "A disqualification states its reason.", "reason");
        }

        if (string.IsNullOrWhiteSpace(command.EvidenceReference))
        {
            return new Refusal(RefusalKind.Invalid, "disqualification.evidence", "A disqualification names the evidence it rests on.", "evidenceReference");
        }

        if (application.Disqualified)
        {
            return new Refusal(RefusalKind.Conflict, "disqualification.already", $"Application {application.RegistrationNumber} is already disqualified.");
        }

        if (application.Withdrawn)
        {
            return new Refusal(RefusalKind.Conflict, "disqualification.withdrawn", $"Application {application.RegistrationNumber} withdrew (APS); it holds nothing to disqualify from.");
        }

        if (application.IsAppointed)
        {
            return new Refusal(RefusalKind.Rule, "disqualification.appointed", $"Application {application.RegistrationNumber} already has its employee number; from appointment on, the career rules apply.");
        }

        var wasPasser = application.IsPasser;
        var disqualified = new ApplicantDisqualified(application.Id, application.FormationId, command.Reason, command.EvidenceReference, round.Stage, wasPasser, round.RuleSetVersion, command.Now);
        return wasPasser
            ? Decision.Accept(disqualified, new PlaceVacatedByDisqualification(application.PlacedInFormation ?? application.FormationId, application.Id, application.PlacedInFormation is not null, round.RuleSetVersion, command.Now))
            : Decision.Accept(disqualified);
    }

    /// <summary>What every later-stage command on an application refuses for a disqualified applicant.</summary>
    internal static Refusal? Guard(Application application) =>
        application.Disqualified
            ? new Refusal(RefusalKind.Conflict, "application.disqualified", $"Application {application.RegistrationNumber} is disqualified (DIS).")
            : null;
}
