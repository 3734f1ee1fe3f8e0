using System.Globalization;
using Merit.Localization;
using Microsoft.Extensions.Options;

namespace Merit.Audit;

/// <summary>Settings of the audit (configuration section Merit:Audit).</summary>
public sealed class AuditOptions
{
    /// <summary>Rows read per query while verifying or sealing.</summary>
    public int BatchSize { get; set; } = 1000;

    /// <summary>A progress log line every this many events.</summary>
    public int ProgressEvery { get; set; } = 10_000;

    /// <summary>How many broken streams and failed seals a report lists (all are counted).</summary>
    public int MaxReported { get; set; } = 100;

    /// <summary>
    /// A seal covers only events recorded at least this long ago: a sequence number is taken before its transaction
    /// commits, so a younger gap may still fill in (docs/adr/0007).
    /// </summary>
    public double SealSettleSeconds { get; set; } = 10;

    /// <summary>
    /// <c>merit projections verify</c> waits up to this long for the live daemon to catch up with the newest event before
    /// it compares the asynchronous read models; those still behind are reported, not compared (docs/adr/0012).
    /// </summary>
    public double ProjectionCatchUpSeconds { get; set; } = 30;

    /// <summary>Public keys (base64 SubjectPublicKeyInfo, comma-separated) of earlier sealing keys whose seals stay trusted after a key rotation.</summary>
    public string? TrustedPublicKeys { get; set; }

    /// <summary>
    /// The folder every seal is anchored in, outside the database (docs/adr/0044); by default <c>merit-audit-seals</c>
    /// beside the deployment's folder. Nodes of one deployment share it.
    /// </summary>
    public string? AnchorDirectory { get; set; }

    /// <summary>Sealing on its own (docs/adr/0044).</summary>
    public AutoSealOptions AutoSeal { get; set; } = new();
}

/// <summary>Settings of sealing on its own (configuration section Merit:Audit:AutoSeal).</summary>
public sealed class AutoSealOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>Seal once this many events wait unsealed.</summary>
    public long EveryEvents { get; set; } = 10_000;

    /// <summary>Seal once the oldest unsealed event is this old.</summary>
    public double EveryMinutes { get; set; } = 60;

    /// <summary>How often each node looks.</summary>
    public double PollSeconds { get; set; } = 30;
}

/// <summary>
/// Recomputes every stream's hash chain from what is stored now and reports, per broken stream, the first broken
/// link; then recomputes every stored seal. Streams through mt_events in batches: only the current stream's last
/// hash is held.
/// </summary>
public sealed partial class AuditVerifier(AuditEventReader reader, AuditSeals seals, IOptions<AuditOptions> options, ILogger<AuditVerifier> logger)
{
    public async Task<AuditReport> VerifyAsync(Guid? onlyStream, IProgress<AuditProgress>? progress, CancellationToken ct)
    {
        var settings = options.Value;
        var broken = new List<BrokenLink>();
        long brokenStreams = 0;
        void Report(BrokenLink link)
        {
            brokenStreams++;
            LogBrokenLink(logger, link.StreamId, link.Version, link.Kind);
            if (broken.Count < settings.MaxReported)
            {
                broken.Add(link);
            }
        }

        // Whether any drawn sequence number lacks its event tells a deleted last event from a stream table changed by hand.
        var missingSequences = await reader.MissingSequencesAsync(ct).ConfigureAwait(false);
        var confirmed = new SequenceSet();
        long events = 0, streams = 0, tombstones = 0, rows = 0;
        StreamState? stream = null;
        await foreach (var e in reader.ByStreamAsync(onlyStream, settings.BatchSize, ct).ConfigureAwait(false))
        {
            if (stream is null || e.StreamId != stream.Id)
            {
                if (stream?.EndCheck(missingSequences) is { } atEnd)
                {
                    Report(atEnd);
                }

                stream = new StreamState(e.StreamId, e.IsTombstone);
                streams += stream.OfTombstones ? 0 : 1;
            }

            if (stream.Check(e) is { } link)
            {
                Report(link);
            }
            else if (stream.Confirmed)
            {
                confirmed.Add(e.Sequence);
            }

            if (stream.OfTombstones)
            {
                tombstones++;
            }
            else
            {
                events++;
            }

            if (++rows % settings.BatchSize == 0)
            {
                progress?.Report(new AuditProgress("chains", events, streams));
            }

            if (rows % settings.ProgressEvery == 0)
            {
                LogProgress(logger, events, streams);
            }
        }

        if (stream?.EndCheck(missingSequences) is { } last)
        {
            Report(last);
        }

        foreach (var (emptyStream, version) in await reader.EmptyStreamsAsync(onlyStream, settings.MaxReported, ct).ConfigureAwait(false))
        {
            streams++;
            Report(missingSequences > 0
                ? new BrokenLink(emptyStream, 1, null, BreakKind.MissingVersion,
                    Texts.Current.Say($"The stream records version {version} but has no events left: version 1 is missing."))
                : new BrokenLink(emptyStream, 1, null, BreakKind.StreamTableMismatch,
                    Texts.Current.Say($"mt_streams records a stream at version {version} that has no events, and no sequence number lacks its event: the stream table was changed.")));
        }

        progress?.Report(new AuditProgress("chains", events, streams));

        // A single stream's check says nothing about the global sequence; seals and anchors are checked on the whole store only.
        var (sealReport, anchor) = onlyStream is null
            ? await seals.CheckAllAsync(progress, confirmed, ct).ConfigureAwait(false)
            : (new StoredSealsReport(0, [], await seals.LastAsync(ct).ConfigureAwait(false)), null);

        var intact = brokenStreams == 0 && sealReport.Failed.Count == 0 && anchor?.Intact != false;
        var lastSeal = sealReport.Last?.Id;
        LogVerified(logger, intact, events, streams, brokenStreams, sealReport.Failed.Count);
        var report = new AuditReport(intact, "", events, streams, tombstones, lastSeal, brokenStreams, broken, sealReport.Checked, sealReport.Failed, anchor, missingSequences);

        // In the reader's language: the request's over HTTP, the command line's own (docs/adr/0050).
        return report with { Summary = Summarize(report, Texts.Current) };
    }

    /// <summary>
    /// The inputs of a decision against their chains: of each stream, the first event recorded before
    /// <paramref name="beforeSequence"/> whose stored content or links differ from what was hashed when it was
    /// appended, with its type. Events after the decision are not its inputs and are not looked at.
    /// </summary>
    public async Task<IReadOnlyList<(BrokenLink Link, string EventType)>> CheckInputsAsync(IReadOnlyCollection<Guid> streams, long beforeSequence, CancellationToken ct)
    {
        var broken = new List<(BrokenLink, string)>();
        StreamState? stream = null;
        await foreach (var e in reader.OfStreamsBeforeAsync(streams, beforeSequence, ct).ConfigureAwait(false))
        {
            if (stream is null || e.StreamId != stream.Id)
            {
                stream = new StreamState(e.StreamId, e.IsTombstone);
            }

            if (stream.Check(e) is { } link)
            {
                broken.Add((link, e.Type));
            }
        }

        return broken;
    }

    /// <summary>
    /// The report in one line: "intact, N events, M streams, last seal S", or what broke first; the problems' own
    /// details as they were found.
    /// </summary>
    public static string Summarize(AuditReport report, Texts texts)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(texts);
        return report.Intact
            ? texts.Format("audit.summary.intact", report.Events, report.Streams, Number(texts, report.LastSeal)) + Unsealed(texts, report.Anchor)
            : Describe(texts, report) + Unsealed(texts, report.Anchor);
    }

    private static string Number(Texts texts, long? value) => value is { } v ? v.ToString(CultureInfo.InvariantCulture) : texts["audit.summary.none"];

    /// <summary>What the anchor covers and what it does not yet: ", newest anchored seal A, K unsealed event(s) (sequences a–b)".</summary>
    private static string Unsealed(Texts texts, AnchorReport? anchor) =>
        anchor is null
            ? ""
            : texts.Format("audit.summary.unsealed", Number(texts, anchor.NewestAnchoredSeal), anchor.UnsealedEvents)
              + (anchor.UnsealedFromSequence is { } from ? texts.Format("audit.summary.unsealed-range", from, anchor.UnsealedToSequence) : "");

    private static string Describe(Texts texts, AuditReport report)
    {
        var parts = new List<string>();
        if (report.BrokenStreams > 0)
        {
            var first = report.Broken[0];
            parts.Add(texts.Format("audit.summary.broken-streams", report.BrokenStreams, first.StreamId, first.Version, first.Kind));
        }

        if (report.FailedSeals.Count > 0)
        {
            parts.Add(texts.Format("audit.summary.failed-seals", report.FailedSeals.Count, report.FailedSeals[0].SealId, string.Join("; ", report.FailedSeals[0].Problems)));
        }

        if (report.Anchor is { Intact: false } anchor)
        {
            parts.Add(texts.Format("audit.summary.anchor", string.Join(" ", anchor.Problems)));
        }

        return texts.Format("audit.summary.broken", string.Join(". ", parts));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Audit verification: {Events} events in {Streams} streams checked so far")]
    private static partial void LogProgress(ILogger logger, long events, long streams);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Audit chain broken: stream {StreamId} version {Version}: {Kind}")]
    private static partial void LogBrokenLink(ILogger logger, Guid streamId, long version, BreakKind kind);

    [LoggerMessage(Level = LogLevel.Information, Message = "Audit verification done: intact {Intact}, {Events} events, {Streams} streams, {BrokenStreams} broken streams, {FailedSeals} failed seals")]
    private static partial void LogVerified(ILogger logger, bool intact, long events, long streams, long brokenStreams, int failedSeals);

    /// <summary>What is held of the stream being checked: its last good link, and whether it already broke.</summary>
    /// <param name="ofTombstones">A stream of Marten's sequence-gap tombstones rather than of decisions: not chained, checked for shape.</param>
    private sealed class StreamState(Guid id, bool ofTombstones)
    {
        private long expectedVersion = 1;
        private long lastSequence;
        private string? lastHash;
        private long lastSeenVersion;
        private long? recordedVersion;
        private bool streamArchived;
        private (long Version, long Sequence)? firstArchived;
        private bool someNotArchived;
        private bool archivedOnChain;
        private bool broken;

        public Guid Id => id;

        public bool OfTombstones => ofTombstones;

        /// <summary>The event just checked has its stored hash recomputed and equal, on an intact chain.</summary>
        public bool Confirmed => !ofTombstones && !broken;

        public BrokenLink? Check(StoredEvent e)
        {
            lastSeenVersion = e.Version;
            recordedVersion = e.StreamVersion;
            streamArchived = e.StreamArchived;
            if (e.IsArchived)
            {
                firstArchived ??= (e.Version, e.Sequence);
            }
            else
            {
                someNotArchived = true;
            }

            if (broken)
            {
                return null; // only the first broken link of a stream is reported
            }

            var link = FirstProblem(e);
            if (link is not null)
            {
                broken = true;
                return link;
            }

            archivedOnChain |= string.Equals(e.Type, StoredEvent.ArchivedType, StringComparison.Ordinal);
            lastHash = e.Hash;
            lastSequence = e.Sequence;
            expectedVersion = e.Version + 1;
            return null;
        }

        /// <summary>
        /// After the stream's last event, its intact chain against its row in mt_streams and its archive flags. A
        /// recorded version beyond the last event is a deleted event when some sequence number lacks its event, and
        /// the stream table changed by hand when none does.
        /// </summary>
        public BrokenLink? EndCheck(long missingSequences)
        {
            if (broken || ofTombstones)
            {
                return null;
            }

            if (recordedVersion is not { } recorded)
            {
                return Table(lastSeenVersion, Texts.Current.Say($"The stream's events, intact on their chain, go to version {lastSeenVersion}, but mt_streams has no row for it: the stream table was changed."));
            }

            if (recorded < lastSeenVersion)
            {
                return Table(recorded + 1, Texts.Current.Say($"mt_streams records version {recorded}, but the stream's events, intact on their chain, go on to version {lastSeenVersion}: the stream table was changed."));
            }

            if (recorded > lastSeenVersion)
            {
                return missingSequences > 0
                    ? new BrokenLink(id, lastSeenVersion + 1, null, BreakKind.MissingVersion, Texts.Current.Say($"The stream records version {recorded} but its events end at version {lastSeenVersion}: version {lastSeenVersion + 1} is missing ({missingSequences} sequence number(s) hold no event)."))
                    : Table(lastSeenVersion + 1, Texts.Current.Say($"mt_streams records version {recorded}, but the stream's chain is intact and ends at version {lastSeenVersion}, and no sequence number lacks its event: the stream table was changed."));
            }

            if (firstArchived is { } archived && !archivedOnChain)
            {
                return new BrokenLink(id, archived.Version, archived.Sequence, BreakKind.ArchivedOutsideChain,
                    Texts.Current.Say("Marked archived in mt_events, so reads and rebuilds skip it, but the stream's chain records no archiving event: the flag was set by hand."));
            }

            if (streamArchived && !archivedOnChain)
            {
                return Table(lastSeenVersion, Texts.Current.Say($"mt_streams marks the stream archived, but its chain records no archiving event: the stream table was changed."));
            }

            return archivedOnChain && (someNotArchived || !streamArchived)
                ? Table(lastSeenVersion, Texts.Current.Say($"The stream's chain archives it, but mt_streams or mt_events no longer mark it archived: the flag was cleared by hand."))
                : null;
        }

        private BrokenLink Table(long version, string detail) => new(id, version, null, BreakKind.StreamTableMismatch, detail);

        private BrokenLink? FirstProblem(StoredEvent e)
        {
            if (ofTombstones)
            {
                return e.IsWellFormedTombstone
                    ? null
                    : new BrokenLink(id, e.Version, e.Sequence, BreakKind.ForgedInsert,
                        Texts.Current.Say("A stream of Marten's sequence-gap tombstones holds something else than an empty tombstone at its own sequence number."));
            }

            if (e.Version > expectedVersion)
            {
                return new BrokenLink(id, expectedVersion, null, BreakKind.MissingVersion,
                    Texts.Current.Say($"Version {expectedVersion} is missing; the next stored version is {e.Version}."));
            }

            if (e.Sequence <= lastSequence)
            {
                return new BrokenLink(id, e.Version, e.Sequence, BreakKind.Reordered,
                    Texts.Current.Say($"Sequence {e.Sequence} does not come after sequence {lastSequence} of the version before it."));
            }

            if (!EventChain.IsHash(e.Hash))
            {
                return new BrokenLink(id, e.Version, e.Sequence, BreakKind.ForgedInsert,
                    Texts.Current.Say("The event carries no chain hash: it was not appended through Merit's append path."));
            }

            if (!string.Equals(e.Previous, lastHash, StringComparison.Ordinal))
            {
                return new BrokenLink(id, e.Version, e.Sequence, BreakKind.PreviousLinkMismatch,
                    Texts.Current.Say("The stored previous hash is not the hash of the event before it."));
            }

            return string.Equals(e.Recompute(lastHash), e.Hash, StringComparison.Ordinal)
                ? null
                : new BrokenLink(id, e.Version, e.Sequence, BreakKind.ContentMismatch,
                    Texts.Current.Say("The event's type, data, timestamp, user, correlation or causation id differ from what was hashed."));
        }
    }
}
