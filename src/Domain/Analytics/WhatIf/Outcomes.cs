using Merit.Recruitment;
using Merit.Recruitment.Ranking;

namespace Merit.Analytics.WhatIf;

/// <summary>Where an applicant ended up in a round, under the recorded decisions or under a variant (brief 2.8).</summary>
public enum ApplicantOutcome
{
    /// <summary>TMS, or not verified: never sat the SKD.</summary>
    NotQualified,
    /// <summary>MS without an SKD score: absent (TH) or not recorded.</summary>
    SkdAbsent,
    /// <summary>Below the threshold (nilai ambang batas) of the formation's category.</summary>
    BelowThreshold,
    /// <summary>Met the threshold; the round has not decided the next step for this formation yet.</summary>
    Pending,
    /// <summary>Met the threshold, beyond the SKB quota (R13).</summary>
    OverQuota,
    /// <summary>Admitted to the SKB only under the variant: no SKB was sat, so no final result can be given (variant only).</summary>
    AdmittedWithoutSkbResult,
    /// <summary>TH at the SKB.</summary>
    SkbAbsent,
    /// <summary>TL: ranked beyond the allocation.</summary>
    NotPassed,
    /// <summary>Fully tied across the last place: referred to Panselnas, not passed.</summary>
    ReferredToPanselnas,
    /// <summary>P/L in the own formation.</summary>
    Passed,
    /// <summary>P/L-2: placed in another formation by optimisation (R17).</summary>
    PlacedByOptimisation,
    /// <summary>APS: withdrew after passing (R18).</summary>
    Withdrawn,
    /// <summary>DIS.</summary>
    Disqualified,
}

/// <summary>
/// Counts of applicants at each step: every count is of people. <see cref="Selected"/> is the passers (P/L and P/L-2)
/// who did not withdraw; <see cref="AdmittedToSkb"/> is zero where the rule set has no SKB.
/// </summary>
public sealed record OutcomeCounts(
    long Registered,
    long Ms,
    long SkdScored,
    long ThresholdMet,
    long AdmittedToSkb,
    long FinalPass,
    long ReferredToPanselnas,
    long PlacedByOptimisation,
    long Withdrawn,
    long Selected,
    long AdmittedWithoutSkbResult)
{
    /// <summary>The counts by name (camel case), as analytics tables read them.</summary>
    public IReadOnlyDictionary<string, long> ByName() => new Dictionary<string, long>(StringComparer.Ordinal)
    {
        ["registered"] = Registered,
        ["ms"] = Ms,
        ["skdScored"] = SkdScored,
        ["thresholdMet"] = ThresholdMet,
        ["admittedToSkb"] = AdmittedToSkb,
        ["finalPass"] = FinalPass,
        ["referredToPanselnas"] = ReferredToPanselnas,
        ["placedByOptimisation"] = PlacedByOptimisation,
        ["withdrawn"] = Withdrawn,
        ["selected"] = Selected,
        ["admittedWithoutSkbResult"] = AdmittedWithoutSkbResult,
    };

    /// <summary>The names of <see cref="ByName"/>, in order.</summary>
    public static readonly IReadOnlyList<string> Names =
    [
        "registered", "ms", "skdScored", "thresholdMet", "admittedToSkb", "finalPass", "referredToPanselnas",
        "placedByOptimisation", "withdrawn", "selected", "admittedWithoutSkbResult",
    ];
}

/// <summary>The counts of one group of a dimension (an instansi code, a category code, a sex, a location).</summary>
public sealed record GroupCounts(string Key, OutcomeCounts Counts);

/// <summary>A round's outcome in counts: the total and the groups of each dimension, groups in ordinal key order.</summary>
public sealed record OutcomeSummary(
    OutcomeCounts Total,
    IReadOnlyList<GroupCounts> ByInstansi,
    IReadOnlyList<GroupCounts> ByCategory,
    IReadOnlyList<GroupCounts> BySex,
    IReadOnlyList<GroupCounts> ByLocation)
{
    public IReadOnlyList<GroupCounts> Dimension(string name) => name switch
    {
        "instansi" => ByInstansi,
        "category" => ByCategory,
        "sex" => BySex,
        "location" => ByLocation,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "instansi, category, sex or location"),
    };

    public static readonly IReadOnlyList<string> Dimensions = ["instansi", "category", "sex", "location"];
}

/// <summary>How many applicants moved from one outcome (as decided) to another (under the variant).</summary>
public sealed record Transition(ApplicantOutcome From, ApplicantOutcome To, long Applicants);

/// <summary>In a group: how many applicants the variant selects who were not selected, and the reverse.</summary>
public sealed record SelectionChange(string Key, long NewlySelected, long NoLongerSelected);

/// <summary>What changes between the decided outcome and the variant's: transitions, and selection changes by dimension.</summary>
public sealed record OutcomeChanges(
    long NewlySelected,
    long NoLongerSelected,
    IReadOnlyList<Transition> Transitions,
    IReadOnlyList<SelectionChange> ByInstansi,
    IReadOnlyList<SelectionChange> ByCategory,
    IReadOnlyList<SelectionChange> BySex,
    IReadOnlyList<SelectionChange> ByLocation)
{
    public IReadOnlyList<SelectionChange> Dimension(string name) => name switch
    {
        "instansi" => ByInstansi,
        "category" => ByCategory,
        "sex" => BySex,
        "location" => ByLocation,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "instansi, category, sex or location"),
    };
}

/// <summary>One formation under one rule set: its counts, SKB quota and cut-off score (lowest SKD total admitted), places filled from elsewhere and left vacant.</summary>
public sealed record FormationSide(OutcomeCounts Counts, int? Quota, int? CutOffTotal, int FilledByOptimisation, int Vacant);

/// <summary>One formation, as decided and under the variant.</summary>
public sealed record FormationComparison(
    string FormationCode,
    string Instansi,
    string Position,
    string Location,
    string Category,
    int Allocation,
    FormationSide Actual,
    FormationSide Variant,
    long NewlySelected,
    long NoLongerSelected);

/// <summary>
/// Remarks on what the variant could not decide from the record: applicants it admits to the SKB who never sat it;
/// recorded optimisation placements with no vacancy or no candidate under the variant; ties it could break only
/// without a recorded order of seniority (the birth-date tie-break is read from the recorded ranking, docs/adr/0039).
/// </summary>
public sealed record WhatIfRemarks(long AdmittedWithoutSkbResult, long PlacementsNotPossible, long WithdrawalsNotApplicable, long TiesWithoutRecordedSeniority);

/// <summary>The what-if's whole answer, in counts: as decided, under the variant, and what changed.</summary>
public sealed record WhatIfOutcome(
    int Formations,
    OutcomeSummary Actual,
    OutcomeSummary Variant,
    OutcomeChanges Changes,
    WhatIfRemarks Remarks);

/// <summary>Reads an applicant's outcome and step counts from its state, under either side.</summary>
public static class Outcomes
{
    public static bool IsAdmitted(CutOffOutcome? outcome) => outcome is CutOffOutcome.Admitted or CutOffOutcome.AdmittedOnTie;

    public static ApplicantOutcome Of(Formation formation, Application application, bool hasSkb)
    {
        ArgumentNullException.ThrowIfNull(formation);
        ArgumentNullException.ThrowIfNull(application);
        if (application.Administrative != AdministrativeResult.MS)
        {
            return ApplicantOutcome.NotQualified;
        }

        if (application.Skd is null)
        {
            return ApplicantOutcome.SkdAbsent;
        }

        if (application.SkdThresholdMet != true)
        {
            return ApplicantOutcome.BelowThreshold;
        }

        if (application.Withdrawn)
        {
            return ApplicantOutcome.Withdrawn;
        }

        if (application.PlacedInFormation is not null)
        {
            return ApplicantOutcome.PlacedByOptimisation;
        }

        if (hasSkb && application.CutOff is null)
        {
            return ApplicantOutcome.Pending;
        }

        if (hasSkb && application.CutOff == CutOffOutcome.OverQuota)
        {
            return ApplicantOutcome.OverQuota;
        }

        return application.FinalStatus switch
        {
            null when formation.FinalDecided => ApplicantOutcome.AdmittedWithoutSkbResult,
            null => ApplicantOutcome.Pending,
            FinalStatus.PL => ApplicantOutcome.Passed,
            FinalStatus.TL when application.FinalRank is { } rank && rank <= formation.Allocation => ApplicantOutcome.ReferredToPanselnas,
            FinalStatus.TL => ApplicantOutcome.NotPassed,
            FinalStatus.TH => ApplicantOutcome.SkbAbsent,
            FinalStatus.APS => ApplicantOutcome.Withdrawn,
            _ => ApplicantOutcome.Disqualified,
        };
    }
}
