using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;

namespace Merit.Tests.Security;

/// <summary>The roles an endpoint admits, read from its authorization metadata as the server enforces them.</summary>
public static class EndpointRoles
{
    /// <summary>Each role named by the endpoint's <see cref="IAuthorizeData"/>, once, in the order declared.</summary>
    public static IEnumerable<string> Of(Endpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>()
            .SelectMany(a => (a.Roles ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Distinct(StringComparer.Ordinal);
    }
}
