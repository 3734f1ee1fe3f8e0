using System.Globalization;
using System.Text.Json.Nodes;
using Marten;
using Merit.Projections.Recruitment;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Merit.Audit;

/// <summary>One formation whose published list, as the read model holds it, is not what its events decide.</summary>
/// <param name="Kind"><c>Changed</c>, or <c>Missing</c> when the read model lacks a formation the round has.</param>
/// <param name="Paths">Each JSON path that differs, with the read model's and the events' value.</param>
public sealed record PublishedListDifference(string FormationCode, Guid FormationId, string Kind, IReadOnlyList<string> Paths);

/// <summary>An export refused because its read model disagrees with the events (docs/adr/0044).</summary>
public sealed class PublishedListRefusedException(string roundCode, IReadOnlyList<PublishedListDifference> differences)
    : Exception(Describe(roundCode, differences))
{
    public string RoundCode => roundCode;

    public IReadOnlyList<PublishedListDifference> Differences => differences;

    private static string Describe(string roundCode, IReadOnlyList<PublishedListDifference> differences)
    {
        var first = differences[0];
        return string.Create(CultureInfo.InvariantCulture,
            $"Not published: the results read model of round {roundCode} disagrees with the events in {differences.Count} formation(s); first: {first.FormationCode} ({first.Kind}) {string.Join("; ", first.Paths.Take(3))}. ")
            + "The events are authoritative: rebuild the FormationResults projection from them, then export again.";
    }
}

/// <summary>
/// Checks a published list against the events before it leaves Merit: every formation's <see cref="FormationResults"/>
/// document, as the export would write it, is rebuilt from the formation's own events with Marten's live aggregation
/// of the same projection and compared member by member. The read model is what the export reads; the events are
/// what was decided.
/// </summary>
public sealed class PublishedListVerifier(IDocumentStore store)
{
    /// <summary>Throws <see cref="PublishedListRefusedException"/> naming each formation that differs.</summary>
    public async Task EnsureMatchesEventsAsync(string roundCode, Guid roundId, IReadOnlyList<FormationResults> published, CancellationToken ct)
    {
        var differences = await CompareAsync(roundId, published, ct).ConfigureAwait(false);
        if (differences.Count > 0)
        {
            throw new PublishedListRefusedException(roundCode, differences);
        }
    }

    /// <summary>The formations whose published document is not what their events give, in code order.</summary>
    public async Task<IReadOnlyList<PublishedListDifference>> CompareAsync(Guid roundId, IReadOnlyList<FormationResults> published, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(published);
        await using var session = store.QuerySession();
        var serializer = store.Options.Serializer();
        var differences = new List<PublishedListDifference>();
        // The round's formations as the write model knows them too: a results document deleted by hand is missed, not skipped.
        var formations = (await session.Query<Merit.Recruitment.Formation>().Where(f => f.RoundId == roundId).Select(f => f.Id).ToListAsync(ct).ConfigureAwait(false))
            .Union(published.Select(p => p.Id))
            .ToList();
        foreach (var id in formations)
        {
            var rebuilt = await session.Events.AggregateStreamAsync<FormationResults>(id, token: ct).ConfigureAwait(false);
            var document = published.FirstOrDefault(p => p.Id == id);
            if (document is null)
            {
                if (rebuilt is not null)
                {
                    differences.Add(new PublishedListDifference(rebuilt.Code, id, "Missing", ["the read model holds no results for this formation"]));
                }

                continue;
            }

            var paths = new List<string>();
            // LastSequence says which event a document reflects, not what it publishes.
            JsonPaths.Differences(
                JsonNode.Parse(serializer.ToJson(document with { LastSequence = 0 })),
                rebuilt is null ? null : JsonNode.Parse(serializer.ToJson(rebuilt with { LastSequence = 0 })),
                "$",
                paths);
            if (paths.Count > 0)
            {
                differences.Add(new PublishedListDifference(document.Code, id, "Changed", paths.Select(p => p.Replace(", rebuilt ", ", events ", StringComparison.Ordinal).Replace(": live ", ": read model ", StringComparison.Ordinal)).ToList()));
            }
        }

        return differences.OrderBy(d => d.FormationCode, StringComparer.Ordinal).ToList();
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
            Title = "The published list disagrees with the events.",
            Status = StatusCodes.Status409Conflict,
            Detail = refused.Message,
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
