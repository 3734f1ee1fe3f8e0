using Marten;
using Merit.Audit;
using Merit.PersonalData;
using Merit.Projections.Analytics;
using Merit.Security;
using Weasel.Core;

namespace Merit.Projections;

/// <summary>
/// The event store's configuration, the one place it is set: the Host (and its command line), the tests and the
/// benchmarks all build their store from it, so each runs the same events, documents, projections and hash chain.
/// </summary>
public static class MeritStore
{
    public const string SchemaName = "merit";

    /// <summary>
    /// Free space left in each page of the read models the daemon rewrites on every page of events (the round's
    /// per-formation and rollup documents): the new version of a document goes on the same page, heap-only, without
    /// new index entries, and the old one is pruned there instead of bloating the table (docs/adr/0027).
    /// </summary>
    public const int ReadModelFillFactor = 50;

    /// <summary>
    /// Free space left in each page of the event store's streams table, whose row for a stream is rewritten by every
    /// append to it: half a page, because a batch moves the streams imported side by side (a formation's
    /// applications) in one transaction, so every row of a page needs room for its new version at once (docs/adr/0027).
    /// </summary>
    public const int StreamsFillFactor = 50;

    /// <summary>Events per page of every projection, in the daemon and in a rebuild.</summary>
    public const int ProjectionBatchSize = 10_000;

    /// <summary>
    /// How often a standby node tries for the projection locks: a dead leader's projections resume on another node
    /// within about this long. Marten's default is 5 s; a try is one cheap query (docs/adr/0016).
    /// </summary>
    public const int LeadershipPollingMilliseconds = 2000;

    public static StoreOptions Configure(this StoreOptions options, string connectionString, TimeProvider clock, int leadershipPollingMilliseconds = LeadershipPollingMilliseconds)
    {
        options.Connection(WithAutoPrepare(connectionString));
        options.DatabaseSchemaName = SchemaName;
        // Snapshots written before the PPPK change hold the SKD as Twk/Tiu/Tkp: still readable (docs/adr/0011).
        // Null members are left out of stored JSON: a write model is mostly empty until its later stages, and every
        // decision reads it whole; a missing member reads back as null (docs/adr/0027).
        options.UseSystemTextJsonForSerialization(EnumStorage.AsString, configure: json =>
        {
            json.Converters.Add(new Recruitment.StoredSkdScoreConverter());
            json.DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull;
        });
        options.Events.TimeProvider = clock;

        // Versions, sequences and timestamps known before commit: the audit hash chain covers them (docs/adr/0007).
        options.Events.AppendMode = JasperFx.Events.EventAppendMode.Rich;

        // Who decided and in which request: the acting user and correlation id are stored with every event.
        options.Events.MetadataConfig.CorrelationIdEnabled = true;
        options.Events.MetadataConfig.CausationIdEnabled = true;
        options.Events.MetadataConfig.UserNameEnabled = true;
        options.Events.MetadataConfig.HeadersEnabled = true;

        // Room on each page of the streams table for the next version of a stream's row (docs/adr/0027).
        options.Storage.Add(new StreamsTableFillFactor(options, StreamsFillFactor));

        // Beside the events: the encrypted personal data and each person's claim on a round (docs/adr/0004), the NIP
        // sequence counters, whose optimistic concurrency keeps a number from being issued twice (R23), and the first
        // answers to idempotent commands. A person's log of reads and erasure is folded by no projection (docs/adr/0014).
        options.Schema.For<PersonRecord>();
        options.Schema.For<RoundRegistrationClaim>();
        options.Schema.For<NipPrefixCounter>().UseOptimisticConcurrency(true);
        options.Schema.For<IdempotentResponse>();
        options.Events.AddEventTypes([typeof(PersonalDataRead), typeof(PersonalDataErased)]);

        // An announcement's edition (number, date, the decisions and seal it names) is folded by no projection (docs/adr/0045).
        options.Events.AddEventType<Merit.Recruitment.Announcements.AnnouncementIssued>();

        // Every appended event on its stream's hash chain, in every session of the store (docs/adr/0007).
        options.AddAuditChain();
        options.Projections.LeadershipPollingTime = leadershipPollingMilliseconds;

        options.AddRecruitmentProjections();
        options.AddCareerProjections();
        MeritSystem.MeritSystemProjections.AddMeritSystemProjections(options);
        options.AddRelocationProjections();
        options.AddAnalyticsProjections();
        options.AddRoundReadModels();
        // Each projection reads and applies this many events per page, in one transaction (Marten's default: 500).
        // Per page the daemon pays fixed round trips and a progression write: larger pages rebuilt the small round's
        // projections about 3 times faster and cut the daemon's overhead beside an import (docs/adr/0018). Memory per
        // shard is bounded by the hopper: two pages.
        var members = options.Projections.All.OfType<Marten.Events.Projections.CompositeProjection>().SelectMany(c => c.AllProjections());
        foreach (var projection in options.Projections.All.Concat(members).OfType<JasperFx.Events.Projections.ProjectionBase>())
        {
            projection.Options.BatchSize = ProjectionBatchSize;
            projection.Options.MaximumHopperSize = 2 * ProjectionBatchSize;
        }

        return options;
    }

    /// <summary>
    /// Npgsql prepares a statement on a connection once it has been sent there twice, so the upserts, event pages and
    /// version checks sent thousands of times are parsed and planned once per connection (docs/adr/0023). A connection
    /// string that sets its own <c>Max Auto Prepare</c> keeps it.
    /// </summary>
    public static string WithAutoPrepare(string connectionString)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        if (builder.MaxAutoPrepare == 0)
        {
            builder.MaxAutoPrepare = 250;
            builder.AutoPrepareMinUsages = 2;
        }

        return builder.ConnectionString;
    }
}
