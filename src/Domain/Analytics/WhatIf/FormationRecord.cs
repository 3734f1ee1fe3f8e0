using Merit.Recruitment;

namespace Merit.Analytics.WhatIf;

/// <summary>An event as recorded, with its place in the store's one order (its sequence number).</summary>
public sealed record RecordedEvent(long Sequence, object Data);

/// <summary>
/// One formation (formasi) as its recorded events left it: the formation, its applications (by registration number),
/// the certificate bonus each PPPK applicant claimed (the cap that counted it may differ under another rule set, R21),
/// and the decisions taken after the final result — optimisation placements and withdrawals — in recorded order.
/// Built with the aggregates' own <c>Evolve</c> functions, as the event store builds them.
/// </summary>
public sealed record FormationRecord(
    Formation Formation,
    IReadOnlyList<Application> Applications,
    IReadOnlyDictionary<Guid, int> ClaimedBonus,
    IReadOnlyList<RecordedEvent> AfterFinal)
{
    /// <summary>
    /// Folds the events of a formation's stream and of its applications' streams, in sequence order: an
    /// application event goes to its application, any other formation event to the formation.
    /// </summary>
    public static FormationRecord Fold(IEnumerable<RecordedEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        Formation? formation = null;
        var applications = new Dictionary<Guid, Application>();
        var claimed = new Dictionary<Guid, int>();
        var afterFinal = new List<RecordedEvent>();
        foreach (var e in events)
        {
            switch (e.Data)
            {
                case IApplicationEvent a:
                    if (Application.Evolve(applications.GetValueOrDefault(a.ApplicationId), e.Data) is { } evolved)
                    {
                        applications[a.ApplicationId] = evolved;
                    }

                    if (e.Data is CompetenceResultRecorded competence)
                    {
                        claimed[competence.ApplicationId] = competence.CertificateBonusClaimed;
                    }
                    else if (e.Data is PlacedByOptimisation or WithdrewAfterPassing)
                    {
                        afterFinal.Add(e);
                    }

                    break;
                case IFormationEvent:
                    formation = Formation.Evolve(formation, e.Data);
                    break;
            }
        }

        if (formation is null)
        {
            throw new ArgumentException("The events hold no FormationOpened.", nameof(events));
        }

        return new FormationRecord(
            formation,
            applications.Values.OrderBy(a => a.RegistrationNumber, StringComparer.Ordinal).ToList(),
            claimed,
            afterFinal);
    }
}
