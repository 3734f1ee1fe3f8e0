using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Marten;
using Weasel.Core;
using Merit.Analytics.WhatIf;
using Merit.Deciding;
using Merit.Recruitment;

namespace Merit.Analytics;

/// <summary>One formation's comparison of a what-if, stored beside the what-if's event (its <see cref="Index"/> is the reading order).</summary>
public sealed class WhatIfFormationRow
{
    public string Id { get; set; } = "";

    public Guid WhatIfId { get; set; }

    public int Index { get; set; }

    public FormationComparison Row { get; set; } = null!;
}

/// <summary>A what-if as recorded: its event, as an auditor lists it.</summary>
public sealed record WhatIfListed(Guid WhatIfId, string RoundCode, string VariantVersion, string VariantSha256, string AskedBy, DateTimeOffset AskedAt, long ThroughSequence, string OutcomeSha256);

/// <summary>
/// Runs and records what-ifs (docs/adr/0039): reads the round's facts (<see cref="WhatIfFacts"/>), decides it again
/// under the variant (<see cref="WhatIfRun"/>), stores the formation rows and appends one <see cref="WhatIfStudied"/>
/// in a stream of the what-if's own. The round's streams and read models are only read.
/// </summary>
public sealed class WhatIfStudies(IDocumentStore store, WhatIfFacts facts, TimeProvider clock)
{
    public const int RowsPerInsert = 5000;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    /// <summary>Runs a what-if of round <paramref name="roundId"/> under the variant <paramref name="document"/>, asked by <paramref name="askedBy"/>.</summary>
    public async Task<(WhatIfStudied? Studied, Refusal? Refusal)> RunAsync(Guid roundId, string document, string askedBy, Guid whatIfId, CancellationToken ct)
    {
        Round? round;
        await using (var query = store.QuerySession())
        {
            round = await query.LoadAsync<Round>(roundId, ct);
        }

        if (round is null)
        {
            return (null, new Refusal(RefusalKind.NotFound, "round.unknown", $"No round {roundId}.", "roundId"));
        }

        var own = round.Rules();
        var (variant, refusal) = VariantRuleSet.Read(own, document);
        if (refusal is not null)
        {
            return (null, refusal);
        }

        var askedAt = clock.GetUtcNow();
        var through = await facts.HighestSequenceAsync(ct);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var rows = new List<WhatIfFormationRow>(RowsPerInsert);
        var index = 0;
        var run = new WhatIfRun(round, own, variant!.Rules, row =>
        {
            hash.AppendData(JsonSerializer.SerializeToUtf8Bytes(row, Json));
            rows.Add(new WhatIfFormationRow { Id = $"{whatIfId:N}/{index:D7}", WhatIfId = whatIfId, Index = index++, Row = row });
        });

        (string Position, EducationLevel Education)? group = null;
        await foreach (var read in facts.ReadAsync(round.Id, through, ct))
        {
            var key = (read.Record.Formation.Position, read.Record.Formation.EducationLevel);
            if (group is { } current && current != key)
            {
                run.CompleteGroup();
            }

            group = key;
            run.Add(read.Record, read.Hold);
            if (rows.Count >= RowsPerInsert)
            {
                await store.BulkInsertAsync(rows, BulkInsertMode.InsertsOnly, RowsPerInsert, ct);
                rows.Clear();
            }
        }

        var outcome = run.Complete();
        if (rows.Count > 0)
        {
            await store.BulkInsertAsync(rows, BulkInsertMode.InsertsOnly, RowsPerInsert, ct);
        }

        hash.AppendData(JsonSerializer.SerializeToUtf8Bytes(outcome, Json));
        var studied = new WhatIfStudied(
            whatIfId, round.Id, round.Code, round.RuleSetVersion, variant.Rules.Version, variant.Document, variant.Sha256,
            askedBy, askedAt, through, Convert.ToHexStringLower(hash.GetHashAndReset()), outcome);
        await using var session = store.LightweightSession();
        session.Events.StartStream<WhatIfStudied>(whatIfId, studied);
        await session.SaveChangesAsync(ct);
        return (studied, null);
    }

    public async Task<WhatIfStudied?> LoadAsync(Guid whatIfId, CancellationToken ct)
    {
        await using var query = store.QuerySession();
        var events = await query.Events.FetchStreamAsync(whatIfId, token: ct);
        return events.Select(e => e.Data).OfType<WhatIfStudied>().FirstOrDefault();
    }

    /// <summary>The what-ifs studied, newest first (of one round when given).</summary>
    public async Task<IReadOnlyList<WhatIfListed>> ListAsync(Guid? roundId, CancellationToken ct)
    {
        await using var query = store.QuerySession();
        var events = await query.Events.QueryRawEventDataOnly<WhatIfStudied>().ToListAsync(ct);
        return events
            .Where(s => roundId is null || s.RoundId == roundId)
            .OrderByDescending(s => s.AskedAt)
            .Select(s => new WhatIfListed(s.WhatIfId, s.RoundCode, s.VariantVersion, s.VariantSha256, s.AskedBy, s.AskedAt, s.ThroughSequence, s.OutcomeSha256))
            .ToList();
    }

    /// <summary>A page of the formation rows, in reading order.</summary>
    public async Task<(IReadOnlyList<FormationComparison> Rows, int Total)> FormationsAsync(Guid whatIfId, int offset, int limit, CancellationToken ct)
    {
        await using var query = store.QuerySession();
        var total = await query.Query<WhatIfFormationRow>().Where(r => r.WhatIfId == whatIfId).CountAsync(ct);
        var page = await query.Query<WhatIfFormationRow>().Where(r => r.WhatIfId == whatIfId).OrderBy(r => r.Index).Skip(offset).Take(limit).ToListAsync(ct);
        return (page.Select(r => r.Row).ToList(), total);
    }

    /// <summary>Every formation row, a page at a time, in reading order (for the exports).</summary>
    public async IAsyncEnumerable<FormationComparison> AllFormationsAsync(Guid whatIfId, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        for (var offset = 0; ; offset += RowsPerInsert)
        {
            var (rows, _) = await FormationsAsync(whatIfId, offset, RowsPerInsert, ct);
            foreach (var row in rows)
            {
                yield return row;
            }

            if (rows.Count < RowsPerInsert)
            {
                yield break;
            }
        }
    }

    /// <summary>The SHA-256 of a document as submitted, for comparing with a recorded one.</summary>
    public static string Sha256(string document) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(document)));
}
