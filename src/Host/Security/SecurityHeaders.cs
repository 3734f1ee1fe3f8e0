namespace Merit.Security;

/// <summary>
/// Headers on every response, whatever answers it (an endpoint, a problem, a 404, the API page, the dashboard):
/// no MIME sniffing, no framing, no referrer, and a content security policy. The JSON and CSV answers load nothing,
/// so their policy allows nothing. The dashboard is server-rendered HTML and SVG with one inline style sheet and
/// one script file of its own (its CSV downloads); the API page (Scalar) runs its own bundled scripts and one inline module that starts it, and reads
/// the OpenAPI document from this origin: each gets the least its page needs.
/// </summary>
public static class SecurityHeaders
{
    public const string ApiPolicy = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    /// <summary>The dashboard's page: its one script file from this origin (no inline script), which fetches the CSV tables from this origin.</summary>
    public const string DashboardPolicy = "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    /// <summary>Scalar's page: its scripts from this origin plus its inline start-up module, its inline styles, and fetches to this origin only.</summary>
    public const string ApiPagePolicy = "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers.ContentSecurityPolicy = PolicyFor(context.Request.Path);
            return Task.CompletedTask;
        });
        return next(context);
    });

    public static string PolicyFor(PathString path) =>
        path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase) ? ApiPagePolicy
        : path.StartsWithSegments("/dashboard", StringComparison.OrdinalIgnoreCase) ? DashboardPolicy
        : ApiPolicy;
}
