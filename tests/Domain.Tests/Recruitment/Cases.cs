using Merit.Recruitment;
using Merit.Recruitment.Ranking;
using static Merit.Tests.Recruitment.Fixtures;

namespace Merit.Tests.Recruitment;

/// <summary>
/// Formations and applications of a CPNS-2024 round built from their events, for the tests of the later stages:
/// each case is the fold of the events its decisions would have appended.
/// </summary>
public static class Cases
{
    public const string Position = "Analis Kebijakan Ahli Pertama";

    public static FormationOpened Opening(string code, FormationCategory category = FormationCategory.Umum, string location = "Jakarta", string position = Position, EducationLevel education = EducationLevel.S1, int allocation = 2) =>
        new(FormationDecisions.IdFor(RoundId, code), RoundId, code, "A5EB03E23CCCF6A0E040640A040252AD", position, location, category, allocation, education, "CPNS-2024", Opened);

    public static Formation Fold(params object[] events) => events.Aggregate((Formation?)null, Formation.Evolve)!;

    /// <summary>The history of a formation whose final result passed <paramref name="passed"/> of its allocation.</summary>
    public static object[] DecidedHistory(FormationOpened opening, int passed, bool tie = false) =>
        [opening, new SkdCutOffDecided(opening.FormationId, RoundId, opening.Code, opening.Category, opening.Allocation, 3 * opening.Allocation, 0, [], "CPNS-2024", Now),
            new FinalResultDecided(opening.FormationId, RoundId, opening.Code, opening.Allocation, passed, tie, [], "CPNS-2024", Now)];

    public static Formation Decided(FormationOpened opening, int passed, bool tie = false) => Fold(DecidedHistory(opening, passed, tie));

    public static ApplicantRegistered RegisteredIn(FormationOpened formation, string number, Guid? person = null) =>
        new(ApplicationDecisions.IdFor(RoundId, number), RoundId, formation.FormationId, formation.Code, number, person ?? Guid.NewGuid(), Sex.F, formation.EducationLevel, 3.50m, Opened.AddDays(2), RegistrationCloses, ApplicationDateSource.RegistrationWindowClose, "CPNS-2024");

    /// <summary>The events of an applicant up to the SKD result, assessed against the formation's category.</summary>
    public static List<object> UpToSkd(FormationOpened formation, string number, int twk, int tiu, int tkp)
    {
        var registered = RegisteredIn(formation, number);
        var met = SkdRules.Assess(RuleSetCatalog.Get("CPNS-2024").ThresholdFor(formation.Category)!, new SkdScore(twk, tiu, tkp));
        return
        [
            registered,
            Verified(registered),
            new SkdResultRecorded(registered.ApplicationId, formation.FormationId, twk, tiu, tkp, twk + tiu + tkp, formation.Category, met.Met, met.Shortfalls, "CPNS-2024", Now),
        ];
    }

    /// <summary>An applicant admitted to the SKB who sat it (<paramref name="skb"/>) or was recorded absent (null), with the final status given.</summary>
    public static Application Sitter(FormationOpened formation, string number, (int Twk, int Tiu, int Tkp) skd, decimal? skb, FinalStatus? status = FinalStatus.TL, bool tied = false, params object[] more)
    {
        var events = UpToSkd(formation, number, skd.Twk, skd.Tiu, skd.Tkp);
        var id = ApplicationDecisions.IdFor(RoundId, number);
        events.Add(new SkdCutOffApplied(id, formation.FormationId, CutOffOutcome.Admitted, 1, "admitted", "CPNS-2024", Now));
        events.Add(skb is { } score
            ? new SkbResultRecorded(id, formation.FormationId, score, null, null, "CPNS-2024", Now)
            : new SkbAbsenceRecorded(id, formation.FormationId, "CPNS-2024", Now));
        if (status is { } final)
        {
            events.Add(new FinalResultApplied(id, formation.FormationId, final, 3, null, "", "CPNS-2024", Now, tied));
        }

        events.AddRange(more);
        return Fold<Application>(Application.Evolve, events);
    }

    public static T Fold<T>(Func<T?, object, T?> evolve, IEnumerable<object> events)
        where T : class =>
        events.Aggregate((T?)null, evolve)!;
}
