using System.Security.Cryptography;
using System.Text;
using Marten;

namespace Merit.Security;

/// <summary>
/// A retried command with the same <c>Idempotency-Key</c> (per caller and route) is not executed again: the first
/// result is returned. Only answers that changed something (2xx) are kept, so a refused command can be corrected
/// and resent with the same key. The domain's own guards (a result already recorded, a stream already started)
/// keep a retry safe even in the window between the command's commit and the stored answer.
/// </summary>
public sealed class IdempotencyMiddleware(RequestDelegate next)
{
    public const string Header = "Idempotency-Key";

    public async Task InvokeAsync(HttpContext context, IDocumentStore store, TimeProvider clock)
    {
        if (!HttpMethods.IsPost(context.Request.Method) || context.Request.Headers[Header].ToString() is not { Length: > 0 and <= 200 } key)
        {
            await next(context);
            return;
        }

        var id = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{context.User.Identity?.Name}\n{context.Request.Path}\n{key}")));
        await using (var query = store.QuerySession())
        {
            if (await query.LoadAsync<IdempotentResponse>(id, context.RequestAborted) is { } first)
            {
                context.Response.StatusCode = first.Status;
                context.Response.ContentType = first.ContentType;
                context.Response.Headers["Idempotent-Replayed"] = "true";
                await context.Response.Body.WriteAsync(first.Body, context.RequestAborted);
                return;
            }
        }

        var original = context.Response.Body;
        await using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = original;
        }

        var body = buffer.ToArray();
        if (context.Response.StatusCode is >= 200 and < 300)
        {
            await using var session = store.LightweightSession();
            session.Store(new IdempotentResponse { Id = id, Status = context.Response.StatusCode, ContentType = context.Response.ContentType, Body = body, At = clock.GetUtcNow() });
            await session.SaveChangesAsync(context.RequestAborted);
        }

        await original.WriteAsync(body, context.RequestAborted);
    }
}
