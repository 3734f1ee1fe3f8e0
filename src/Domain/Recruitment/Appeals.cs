using Merit.Deciding;

namespace Merit.Recruitment;

/// <summary>The two sanggah windows of a round: on the administrative result and on the final result (brief 2.4, 6).</summary>
public enum AppealWindow
{
    Administrative,
    Final,
}

/// <summary>One appeal's progress in its window.</summary>
public sealed record AppealState(DateTimeOffset FiledAt, bool? Accepted, DateTimeOffset? AnsweredAt);

/// <summary>Sanggah filed by the applicant, within the window, without new documents (R07).</summary>
public sealed record AppealFiled(Guid ApplicationId, Guid FormationId, AppealWindow Window, string Grounds, string RuleSetVersion, DateTimeOffset FiledAt) : IApplicationEvent;

/// <summary>The instansi's answer. Accepted only when the fault was the instansi's (the verifier's), never the applicant's (R07).</summary>
public sealed record AppealAnswered(Guid ApplicationId, Guid FormationId, AppealWindow Window, bool Accepted, bool FaultOfInstansi, string Reason, string RuleSetVersion, DateTimeOffset AnsweredAt) : IApplicationEvent;

/// <summary>Re-announcement of a corrected administrative result after an accepted appeal, within the days the rule set allows (R07).</summary>
public sealed record AdministrativeResultReannounced(Guid ApplicationId, Guid FormationId, AdministrativeResult Result, string RuleSetVersion, DateTimeOffset At) : IApplicationEvent;

/// <summary>
/// An appeal on the final result was accepted (the instansi's error): the formation's final result is open again, to be
/// corrected and re-announced within the days the rule set allows after the window's close (R07).
/// </summary>
public sealed record FinalResultReopened(Guid FormationId, Guid ApplicationId, string RegistrationNumber, string Reason, string RuleSetVersion, DateTimeOffset At) : IFormationEvent;

public sealed record FileAppeal(Guid ApplicationId, AppealWindow Window, string Grounds, bool IncludesNewDocuments, DateTimeOffset Now);

public sealed record AnswerAppeal(Guid ApplicationId, AppealWindow Window, bool Accept, bool FaultOfInstansi, string Reason, DateTimeOffset Now);

public sealed record ReannounceAdministrativeResult(Guid ApplicationId, DateTimeOffset Now);

public static class AppealDecisions
{
    /// <summary>The stage during which each window is open; it opens when the round enters that stage (the announcement).</summary>
    public static RoundStage StageOf(AppealWindow window) =>
        window == AppealWindow.Administrative ? RoundStage.AdministrativeAppeal : RoundStage.FinalAppeal;

    /// <summary>
    /// The last calendar day of the window, in the round's zone: it opens on the day the round entered the window's
    /// stage and lasts the rule set's days, that day included (20–22 September 2024 for three days, brief 2.2).
    /// </summary>
    public static DateOnly WindowLastDay(Round round) =>
        round.DateOf(round.StageSince).AddDays(round.Rules().Appeal.WindowDays - 1);

    /// <summary>The window closes at the end of its last calendar day in the round's zone (R07).</summary>
    public static DateTimeOffset WindowClosesAt(Round round) => round.TimeZone.EndOf(WindowLastDay(round));

    /// <summary>The instansi answers by the end of this day: the window's last day plus the rule set's answer days for the window.</summary>
    public static DateOnly AnswerLastDay(Round round, AppealWindow window) =>
        WindowLastDay(round).AddDays(round.Rules().Appeal.AnswerDays(window));

    /// <summary>An accepted appeal is re-announced by the end of this day: the window's last day plus the rule set's re-announcement days (R07).</summary>
    public static DateOnly ReannouncementLastDay(Round round) =>
        WindowLastDay(round).AddDays(round.Rules().Appeal.ReannouncementDays);

    public static Decision File(Round round, Application application, FileAppeal command)
    {
        if (round.Requires(StageOf(command.Window)) is { } wrongStage)
        {
            return wrongStage;
        }

        if (application.Appeals.ContainsKey(command.Window))
        {
            return new Refusal(RefusalKind.Rule, "appeal.once-per-window", $"Application {application.RegistrationNumber} has already appealed in the {command.Window} window: one appeal per window (R07).");
        }

        if (command.Now >= WindowClosesAt(round))
        {
            return new Refusal(RefusalKind.Rule, "appeal.out-of-window", $"The {command.Window} appeal window closed at the end of {round.TimeZone.Describe(WindowLastDay(round))}: appeals are filed within {round.Rules().Appeal.WindowDays} days of the announcement (R07).");
        }

        if (command.IncludesNewDocuments)
        {
            return new Refusal(RefusalKind.Rule, "appeal.no-new-documents", "Documents cannot be added or replaced during an appeal (R07).", "includesNewDocuments");
        }

        if (command.Window == AppealWindow.Administrative && application.Administrative != AdministrativeResult.TMS)
        {
            return new Refusal(RefusalKind.Rule, "appeal.nothing-to-appeal", $"Application {application.RegistrationNumber} is not TMS; only a TMS result is appealed.");
        }

        if (command.Window == AppealWindow.Final && application.FinalStatus is null)
        {
            return new Refusal(RefusalKind.Rule, "appeal.nothing-to-appeal", $"Application {application.RegistrationNumber} has no final result to appeal.");
        }

        return Decision.Accept(new AppealFiled(application.Id, application.FormationId, command.Window, command.Grounds, round.RuleSetVersion, command.Now));
    }

    public static Decision Answer(Round round, Application application, AnswerAppeal command)
    {
        if (round.Requires(StageOf(command.Window)) is { } wrongStage)
        {
            return wrongStage;
        }

        if (!application.Appeals.TryGetValue(command.Window, out var appeal))
        {
            return new Refusal(RefusalKind.Conflict, "appeal.not-filed", $"Application {application.RegistrationNumber} filed no appeal in the {command.Window} window.");
        }

        if (appeal.AnsweredAt is not null)
        {
            return new Refusal(RefusalKind.Conflict, "appeal.already-answered", $"The appeal of {application.RegistrationNumber} is already answered.");
        }

        if (command.Accept && !command.FaultOfInstansi)
        {
            return new Refusal(RefusalKind.Rule, "appeal.fault-of-applicant", "An appeal is accepted only when the error was the instansi's, not the applicant's (R07).", "faultOfInstansi");
        }

        var answerBy = AnswerLastDay(round, command.Window);
        if (command.Now >= round.TimeZone.EndOf(answerBy))
        {
            return new Refusal(RefusalKind.Rule, "appeal.answer-late", $"The instansi's answer to a {command.Window} appeal was due by the end of {round.TimeZone.Describe(answerBy)} (R07, rule set {round.RuleSetVersion}).");
        }

        var answered = new AppealAnswered(application.Id, application.FormationId, command.Window, command.Accept, command.FaultOfInstansi, command.Reason, round.RuleSetVersion, command.Now);
        return command.Accept && command.Window == AppealWindow.Final
            ? Decision.Accept(answered, new FinalResultReopened(application.FormationId, application.Id, application.RegistrationNumber, command.Reason, round.RuleSetVersion, command.Now))
            : Decision.Accept(answered);
    }

    /// <summary>After an accepted administrative appeal: the corrected result (MS), within the re-announcement days after the window closed (R07).</summary>
    public static Decision Reannounce(Round round, Application application, ReannounceAdministrativeResult command)
    {
        if (round.Requires(RoundStage.AdministrativeAppeal) is { } wrongStage)
        {
            return wrongStage;
        }

        if (!application.Appeals.TryGetValue(AppealWindow.Administrative, out var appeal) || appeal.Accepted != true)
        {
            return new Refusal(RefusalKind.Conflict, "appeal.not-accepted", $"Application {application.RegistrationNumber} has no accepted administrative appeal to re-announce.");
        }

        if (application.Administrative == AdministrativeResult.MS)
        {
            return new Refusal(RefusalKind.Conflict, "appeal.already-reannounced", $"Application {application.RegistrationNumber} is already MS.");
        }

        if (LateReannouncement(round, command.Now) is { } late)
        {
            return late;
        }

        return Decision.Accept(new AdministrativeResultReannounced(application.Id, application.FormationId, AdministrativeResult.MS, round.RuleSetVersion, command.Now));
    }

    /// <summary>
    /// The round leaves the final appeal only when every final result an accepted appeal reopened has been decided again
    /// (re-announced, R07); otherwise a refusal naming the formations.
    /// </summary>
    public static Refusal? Unreannounced(Round round, IEnumerable<Formation> formations)
    {
        var reopened = formations.Where(f => f.RoundId == round.Id && f.FinalReopened).Select(f => f.Code).Order(StringComparer.Ordinal).ToList();
        return reopened.Count == 0
            ? null
            : new Refusal(RefusalKind.Conflict, "appeal.final-not-reannounced", $"An accepted appeal reopened the final result of {string.Join(", ", reopened)}; it is decided and re-announced before the round leaves the final appeal (R07).", "to");
    }

    /// <summary>A re-announcement after the end of the rule set's days after the window's last day is refused (R07).</summary>
    internal static Refusal? LateReannouncement(Round round, DateTimeOffset at)
    {
        var deadline = ReannouncementLastDay(round);
        return at < round.TimeZone.EndOf(deadline)
            ? null
            : new Refusal(RefusalKind.Rule, "appeal.reannouncement-late", $"The re-announcement was due by the end of {round.TimeZone.Describe(deadline)}: within {round.Rules().Appeal.ReannouncementDays} days of the window's close (R07).");
    }
}
