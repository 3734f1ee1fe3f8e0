using JasperFx;
using JasperFx.Events;
using Merit.Localization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Merit.Infrastructure;

/// <summary>
/// Concurrent decisions on one case: Marten's optimistic concurrency lets exactly one commit; the loser's
/// exception becomes a 409 problem details here, and its transaction appended nothing.
/// </summary>
public sealed class ConflictExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var conflict = exception switch
        {
            ConcurrencyException or EventStreamUnexpectedMaxEventIdException or ExistingStreamIdCollisionException or Marten.Exceptions.ExistingStreamIdCollisionException
                => Texts.Current["problem.detail.concurrent-decision"],
            DocumentAlreadyExistsException => Texts.Current["problem.detail.concurrent-request"],
            _ => null,
        };
        if (conflict is null)
        {
            return false;
        }

        httpContext.Response.StatusCode = StatusCodes.Status409Conflict;
        var details = new ProblemDetails
        {
            Type = "urn:merit:refusal:concurrent-decision",
            Title = Texts.Current["problem.title.concurrent-decision"],
            Status = StatusCodes.Status409Conflict,
            Detail = conflict,
        };
        details.Extensions["code"] = "concurrent-decision";
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = details, Exception = exception });
    }
}
