using Marten;
using Merit.Projections;
using Merit.Recruitment;
using Merit.Testing;
using Merit.Tests.Recruitment;
using Xunit;

namespace Merit.Tests.Audit;

/// <summary>
/// The bulk paths take each stream's chain head from its write model's row (docs/adr/0038): every row they write
/// carries the hash of its stream's event at its revision; a single command through a session leaves no head for the
/// row's new revision, and the next bulk append reads the event instead; a head is used where it is for the row's
/// revision — a forged one shows as a broken link at the next event — and ignored where it is not; a rebuild writes them.
/// </summary>
public class ChainHeadTests(MeritApp app) : IClassFixture<MeritApp>
{
    private readonly AuditClient audit = new(app);

    private RecruitmentApi Api => audit.Api;

    [Fact]
    public async Task Rows_written_in_bulk_carry_their_stream_s_head_and_a_session_append_leaves_none_behind()
    {
        var generated = new GeneratedRound(formations: 4, applicants: 60, seed: 7);
        var round = await generated.ImportToSkdStageAsync(Api, "CHAIN-HEAD");
        Assert.Equal((60, 60), await HeadsAsync(round));

        // One SKD result recorded on its own, through a session: its row's head is gone, the others are kept.
        var single = generated.Applicants.First(a => a.Skd is not null);
        var id = ApplicationDecisions.IdFor(round, single.RegistrationNumber);
        var (twk, tiu, tkp) = single.Skd!.Value;
        (await Api.RecordSkdAsync(id, twk, tiu, tkp)).EnsureSuccessStatusCode();
        Assert.Equal((60, 59), await HeadsAsync(round));

        // The file then appends to every other stream in bulk (the recorded row is unchanged), the cut-off to all:
        // the session-written stream's next event chains onto its event, read from the events.
        await Api.ImportAsync(round, "skd", generated.SkdCsv());
        await Api.AdvanceAsync(round, "Skb");
        await Api.DecideAsync(round, "skd-cutoff");

        Assert.Equal((60, 60), await HeadsAsync(round));
        foreach (var stream in new[] { id, ApplicationDecisions.IdFor(round, generated.Applicants.Last(a => a.Skd is not null).RegistrationNumber) })
        {
            var report = await audit.VerifyAsync(stream);
            Assert.True((bool)report["intact"]!, report.ToJsonString());
        }

        // A rebuild of the write model writes the heads too.
        await audit.SqlAsync($"update {Applications} set headers = null where round_id = @r", ("r", round));
        using (var daemon = await app.Store.BuildProjectionDaemonAsync())
        {
            await daemon.RebuildProjectionAsync("Application", CancellationToken.None);
        }

        Assert.Equal((60, 60), await HeadsAsync(round));
    }

    [Fact]
    public async Task A_head_is_taken_for_its_revision_only()
    {
        var generated = new GeneratedRound(formations: 4, applicants: 60, seed: 11);
        var round = await generated.ImportToSkdStageAsync(Api, "CHAIN-FORGED");
        var scored = generated.Applicants.Where(a => a.Skd is not null).Select(a => ApplicationDecisions.IdFor(round, a.RegistrationNumber)).ToList();
        var (forged, stale) = (scored[0], scored[1]);

        // An operator rewrites two heads: one for the row's revision, one for an earlier revision.
        var bogus = new string('f', 64);
        await audit.SqlAsync($"update {Applications} set headers = jsonb_build_object('hash', @h, 'version', mt_version) where id = @id", ("h", bogus), ("id", forged));
        await audit.SqlAsync($"update {Applications} set headers = jsonb_build_object('hash', @h, 'version', mt_version - 1) where id = @id", ("h", bogus), ("id", stale));

        await Api.ImportAsync(round, "skd", generated.SkdCsv());

        // The forged head was taken: the SKD result's event links to it, and verification names that event.
        var (version, kind, _) = await audit.FirstBreakAsync(forged);
        Assert.Equal(3, version);
        Assert.Equal("PreviousLinkMismatch", kind);

        // The other was for an earlier revision: the writer read the event, and the stream is intact.
        var report = await audit.VerifyAsync(stale);
        Assert.True((bool)report["intact"]!, report.ToJsonString());
    }

    private const string Applications = "merit.mt_doc_application";

    /// <summary>The round's applications, and how many of their rows carry the hash of their stream's event at the row's revision.</summary>
    private async Task<(long Rows, long Heads)> HeadsAsync(Guid round)
    {
        var rows = (long)(await app.ScalarAsync($"select count(*) from {Applications} where round_id = @r", ("r", round)))!;
        var heads = (long)(await app.ScalarAsync(
            $"select count(*) from (select id, mt_version, {ChainHead.Sql} as head from {Applications} where round_id = @r) d " +
            "join merit.mt_events e on e.stream_id = d.id and e.version = d.mt_version where d.head = e.headers ->> 'hash'",
            ("r", round)))!;
        return (rows, heads);
    }
}
