using System.Globalization;
using Marten;
using Merit.Audit;
using Merit.Deciding;
using Merit.Infrastructure;
using Merit.Localization;
using Merit.PersonalData;
using Microsoft.Extensions.Options;

namespace Merit.Recruitment.Announcements;

/// <summary>Where announcements point their readers: the public address of the proof pages (Merit:Announcements).</summary>
public sealed class AnnouncementOptions
{
    /// <summary>The address the QR codes lead to, without a trailing slash; the proof path is appended.</summary>
    public string PublicBaseUrl { get; set; } = "http://localhost:5000";
}

/// <summary>The formats an announcement is printed in.</summary>
public enum AnnouncementFormat
{
    Pdf,
    Xlsx,
}

/// <summary>One printed document: its bytes, media type and file name.</summary>
public sealed record AnnouncementDocument(AnnouncementFormat Format, string FileName, string MediaType, byte[] Content);

/// <summary>What printing came to: the issued edition and its documents, or the refusal.</summary>
public sealed record PrintOutcome(AnnouncementIssued? Issued, IReadOnlyList<AnnouncementDocument> Documents, Refusal? Refusal);

/// <summary>What issuing came to: the edition issued (or found already issued), or the refusal.</summary>
public sealed record IssueOutcome(AnnouncementIssued? Issued, bool Created, Refusal? Refusal);

/// <summary>
/// Issues announcements (the committee's numbered and dated act, recorded as an event), prints them as PDF and XLSX
/// with names read through the personal-data vault (each print is in the read-access log), and proves an edition is
/// the sealed list.
/// </summary>
public sealed class AnnouncementPublisher(IDocumentStore store, AnnouncementSource source, PersonalDataVault vault, AuditSeals seals, IOptions<AnnouncementOptions> options, TimeProvider clock)
{
    public const string Purpose = "announcement-publication";

    public async Task<IssueOutcome> IssueAsync(Guid roundId, AnnouncementKind kind, string instansiCode, string? number, DateOnly? date, string actor, CancellationToken ct)
    {
        var (round, list) = await source.ListAsync(roundId, kind, instansiCode, ct);
        if (round is null || list is null)
        {
            return new IssueOutcome(null, false, new Refusal(RefusalKind.NotFound, "not-found", $"No round {roundId}."));
        }

        var id = AnnouncementDecisions.IdFor(roundId, kind, instansiCode);
        var earlier = await source.EditionsAsync(id, ct);
        var seal = list.Decisions.Count == 0 ? null : await source.SealCoveringAsync(list.ToSequence, ct);
        var decision = AnnouncementDecisions.Issue(round, earlier, list, seal?.Id, new IssueAnnouncement(roundId, kind, instansiCode, number, date, clock.GetUtcNow()));
        if (decision.Refusal is { } refusal)
        {
            return new IssueOutcome(null, false, refusal);
        }

        if (decision.Events.Count == 0)
        {
            return new IssueOutcome(earlier[^1], false, null);
        }

        await using var session = await store.OpenWriteSessionAsync(actor, null, ct);

        // The expected version: a concurrent issue of the same announcement fails here, and its caller gets a 409.
        session.Events.Append(id, earlier.Count + decision.Events.Count, [.. decision.Events]);
        await session.SaveChangesAsync(ct);
        return new IssueOutcome((AnnouncementIssued)decision.Events[0], true, null);
    }

    /// <summary>
    /// Prints an issued edition (the latest when <paramref name="edition"/> is null) in the given formats, reading the
    /// names once for all of them. Refused when the edition's list is no longer what the decisions give (superseded).
    /// </summary>
    public async Task<PrintOutcome> PrintAsync(Guid roundId, AnnouncementKind kind, string instansiCode, int? edition, IReadOnlyCollection<AnnouncementFormat> formats, Texts texts, PersonalDataReader reader, CancellationToken ct) =>
        (await PrintAsync(roundId, [kind], instansiCode, edition, formats, texts, reader, ct))[0];

    /// <summary>
    /// Prints the latest (or <paramref name="edition"/>) edition of each of <paramref name="kinds"/> for one instansi,
    /// reading the names of everyone they list once — one logged read per person for the whole print — and writing
    /// each in every format. Each kind is refused on its own: not issued, no such edition, or superseded.
    /// </summary>
    public async Task<IReadOnlyList<PrintOutcome>> PrintAsync(Guid roundId, IReadOnlyList<AnnouncementKind> kinds, string instansiCode, int? edition, IReadOnlyCollection<AnnouncementFormat> formats, Texts texts, PersonalDataReader reader, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(kinds);
        ArgumentNullException.ThrowIfNull(formats);
        ArgumentNullException.ThrowIfNull(texts);
        var outcomes = new PrintOutcome[kinds.Count];
        var printable = new List<(int Index, AnnouncementIssued Issued, AnnouncementList List)>();

        // The lists and each kind's editions are independent reads: they run side by side.
        var listing = source.ListsAsync(roundId, kinds, instansiCode, ct);
        var editions = kinds.Select(kind => source.EditionsAsync(AnnouncementDecisions.IdFor(roundId, kind, instansiCode), ct)).ToList();
        var (_, lists) = await listing;
        for (var i = 0; i < kinds.Count; i++)
        {
            var (issued, list, refusal) = Printable(kinds[i], instansiCode, edition, await editions[i], lists.GetValueOrDefault(kinds[i]));
            if (refusal is not null)
            {
                outcomes[i] = Refused(refusal);
            }
            else
            {
                printable.Add((i, issued!, list!));
            }
        }

        var sealRoots = new Dictionary<long, string>();
        foreach (var sealId in printable.Select(p => p.Issued.SealId).Distinct())
        {
            sealRoots[sealId] = (await source.SealAsync(sealId, ct))?.Root ?? "";
        }

        var persons = printable.SelectMany(p => p.List.Rows).Select(r => r.PersonId).Where(p => p != Guid.Empty).Distinct().ToList();
        IReadOnlyList<AnnouncementDocument> written;
        if (persons.Count == 0)
        {
            written = await WriteAsync(printable, formats, instansiCode, sealRoots, new Dictionary<Guid, string>(), texts, ct);
        }
        else
        {
            // The documents are written while the read of the names is being logged; the vault releases them once the
            // log is committed.
            var (reading, documents) = await vault.RevealAsync(reader, Purpose, persons, (reading, token) => WriteAsync(printable, formats, instansiCode, sealRoots, NamesOf(reading, texts), texts, token), ct);
            if (reading.Refusal is { } refused)
            {
                return kinds.Select(_ => Refused(refused)).ToList();
            }

            written = documents!;
        }

        var perPrint = written.Count / Math.Max(printable.Count, 1);
        for (var p = 0; p < printable.Count; p++)
        {
            outcomes[printable[p].Index] = new PrintOutcome(printable[p].Issued, written.Skip(p * perPrint).Take(perPrint).ToList(), null);
        }

        return outcomes;
    }

    private static Dictionary<Guid, string> NamesOf(PersonalDataReading reading, Texts texts)
    {
        var names = new Dictionary<Guid, string>();
        foreach (var (person, details) in reading.Details)
        {
            names[person] = string.IsNullOrWhiteSpace(details.FullName) ? texts["name.unknown"] : details.FullName;
        }

        foreach (var person in reading.Erased.Keys)
        {
            names[person] = texts["name.erased"];
        }

        return names;
    }

    /// <summary>
    /// Every document of every printable edition in every format, edition by edition in format order. Each is written
    /// from its own print with no state shared between writers, so they run on the cores the machine has (a print of
    /// every stage in both formats is ten documents).
    /// </summary>
    private async Task<IReadOnlyList<AnnouncementDocument>> WriteAsync(List<(int Index, AnnouncementIssued Issued, AnnouncementList List)> printable, IReadOnlyCollection<AnnouncementFormat> formats, string instansiCode, Dictionary<long, string> sealRoots, Dictionary<Guid, string> names, Texts texts, CancellationToken ct)
    {
        AnnouncementFonts.Install();
        var wanted = formats.Distinct().ToList();
        var jobs = printable.SelectMany(p => wanted.Select(format => (p.Issued, p.List, Format: format))).ToList();
        var written = new AnnouncementDocument[jobs.Count];
        await Parallel.ForAsync(0, jobs.Count, ct, (j, _) =>
        {
            var (issued, list, format) = jobs[j];
            var print = new AnnouncementPrint(issued, list, sealRoots[issued.SealId], ProofUrl(issued), names, texts);
            var baseName = string.Create(CultureInfo.InvariantCulture, $"{list.RoundCode}-{issued.Kind.Slug()}-{instansiCode}-{issued.Edition}-{texts.Language}");
            written[j] = format == AnnouncementFormat.Pdf
                ? new AnnouncementDocument(format, baseName + ".pdf", AnnouncementPdf.MediaType, AnnouncementPdf.Write(print))
                : new AnnouncementDocument(format, baseName + ".xlsx", AnnouncementXlsx.MediaType, AnnouncementXlsx.Write(print));
            return ValueTask.CompletedTask;
        });
        return written;
    }

    /// <summary>The edition to print and its list as the events give it now, or why it cannot be printed.</summary>
    private static (AnnouncementIssued? Issued, AnnouncementList? List, Refusal? Refusal) Printable(AnnouncementKind kind, string instansiCode, int? edition, IReadOnlyList<AnnouncementIssued> editions, AnnouncementList? list)
    {
        if (editions.Count == 0)
        {
            return (null, null, new Refusal(RefusalKind.NotFound, "announcement.not-issued", $"The {kind.Slug()} announcement of instansi {instansiCode} is not issued yet."));
        }

        if (edition is { } wanted && (wanted < 1 || wanted > editions.Count))
        {
            return (null, null, new Refusal(RefusalKind.NotFound, "announcement.no-edition", $"The {kind.Slug()} announcement of instansi {instansiCode} has editions 1 to {editions.Count}.", "edition"));
        }

        var issued = editions[(edition ?? editions.Count) - 1];
        if (list is null || !string.Equals(list.ListDigest(), issued.ListDigest, StringComparison.Ordinal) || !string.Equals(list.DecisionsDigest(), issued.DecisionsDigest, StringComparison.Ordinal))
        {
            return (null, null, new Refusal(
                RefusalKind.Conflict,
                "announcement.superseded",
                $"Decisions recorded since {issued.Number} changed its list: it can no longer be printed as issued; issue a new edition."));
        }

        return (issued, list, null);
    }

    /// <summary>
    /// The proof of one edition: what was issued, the list and the decisions as the events stored now give them, and
    /// each seal over the decisions' range checked against the events stored now (signature, key, Merkle root).
    /// </summary>
    public async Task<AnnouncementProof?> ProofAsync(Guid announcementId, int edition, CancellationToken ct)
    {
        var editions = await source.EditionsAsync(announcementId, ct);
        if (edition < 1 || edition > editions.Count)
        {
            return null;
        }

        var issued = editions[edition - 1];
        var (round, list) = await source.ListAsync(issued.RoundId, issued.Kind, issued.InstansiCode, ct);
        var checks = new List<SealProof>();
        foreach (var seal in await source.SealsMeetingAsync(issued.FromSequence, issued.ToSequence, ct))
        {
            checks.Add(new SealProof(seal.Export(), await seals.CheckExportedAsync(seal.ToStatement(), seal.Signature, ct)));
        }

        var decisions = list?.Decisions ?? [];
        var covered = decisions.Count > 0 && decisions.All(d => checks.Any(s => s.Seal.FromSequence <= d.Sequence && d.Sequence <= s.Seal.ToSequence));
        var listNow = list?.ListDigest() ?? "";
        var decisionsNow = list?.DecisionsDigest() ?? "";
        var verified = string.Equals(listNow, issued.ListDigest, StringComparison.Ordinal)
            && string.Equals(decisionsNow, issued.DecisionsDigest, StringComparison.Ordinal)
            && covered
            && checks.Any(s => s.Seal.Id == issued.SealId)
            && checks.All(s => s.Check.Intact);
        return new AnnouncementProof(
            verified,
            issued,
            round?.Code ?? "",
            issued.Kind.Slug(),
            listNow,
            decisionsNow,
            covered,
            decisions.Select(d => new DecisionProof(d.EventId, d.Sequence, d.Hash)).ToList(),
            checks);
    }

    public Uri ProofUrl(AnnouncementIssued issued)
    {
        ArgumentNullException.ThrowIfNull(issued);
        return new Uri(string.Create(CultureInfo.InvariantCulture, $"{options.Value.PublicBaseUrl.TrimEnd('/')}/announcements/{issued.AnnouncementId}/editions/{issued.Edition}/proof"));
    }

    private static PrintOutcome Refused(Refusal refusal) => new(null, [], refusal);
}

/// <summary>A decision an announcement names: event id, global sequence, chain hash.</summary>
public sealed record DecisionProof(Guid EventId, long Sequence, string Hash);

/// <summary>A seal over the decisions' range, as exported, and its check against the events stored now.</summary>
public sealed record SealProof(ExportedSeal Seal, SealCheck Check);

/// <summary>
/// That an announcement's list is the sealed one: <see cref="Verified"/> when the list and the decisions the events
/// give now have the digests issued, every decision lies in a seal's range, the seal the announcement names is among
/// them, and every such seal still matches the events stored now.
/// </summary>
public sealed record AnnouncementProof(
    bool Verified,
    AnnouncementIssued Issued,
    string RoundCode,
    string Kind,
    string ListDigestNow,
    string DecisionsDigestNow,
    bool DecisionsSealed,
    IReadOnlyList<DecisionProof> Decisions,
    IReadOnlyList<SealProof> Seals);
