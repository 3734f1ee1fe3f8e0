using System.Globalization;
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

        long events = 0, streams = 0, tombstones = 0, rows = 0;
        StreamState? stream = null;
        await foreach (var e in reader.ByStreamAsync(onlyStream, settings.BatchSize, ct).ConfigureAwait(false))
        {
            if (stream is null || e.StreamId != stream.Id)
            {
                if (stream?.EndCheck() is { } atEnd)
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

        if (stream?.EndCheck() is { } last)
        {
            Report(last);
        }

        foreach (var (emptyStream, version) in await reader.EmptyStreamsAsync(onlyStream, settings.MaxReported, ct).ConfigureAwait(false))
        {
            streams++;
            Report(new BrokenLink(emptyStream, 1, null, BreakKind.MissingVersion,
                string.Create(CultureInfo.InvariantCulture, $"The stream records version {version} but has no events left: version 1 is missing.")));
        }

        progress?.Report(new AuditProgress("chains", events, streams));

        // A single stream's check says nothing about the global sequence; seals are checked on the whole store only.
        var sealReport = onlyStream is null
            ? await seals.CheckStoredAsync(progress, ct).ConfigureAwait(false)
            : new StoredSealsReport(0, [], await seals.LastAsync(ct).ConfigureAwait(false));

        var intact = brokenStreams == 0 && sealReport.Failed.Count == 0;
        var lastSeal = sealReport.Last?.Id;
        var summary = intact
            ? string.Create(CultureInfo.InvariantCulture, $"intact, {events} events, {streams} streams, last seal {(lastSeal is { } s ? s.ToString(CultureInfo.InvariantCulture) : "none")}")
            : Describe(brokenStreams, broken, sealReport.Failed);
        LogVerified(logger, intact, events, streams, brokenStreams, sealReport.Failed.Count);
        return new AuditReport(intact, summary, events, streams, tombstones, lastSeal, brokenStreams, broken, sealReport.Checked, sealReport.Failed);
    }

    private static string Describe(long brokenStreams, List<BrokenLink> broken, IReadOnlyList<SealCheck> failedSeals)
    {
        var parts = new List<string>();
        if (brokenStreams > 0)
        {
            var first = broken[0];
            parts.Add(string.Create(CultureInfo.InvariantCulture,
                $"{brokenStreams} broken stream(s); first: stream {first.StreamId} version {first.Version}: {first.Kind}"));
        }

        if (failedSeals.Count > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture,
                $"{failedSeals.Count} seal(s) no longer match; first: seal {failedSeals[0].SealId}: {string.Join("; ", failedSeals[0].Problems)}"));
        }

        return "broken: " + string.Join(". ", parts);
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
        private bool broken;

        public Guid Id => id;

        public bool OfTombstones => ofTombstones;

        public BrokenLink? Check(StoredEvent e)
        {
            lastSeenVersion = e.Version;
            recordedVersion = e.StreamVersion;
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

            lastHash = e.Hash;
            lastSequence = e.Sequence;
            expectedVersion = e.Version + 1;
            return null;
        }

        /// <summary>After the stream's last event: versions the stream records but no event holds were deleted.</summary>
        public BrokenLink? EndCheck() =>
            !broken && !ofTombstones && recordedVersion is { } recorded && recorded > lastSeenVersion
                ? new BrokenLink(id, lastSeenVersion + 1, null, BreakKind.MissingVersion,
                    string.Create(CultureInfo.InvariantCulture, $"The stream records version {recorded} but its events end at version {lastSeenVersion}: version {lastSeenVersion + 1} is missing."))
                : null;

        private BrokenLink? FirstProblem(StoredEvent e)
        {
            if (ofTombstones)
            {
                return e.IsWellFormedTombstone
                    ? null
                    : new BrokenLink(id, e.Version, e.Sequence, BreakKind.ForgedInsert,
                        "A stream of Marten's sequence-gap tombstones holds something else than an empty tombstone at its own sequence number.");
            }

            if (e.Version > expectedVersion)
            {
                return new BrokenLink(id, expectedVersion, null, BreakKind.MissingVersion,
                    string.Create(CultureInfo.InvariantCulture, $"Version {expectedVersion} is missing; the next stored version is {e.Version}."));
            }

            if (e.StreamVersion is { } recorded && e.Version > recorded)
            {
                return new BrokenLink(id, e.Version, e.Sequence, BreakKind.ForgedInsert,
                    string.Create(CultureInfo.InvariantCulture, $"Version {e.Version} lies beyond the version the stream records ({recorded})."));
            }

            if (e.Sequence <= lastSequence)
            {
                return new BrokenLink(id, e.Version, e.Sequence, BreakKind.Reordered,
                    string.Create(CultureInfo.InvariantCulture, $"Sequence {e.Sequence} does not come after sequence {lastSequence} of the version before it."));
            }

            if (!EventChain.IsHash(e.Hash))
            {
                return new BrokenLink(id, e.Version, e.Sequence, BreakKind.ForgedInsert,
                    "The event carries no chain hash: it was not appended through Merit's append path.");
            }

            if (!string.Equals(e.Previous, lastHash, StringComparison.Ordinal))
            {
                return new BrokenLink(id, e.Version, e.Sequence, BreakKind.PreviousLinkMismatch,
                    "The stored previous hash is not the hash of the event before it.");
            }

            return string.Equals(e.Recompute(lastHash), e.Hash, StringComparison.Ordinal)
                ? null
                : new BrokenLink(id, e.Version, e.Sequence, BreakKind.ContentMismatch,
                    "The event's type, data, timestamp, user, correlation or causation id differ from what was hashed.");
        }
    }
}
