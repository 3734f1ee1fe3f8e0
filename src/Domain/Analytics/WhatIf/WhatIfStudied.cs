namespace Merit.Analytics.WhatIf;

/// <summary>
/// A what-if was studied: who asked, about which round, under which variant (its whole document and SHA-256), when,
/// over the events up to which sequence, and what it found, in counts only. One stream per what-if, so an auditor
/// lists the scenarios studied before a rule changed; nothing in the round's own streams changes (docs/adr/0039).
/// </summary>
/// <param name="OutcomeSha256">SHA-256 of the outcome's JSON and its formation rows, so a later run can be compared.</param>
public sealed record WhatIfStudied(
    Guid WhatIfId,
    Guid RoundId,
    string RoundCode,
    string RoundRuleSetVersion,
    string VariantVersion,
    string VariantDocument,
    string VariantSha256,
    string AskedBy,
    DateTimeOffset AskedAt,
    long ThroughSequence,
    string OutcomeSha256,
    WhatIfOutcome Outcome);
