using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Merit.Deciding;

namespace Merit.Recruitment.Announcements;

/// <summary>The announcements (pengumuman) a committee publishes for each instansi of a round, one per stage.</summary>
public enum AnnouncementKind
{
    /// <summary>Pengumuman hasil seleksi administrasi: MS/TMS as first verified.</summary>
    Administrative,
    /// <summary>Pengumuman hasil seleksi administrasi pasca sanggah: MS/TMS once the appeals are answered.</summary>
    AdministrativeAfterAppeal,
    /// <summary>Pengumuman hasil SKD (or the PPPK competence test): scores and threshold, P, TL or TH.</summary>
    SkdResult,
    /// <summary>Pengumuman peserta yang berhak mengikuti SKB: the SKD cut-off (R13), P/L, P or TL.</summary>
    SkbAdmission,
    /// <summary>Pengumuman hasil akhir: the final ranking (R14–R16) with optimisation placements (P/L-2, R17) and withdrawals (APS, R18).</summary>
    FinalResult,
}

/// <summary>
/// An announcement was issued: its number and date (given by the committee, or derived from the round's events),
/// the list it publishes by digest, the decision events it comes from (sequence range, count and a digest of their
/// chain hashes) and the seal that covers the last of them. Names are not part of the list digest: they are
/// personal data, printed from the vault, and an erasure after publication must not change what was issued.
/// </summary>
public sealed record AnnouncementIssued(
    Guid AnnouncementId,
    Guid RoundId,
    AnnouncementKind Kind,
    string InstansiCode,
    int Edition,
    string Number,
    DateOnly Date,
    string RuleSetVersion,
    long FromSequence,
    long ToSequence,
    int DecisionCount,
    string DecisionsDigest,
    long SealId,
    string ListDigest,
    int Rows,
    DateTimeOffset IssuedAt);

/// <summary>
/// Issue the announcement of <paramref name="Kind"/> for one instansi. <paramref name="Number"/> and
/// <paramref name="Date"/> are the committee's; when absent they are derived from the round's events
/// (<see cref="AnnouncementDecisions.DerivedNumber"/>, <see cref="AnnouncementDecisions.DerivedDate"/>).
/// </summary>
public sealed record IssueAnnouncement(Guid RoundId, AnnouncementKind Kind, string InstansiCode, string? Number, DateOnly? Date, DateTimeOffset Now);

/// <summary>A decision event as the event store holds it: data, id, global sequence, chain hash and time.</summary>
public sealed record RecordedDecision(object Data, Guid EventId, long Sequence, string Hash, DateTimeOffset At);

/// <summary>A decision event an announcement names: id, global sequence, chain hash and time.</summary>
public sealed record DecisionReference(Guid EventId, long Sequence, string Hash, DateTimeOffset At);

public static class AnnouncementKinds
{
    /// <summary>The kind's name in paths and on the command line.</summary>
    public static string Slug(this AnnouncementKind kind) => kind switch
    {
        AnnouncementKind.Administrative => "administrative",
        AnnouncementKind.AdministrativeAfterAppeal => "administrative-after-appeal",
        AnnouncementKind.SkdResult => "skd",
        AnnouncementKind.SkbAdmission => "skb-admission",
        _ => "final",
    };

    public static AnnouncementKind? Parse(string? slug) =>
        Enum.GetValues<AnnouncementKind>().Cast<AnnouncementKind?>().FirstOrDefault(k => string.Equals(k!.Value.Slug(), slug, StringComparison.Ordinal));

    public static string Slugs => string.Join(", ", Enum.GetValues<AnnouncementKind>().Select(k => k.Slug()));

    /// <summary>Short code in derived numbers: ADM, ADM-S (sanggah), SKD, SKB, AKHIR.</summary>
    public static string NumberCode(this AnnouncementKind kind) => kind switch
    {
        AnnouncementKind.Administrative => "ADM",
        AnnouncementKind.AdministrativeAfterAppeal => "ADM-S",
        AnnouncementKind.SkdResult => "SKD",
        AnnouncementKind.SkbAdmission => "SKB",
        _ => "AKHIR",
    };

    /// <summary>The first stage in which the list is closed and may be announced.</summary>
    public static RoundStage ClosedFrom(this AnnouncementKind kind, RuleSet rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        return kind switch
        {
            AnnouncementKind.Administrative => RoundStage.AdministrativeAppeal,
            AnnouncementKind.AdministrativeAfterAppeal => RoundStage.Skd,
            AnnouncementKind.SkdResult => rules.HasStage(RoundStage.Skb) ? RoundStage.Skb : RoundStage.Integration,
            AnnouncementKind.SkbAdmission => RoundStage.Skb,
            _ => RoundStage.Integration,
        };
    }
}

/// <summary>What a column holds, so each format can render it: text, a number, an official code, the name, or a note key.</summary>
public enum ColumnKind
{
    Text,
    Number,
    /// <summary>An official code (MS, TMS, P/L, TL, TH, APS, DIS, P/L-2): the same in every language.</summary>
    Code,
    /// <summary>The person's name: never in the list itself, filled in from the personal-data vault when printed.</summary>
    Name,
    /// <summary>A note as a message key with arguments, <c>key|arg|arg</c>, rendered in the document's language.</summary>
    Note,
}

/// <summary>A column of an announcement's table; <see cref="Key"/> names its heading in the language files.</summary>
public sealed record AnnouncementColumn(string Key, ColumnKind Kind);

/// <summary>One line of an announcement: its formation, the person (for the name only) and a cell per column.</summary>
public sealed record AnnouncementRow(string FormationCode, Guid PersonId, IReadOnlyList<string> Cells);

/// <summary>A formation as an announcement heads its lines.</summary>
public sealed record AnnouncedFormation(string Code, string Position, string Location, FormationCategory Category, int Allocation);

/// <summary>
/// The list an announcement publishes: its columns and lines (formation order, then the order of the decision), the
/// formations, and the decision events it comes from. <see cref="Pending"/> says what is not yet decided; a list with
/// anything pending is not announced.
/// </summary>
public sealed record AnnouncementList(
    AnnouncementKind Kind,
    Guid RoundId,
    string RoundCode,
    string RoundName,
    string InstansiCode,
    string RuleSetVersion,
    IReadOnlyList<AnnouncementColumn> Columns,
    IReadOnlyList<AnnouncedFormation> Formations,
    IReadOnlyList<AnnouncementRow> Rows,
    IReadOnlyList<DecisionReference> Decisions,
    IReadOnlyList<string> Pending)
{
    public long FromSequence => Decisions.Count == 0 ? 0 : Decisions[0].Sequence;

    public long ToSequence => Decisions.Count == 0 ? 0 : Decisions[^1].Sequence;

    /// <summary>
    /// SHA-256 (lower-case hex) of the list without names: the kind, round, instansi and rule set, then one line per
    /// row (formation and cells, names left empty), fields separated by U+001F, lines by "\n".
    /// </summary>
    public string ListDigest()
    {
        var text = new StringBuilder();
        text.Append(string.Join('\u001f', Kind.Slug(), RoundCode, InstansiCode, RuleSetVersion)).Append('\n');
        text.Append(string.Join('\u001f', Columns.Select(c => c.Key))).Append('\n');
        foreach (var row in Rows)
        {
            text.Append(row.FormationCode).Append('\u001f').Append(string.Join('\u001f', row.Cells)).Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>SHA-256 (lower-case hex) of the decision events' chain hashes in sequence order, one per line.</summary>
    public string DecisionsDigest() =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Concat(Decisions.Select(d => d.Hash + "\n")))));
}

/// <summary>Issuing an announcement: the list must be closed, complete and sealed; each new edition must publish something new.</summary>
public static class AnnouncementDecisions
{
    /// <summary>Dates of announcements are the days of Jakarta (WIB, UTC+7), where Panselnas announces.</summary>
    public static readonly TimeSpan AnnouncementOffset = TimeSpan.FromHours(7);

    /// <summary>One stream per round, kind and instansi: its events are the editions issued.</summary>
    public static Guid IdFor(Guid roundId, AnnouncementKind kind, string instansiCode) =>
        StableId.For("announcement", roundId.ToString(), kind.Slug(), instansiCode);

    /// <summary>The number derived when the committee gives none: <c>ADM-1/INST03/CPNS-2024</c> (kind, edition, instansi, round).</summary>
    public static string DerivedNumber(AnnouncementKind kind, int edition, string instansiCode, string roundCode) =>
        string.Create(CultureInfo.InvariantCulture, $"{kind.NumberCode()}-{edition}/{instansiCode}/{roundCode}");

    /// <summary>The date derived when the committee gives none: the day (WIB) of the last decision the list comes from.</summary>
    public static DateOnly DerivedDate(AnnouncementList list)
    {
        ArgumentNullException.ThrowIfNull(list);
        return DateOnly.FromDateTime(list.Decisions.Max(d => d.At).ToOffset(AnnouncementOffset).DateTime);
    }

    /// <param name="earlier">The editions issued so far, oldest first.</param>
    /// <param name="list">The list as the decisions recorded so far give it.</param>
    /// <param name="sealId">The seal whose range holds the last decision of the list; null when none does yet.</param>
    public static Decision Issue(Round round, IReadOnlyList<AnnouncementIssued> earlier, AnnouncementList list, long? sealId, IssueAnnouncement command)
    {
        ArgumentNullException.ThrowIfNull(round);
        ArgumentNullException.ThrowIfNull(earlier);
        ArgumentNullException.ThrowIfNull(list);
        ArgumentNullException.ThrowIfNull(command);
        var rules = round.Rules();
        if (command.Kind == AnnouncementKind.SkbAdmission && !rules.HasStage(RoundStage.Skb))
        {
            return new Refusal(RefusalKind.Rule, "announcement.no-skb", $"Rule set {round.RuleSetVersion} has no SKB: there is no SKB admission to announce.", "kind");
        }

        var from = command.Kind.ClosedFrom(rules);
        var open = rules.StageOrder.TakeWhile(s => s != from).ToList();
        if (open.Contains(round.Stage))
        {
            return new Refusal(
                RefusalKind.WrongStage,
                "announcement.list-not-closed",
                $"Round {round.Code} is in stage {round.Stage}; the {command.Kind.Slug()} list is announced from stage {from} on.")
            {
                RequiredStage = from.ToString(),
            };
        }

        if (list.Formations.Count == 0)
        {
            return new Refusal(RefusalKind.NotFound, "announcement.no-instansi", $"Round {round.Code} has no formation of instansi {command.InstansiCode}.", "instansi");
        }

        if (list.Pending.Count > 0)
        {
            return new Refusal(
                RefusalKind.Conflict,
                "announcement.incomplete",
                $"The {command.Kind.Slug()} list of instansi {command.InstansiCode} is not complete: {list.Pending.Count} item(s) undecided, first: {list.Pending[0]}.");
        }

        if (list.Decisions.Count == 0)
        {
            return new Refusal(RefusalKind.Conflict, "announcement.nothing-decided", $"No decision of the {command.Kind.Slug()} list of instansi {command.InstansiCode} is recorded.");
        }

        if (sealId is not { } seal)
        {
            return new Refusal(
                RefusalKind.Conflict,
                "announcement.not-sealed",
                $"No seal covers the list's last decision (sequence {list.ToSequence}) yet: seal the history first; an announcement names the seal that covers it.");
        }

        var listDigest = list.ListDigest();
        var decisionsDigest = list.DecisionsDigest();
        var date = command.Date ?? DerivedDate(list);
        if (earlier.Count > 0 && earlier[^1] is var last
            && string.Equals(last.ListDigest, listDigest, StringComparison.Ordinal)
            && string.Equals(last.DecisionsDigest, decisionsDigest, StringComparison.Ordinal))
        {
            // The same list again: a retry of the same issue is accepted with nothing new; another number is refused.
            return (command.Number is null || string.Equals(command.Number, last.Number, StringComparison.Ordinal)) && (command.Date is null || command.Date == last.Date)
                ? Decision.Accept()
                : new Refusal(RefusalKind.Conflict, "announcement.unchanged", $"This list is already announced as {last.Number} of {last.Date:yyyy-MM-dd}; a new edition needs a changed list.");
        }

        var edition = earlier.Count + 1;
        var number = command.Number ?? DerivedNumber(command.Kind, edition, command.InstansiCode, round.Code);
        if (earlier.Any(e => string.Equals(e.Number, number, StringComparison.Ordinal)))
        {
            return new Refusal(RefusalKind.Conflict, "announcement.number-used", $"Number {number} is already used by an earlier edition of this announcement.", "number");
        }

        var lastDecided = DerivedDate(list);
        if (date < lastDecided)
        {
            return new Refusal(RefusalKind.Rule, "announcement.date-before-decisions", $"The announcement cannot be dated {date:yyyy-MM-dd}, before its last decision ({lastDecided:yyyy-MM-dd}).", "date");
        }

        return Decision.Accept(new AnnouncementIssued(
            IdFor(round.Id, command.Kind, command.InstansiCode),
            round.Id,
            command.Kind,
            command.InstansiCode,
            edition,
            number,
            date,
            round.RuleSetVersion,
            list.FromSequence,
            list.ToSequence,
            list.Decisions.Count,
            decisionsDigest,
            seal,
            listDigest,
            list.Rows.Count,
            command.Now));
    }
}
