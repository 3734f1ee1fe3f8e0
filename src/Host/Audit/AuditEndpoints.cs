using Merit.Security;
using Microsoft.AspNetCore.Authorization;
using Merit.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Merit.Audit;

/// <summary>For auditors: verify the hash chains and seals, create seals, fetch and check exported seals (docs/adr/0007).</summary>
public static class AuditEndpoints
{
    /// <summary>Recompute every stream's hash chain (or one stream's) and every seal: "intact", or the first broken link of each broken stream.</summary>
    [WolverineGet("/audit/verify", OperationId = "VerifyAudit")]
    [Tags("Audit")]
    [Authorize(Roles = Roles.Auditor + "," + Roles.Admin)]
    public static Task<AuditReport> Verify([FromQuery] Guid? stream, AuditVerifier verifier, CancellationToken ct) =>
        verifier.VerifyAsync(stream, null, ct);

    /// <summary>
    /// Rebuild every projection from the events in a scratch schema and compare it, document by document, with the live
    /// read models: "no difference", or each differing document (type, id, JSON paths), missing or extra (docs/adr/0012).
    /// </summary>
    [WolverineGet("/audit/projections/verify", OperationId = "VerifyProjections")]
    [Tags("Audit")]
    [Authorize(Roles = Roles.Auditor + "," + Roles.Admin)]
    public static Task<ProjectionReport> VerifyProjections(ProjectionVerifier verifier, CancellationToken ct) =>
        verifier.VerifyAsync(ct);

    /// <summary>Seal every event recorded since the last seal: a signed Merkle root over that range of the global sequence.</summary>
    [WolverinePost("/audit/seals", OperationId = "CreateAuditSeal")]
    [Tags("Audit")]
    [ProducesResponseType<ExportedSeal>(StatusCodes.Status201Created)]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status422UnprocessableEntity, "application/problem+json")]
    [Authorize(Roles = Roles.Admin)]
    public static async Task<IResult> Seal(AuditSeals seals, CancellationToken ct)
    {
        var outcome = await seals.SealAsync(ct);
        if (outcome.Refused is { } refused)
        {
            return Results.Problem(new ProblemDetails
            {
                Type = "urn:merit:refusal:audit.chain-broken",
                Title = "The history to seal does not hash as stored.",
                Status = StatusCodes.Status422UnprocessableEntity,
                Detail = refused,
                Extensions = { ["code"] = "audit.chain-broken", ["streamId"] = outcome.At?.StreamId, ["version"] = outcome.At?.Version, ["sequence"] = outcome.At?.Sequence },
            });
        }

        return outcome.Seal is { } seal ? Results.Created($"/audit/seals/{seal.Id}", seal.Export()) : Results.NoContent();
    }

    /// <summary>All seals, oldest first, as exported documents.</summary>
    [WolverineGet("/audit/seals", OperationId = "ListAuditSeals")]
    [Tags("Audit")]
    [Authorize(Roles = Roles.Auditor + "," + Roles.Admin)]
    public static async Task<IReadOnlyList<ExportedSeal>> List(AuditSeals seals, CancellationToken ct)
    {
        var all = new List<ExportedSeal>();
        while (true)
        {
            var page = await seals.ListAsync(all.Count == 0 ? 0 : all[^1].Id, 500, ct);
            all.AddRange(page.Select(s => s.Export()));
            if (page.Count < 500)
            {
                return all;
            }
        }
    }

    /// <summary>One seal as the small JSON document an auditor keeps outside the system.</summary>
    [WolverineGet("/audit/seals/{sealId}", OperationId = "GetAuditSeal")]
    [Tags("Audit")]
    [ProducesResponseType<ExportedSeal>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [Authorize(Roles = Roles.Auditor + "," + Roles.Admin)]
    public static async Task<IResult> Get(long sealId, AuditSeals seals, CancellationToken ct) =>
        await seals.LoadAsync(sealId, ct) is { } seal
            ? Results.Ok(seal.Export())
            : Results.Problem(Problems.NotFound("seal", sealId));

    /// <summary>Check an exported seal: its signature and key, and its root recomputed from the events stored now.</summary>
    [WolverinePost("/audit/seals/verify", OperationId = "VerifyAuditSeal")]
    [Tags("Audit")]
    [ProducesResponseType<SealCheck>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [Authorize(Roles = Roles.Auditor + "," + Roles.Admin)]
    public static async Task<IResult> VerifySeal(ExportedSeal exported, AuditSeals seals, CancellationToken ct)
    {
        var (statement, signature, problem) = SealStatement.Read(exported.ToJson());
        if (statement is null || signature is null)
        {
            return Results.Problem(new ProblemDetails
            {
                Type = "urn:merit:refusal:audit.malformed-seal",
                Title = "Not an exported Merit seal.",
                Status = StatusCodes.Status400BadRequest,
                Detail = problem,
                Extensions = { ["code"] = "audit.malformed-seal" },
            });
        }

        return Results.Ok(await seals.CheckExportedAsync(statement, signature, ct));
    }
}
