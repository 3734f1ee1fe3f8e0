using Merit.Security;
using Microsoft.AspNetCore.Authorization;
using Merit.Infrastructure;
using Merit.Localization;
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
                Title = Texts.Current["problem.title.chain-broken"],
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
    [WolverineGet("/audit/seals/{sealId:long}", OperationId = "GetAuditSeal")]
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
                Title = Texts.Current["problem.title.malformed-seal"],
                Status = StatusCodes.Status400BadRequest,
                Detail = Texts.Current.Say(problem!),
                Extensions = { ["code"] = "audit.malformed-seal" },
            });
        }

        return Results.Ok(await seals.CheckExportedAsync(statement, signature, ct));
    }

    /// <summary>
    /// An RFC 6962 consistency proof: the tree seal <c>to</c> signed extends the tree seal <c>from</c> signed, so an
    /// auditor holding the older seal learns that nothing it covered was changed since.
    /// </summary>
    [WolverineGet("/audit/proofs/consistency", OperationId = "ProveAuditConsistency")]
    [Tags("Audit")]
    [ProducesResponseType<ConsistencyProof>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status422UnprocessableEntity, "application/problem+json")]
    [Authorize(Roles = Roles.Auditor + "," + Roles.Admin)]
    public static async Task<IResult> ProveConsistency([FromQuery] long from, [FromQuery] long to, AuditProofs proofs, CancellationToken ct) =>
        Answer(await proofs.ConsistencyAsync(from, to, ct));

    /// <summary>An RFC 6962 audit path from the event at a sequence number to the tree root a seal signed (by default the newest seal).</summary>
    [WolverineGet("/audit/proofs/events/{sequence}", OperationId = "ProveAuditEvent")]
    [Tags("Audit")]
    [ProducesResponseType<InclusionProof>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status422UnprocessableEntity, "application/problem+json")]
    [Authorize(Roles = Roles.Auditor + "," + Roles.Admin)]
    public static async Task<IResult> ProveEvent(long sequence, [FromQuery] long? seal, AuditProofs proofs, CancellationToken ct) =>
        Answer(await proofs.EventAsync(sequence, seal, ct));

    /// <summary>
    /// An applicant's own decisions proven to one signed root: every event of the application and the SKD cut-off and
    /// final result of its formation, each with its audit path.
    /// </summary>
    [WolverineGet("/audit/proofs/applications/{applicationId}", OperationId = "ProveApplicantDecisions")]
    [Tags("Audit")]
    [ProducesResponseType<ApplicantProofs>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status422UnprocessableEntity, "application/problem+json")]
    [Authorize(Roles = Roles.Auditor + "," + Roles.Admin)]
    public static async Task<IResult> ProveApplication(Guid applicationId, [FromQuery] long? seal, AuditProofs proofs, CancellationToken ct) =>
        Answer(await proofs.ApplicationAsync(applicationId, seal, ct));

    private static IResult Answer<T>(ProofOutcome<T> outcome)
        where T : class =>
        outcome.Proof is { } proof
            ? Results.Ok(proof)
            : Results.Problem(new ProblemDetails
            {
                Type = outcome.NotFound ? "urn:merit:refusal:audit.not-found" : "urn:merit:refusal:audit.not-provable",
                Title = Texts.Current[outcome.NotFound ? "problem.title.nothing-to-prove" : "problem.title.not-provable"],
                Status = outcome.NotFound ? StatusCodes.Status404NotFound : StatusCodes.Status422UnprocessableEntity,
                Detail = outcome.Problem,
                Extensions = { ["code"] = outcome.NotFound ? "audit.not-found" : "audit.not-provable" },
            });
}
