using Merit.Localization;
using System.Globalization;
using System.Reflection;
using System.Text.Json.Nodes;
using JasperFx.Events;
using Marten;
using Merit.Projections.Recruitment;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Merit.Audit;

/// <summary>One document of a published list that is not what its events decide.</summary>
/// <param name="Document">The document's name on the list: a formation's code, an applicant's registration number.</param>
/// <param name="Kind"><c>Changed</c>, or <c>Missing</c> when the read model lacks a document the events produce.</param>
/// <param name="Paths">Each JSON path that differs, with the read model's and the events' value.</param>
public sealed record PublishedListDifference(string Document, Guid Id, string Kind, IReadOnlyList<string> Paths);

/// <summary>An export refused because its read model disagrees with the events (docs/adr/0044).</summary>
public sealed class PublishedListRefusedException(string roundCode, IReadOnlyList<PublishedListDifference> differences)
    : Exception(Describe(roundCode, differences).English)
{
    public string RoundCode => roundCode;

    public IReadOnlyList<PublishedListDifference> Differences => differences;

    /// <summary>The refusal as a sentence the reader's language says (docs/adr/0050); the exception's message is its English.</summary>
    public Deciding.Wording Text { get; } = Describe(roundCode, differences);

    private static Deciding.Wording Describe(string roundCode, IReadOnlyList<PublishedListDifference> differences)
    {
        var first = differences[0];
        return Deciding.Wording.Of($"Not published: the read model of round {roundCode}'s list disagrees with the events in {differences.Count} document(s); first: {first.Document} ({first.Kind}) {string.Join("; ", first.Paths.Take(3))}. The events are authoritative: rebuild the projection from them, then export again.");
    }
}

/// <summary>
/// Checks a published list against the events before it leaves Merit: every document the list is written from — a
/// single-stream read model — is rebuilt from its stream's events with Marten's live aggregation of the same
/// projection and compared member by member. The read model is what the export reads; the events are what was
/// decided. Members that only say which event a document reflects (<c>LastSequence</c>) are not compared.
/// </summary>
public sealed class PublishedListVerifier(IDocumentStore store)
{
    private const int StreamsPerQuery = 1000;

    private static readonly string[] Metadata = ["LastSequence"];

    /// <summary>
    /// The results of a round's formations, as the SKD cut-off and final lists are written from them, read in
    /// <paramref name="session"/>: the session the list was read in, so both see one state of the database.
    /// </summary>
    public async Task EnsureMatchesEventsAsync(IQuerySession session, string roundCode, Guid roundId, IReadOnlyList<FormationResults> published, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(session);
        // The round's formations as the write model knows them too: a results document deleted by hand is missed, not skipped.
        var formations = await session.Query<Merit.Recruitment.Formation>().Where(f => f.RoundId == roundId).Select(f => f.Id).ToListAsync(ct).ConfigureAwait(false);
        var differences = await CompareAsync(session, published, r => r.Id, r => r.Code, formations, ct).ConfigureAwait(false);
        if (differences.Count > 0)
        {
            throw new PublishedListRefusedException(roundCode, differences);
        }
    }

    /// <summary>
    /// Any list written from single-stream documents (<paramref name="id"/> is the stream), with the streams whose
    /// documents must be on it; throws <see cref="PublishedListRefusedException"/> naming each document that differs.
    /// </summary>
    public async Task EnsureMatchesEventsAsync<TDoc>(string roundCode, IReadOnlyList<TDoc> published, Func<TDoc, Guid> id, Func<TDoc, string> name, IEnumerable<Guid> expected, CancellationToken ct)
        where TDoc : class
    {
        var differences = await CompareAsync(published, id, name, expected, ct).ConfigureAwait(false);
        if (differences.Count > 0)
        {
            throw new PublishedListRefusedException(roundCode, differences);
        }
    }

    /// <summary>The documents that are not what their events give, by name.</summary>
    public async Task<IReadOnlyList<PublishedListDifference>> CompareAsync<TDoc>(IReadOnlyList<TDoc> published, Func<TDoc, Guid> id, Func<TDoc, string> name, IEnumerable<Guid> expected, CancellationToken ct)
        where TDoc : class
    {
        ArgumentNullException.ThrowIfNull(published);
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(name);
        await using var session = store.QuerySession();
        return await CompareAsync(session, published, id, name, expected, ct).ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<PublishedListDifference>> CompareAsync<TDoc>(IQuerySession session, IReadOnlyList<TDoc> published, Func<TDoc, Guid> id, Func<TDoc, string> name, IEnumerable<Guid>? expected, CancellationToken ct)
        where TDoc : class
    {
        var serializer = store.Options.Serializer();
        var aggregator = ((DocumentStore)store).Options.Projections.AggregatorFor<TDoc>();
        var identity = IdentityOf<TDoc>();
        var byId = published.ToDictionary(id);
        var differences = new List<PublishedListDifference>();

        // The streams' events a chunk at a time, each stream folded as AggregateStreamAsync folds it: one query per
        // chunk instead of one per document, which a national list (250,000 formations) makes count.
        foreach (var chunk in byId.Keys.Union(expected ?? []).Chunk(StreamsPerQuery))
        {
            var events = (await session.Events.QueryAllRawEvents().Where(e => e.StreamId.IsOneOf(chunk)).OrderBy(e => e.Sequence).ToListAsync(ct).ConfigureAwait(false))
                .GroupBy(e => e.StreamId)
                .ToDictionary(g => g.Key, g => (IReadOnlyList<IEvent>)g.ToList());
            foreach (var stream in chunk)
            {
                var rebuilt = events.TryGetValue(stream, out var recorded) ? await aggregator.BuildAsync(recorded, session, null, ct).ConfigureAwait(false) : null;
                if (rebuilt is not null)
                {
                    identity(rebuilt, stream);
                }

                if (!byId.TryGetValue(stream, out var document))
                {
                    if (rebuilt is not null)
                    {
                        differences.Add(new PublishedListDifference(name(rebuilt), stream, "Missing", [Texts.Current.Say("the read model holds no document for it")]));
                    }

                    continue;
                }

                var paths = new List<string>();
                JsonPaths.Differences(Content(serializer.ToJson(document)), rebuilt is null ? null : Content(serializer.ToJson(rebuilt)), "$", paths,
                    (path, live, events) => Texts.Current.Say($"{path}: read model {live}, events {events}"));
                if (paths.Count > 0)
                {
                    differences.Add(new PublishedListDifference(name(document), stream, "Changed", paths));
                }
            }
        }

        return differences.OrderBy(d => d.Document, StringComparer.Ordinal).ToList();
    }

    /// <summary>Sets a rebuilt document's id to its stream's, as Marten's live aggregation does after folding.</summary>
    private Action<TDoc, Guid> IdentityOf<TDoc>()
    {
        var id = (PropertyInfo)store.Options.FindOrResolveDocumentType(typeof(TDoc)).IdMember;
        return (document, stream) => id.SetValue(document, stream);
    }

    private static JsonNode? Content(string json)
    {
        var node = JsonNode.Parse(json);
        if (node is JsonObject document)
        {
            foreach (var member in Metadata)
            {
                document.Remove(member);
            }
        }

        return node;
    }
}

/// <summary>A refused export over HTTP: 409, naming the formations and the paths where the read model and the events disagree.</summary>
public sealed class PublishedListRefusalHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not PublishedListRefusedException refused)
        {
            return false;
        }

        httpContext.Response.StatusCode = StatusCodes.Status409Conflict;
        var details = new ProblemDetails
        {
            Type = "urn:merit:refusal:export.read-model-disagrees",
            Title = Localization.Texts.Current["problem.title.read-model-disagrees"],
            Status = StatusCodes.Status409Conflict,
            Detail = Localization.Texts.Current.Say(refused.Text),
        };
        details.Extensions["code"] = "export.read-model-disagrees";
        details.Extensions["differences"] = refused.Differences;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = details, Exception = exception });
    }
}

/// <summary>
/// Holds a published list's response in memory until it is complete, so that a refusal raised while writing it
/// (<see cref="PublishedListRefusedException"/>) still reaches the client as a 409 problem instead of a response cut
/// short: the export writes through a stream writer whose disposal would otherwise start the response. The lists
/// are built in memory before they are written anyway.
/// </summary>
public sealed class PublishedListBuffering : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, inner) =>
        {
            var path = context.Request.Path.Value ?? "";
            if (!(path.StartsWith("/rounds/", StringComparison.Ordinal) && path.Contains("/exports/", StringComparison.Ordinal) && path.EndsWith(".csv", StringComparison.Ordinal)))
            {
                await inner(context).ConfigureAwait(false);
                return;
            }

            var original = context.Response.Body;
            await using var buffer = new MemoryStream();
            context.Response.Body = buffer;
            try
            {
                await inner(context).ConfigureAwait(false);
            }
            finally
            {
                context.Response.Body = original;
            }

            // Wolverine answers 204 to an endpoint returning nothing that has not started its response: a written list is a 200.
            if (context.Response.StatusCode == StatusCodes.Status204NoContent && buffer.Length > 0)
            {
                context.Response.StatusCode = StatusCodes.Status200OK;
            }

            buffer.Position = 0;
            await buffer.CopyToAsync(original, context.RequestAborted).ConfigureAwait(false);
        });
        next(app);
    };
}
