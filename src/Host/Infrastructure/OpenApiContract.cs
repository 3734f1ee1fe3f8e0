using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Wolverine.Http;

namespace Merit.Infrastructure;

/// <summary>
/// What the OpenAPI document says beyond what the endpoints' signatures give it, so that a client generator or a
/// linter (<c>npx @redocly/cli lint</c>, held in CI by OpenApiLintTests) can be held to it: every tag described, the
/// 401 and 403 every protected operation can answer, no placeholder descriptions, and a relative server.
/// </summary>
public static class OpenApiContract
{
    /// <summary>The tags of the API page, in a reader's words, with the Indonesian terms a committee uses.</summary>
    public static readonly IReadOnlyDictionary<string, string> Tags = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Rounds"] = "A recruitment round (seleksi CPNS or PPPK): opened under a named rule set, moved through its stages (R05).",
        ["Formations"] = "The positions a round fills (formasi): instansi, position, category, allocation, education level.",
        ["Applications"] = "One applicant's case (pelamar): registration, administrative verification (MS/TMS), SKD and SKB results.",
        ["Appeals"] = "Objections (sanggah) to an administrative or final result, filed within their window and answered by the committee (R07).",
        ["Decisions"] = "The per-formation decisions: the SKD cut-off (R13), the final result (R14–R16), Panselnas' optimisation and ties (R17).",
        ["Appointment"] = "After the final result: NIP and NI PPPK, appointment as CPNS, probation (R19, R22–R24).",
        ["Announcements"] = "Numbered announcements (pengumuman) of each stage's list, printed as PDF and XLSX, with their proof.",
        ["Files"] = "Bulk work as committees do it: CSV imports checked whole before anything is written, and the published lists as CSV.",
        ["Rule sets"] = "The regulation's numbers as versioned data: thresholds, weights, windows; every decision names the version it applied.",
        ["Career"] = "Civil servants' careers: the workforce record, promotions (kenaikan pangkat), JPT open selection, talent pools, appraisals.",
        ["Relocation"] = "The relocation of civil servants to the new capital (IKN): waves, nominations, housing quotas, screening, arrivals.",
        ["Merit system"] = "An instansi's merit-system self-assessment and its verification (R02), and the professionalism index IP ASN (R03).",
        ["Analytics"] = "For KemenPANRB and BKN analysts: pass rates, fairness across groups and regions, time to decision; counts only, small cells suppressed.",
        ["Audit"] = "For auditors (BPK, inspectorates): hash chains and signed seals, proofs, histories as known at any moment, recomputed decisions.",
        ["Personal data"] = "NIK, names and birth dates, kept encrypted apart from the events: who read what and why, and erasure.",
    };

    /// <summary>
    /// Examples of the main commands as a committee sends them, and what each answers: by operation, the request body
    /// (none for an upload or a decision that takes no body) and the success with its status. The linter checks each
    /// against its schema (no-invalid-media-type-examples).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, (string? Request, string Status, string Response)> Examples = new Dictionary<string, (string?, string, string)>(StringComparer.Ordinal)
    {
        ["OpenRound"] = (
            """{"code":"CPNS-2024","name":"Seleksi CPNS 2024","ruleSetVersion":"CPNS-2024","timeZone":"WIB","registrationOpens":"2024-08-20","registrationCloses":"2024-09-10"}""",
            "201",
            """{"id":"3f2b8c1e-5a4d-5e6f-9a7b-1c2d3e4f5a6b","code":"CPNS-2024","stage":"Announcement"}"""),
        ["ImportFile"] = (
            null,
            "200",
            """{"kind":"skd","rows":1250,"appended":1250,"unchanged":0,"errors":[],"succeeded":true}"""),
        ["RecordSkdResult"] = (
            """{"twk":85,"tiu":95,"tkp":166}""",
            "200",
            """{"applicationId":"7d9e4a2b-1c3f-4e5d-8a6b-9c0d1e2f3a4b","total":346,"thresholdMet":true,"shortfalls":[],"category":"umum","ruleSetVersion":"CPNS-2024"}"""),
        ["FileAppeal"] = (
            """{"window":"Administrative","grounds":"Ijazah S1 saya telah dilegalisir; mohon diperiksa kembali.","includesNewDocuments":false}""",
            "200",
            """{"id":"7d9e4a2b-1c3f-4e5d-8a6b-9c0d1e2f3a4b","recorded":["AppealFiled"]}"""),
        ["AnswerAppeal"] = (
            """{"window":"Administrative","accept":true,"faultOfInstansi":true,"reason":"Legalisir ijazah terlewat saat verifikasi."}""",
            "200",
            """{"id":"7d9e4a2b-1c3f-4e5d-8a6b-9c0d1e2f3a4b","recorded":["AppealAnswered"]}"""),
        ["DecideFinalResult"] = (
            null,
            "200",
            """{"id":"5c6d7e8f-9a0b-4c1d-8e2f-3a4b5c6d7e8f","recorded":[{"event":"FinalResultDecided","count":1},{"event":"FinalResultApplied","count":12}]}"""),
    };

    public static OpenApiOptions UseMeritContract(this OpenApiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.AddSchemaTransformer<ValidationRulesInSchemas>();
        options.AddOperationTransformer((operation, context, _) =>
        {
            // Wolverine names each chain after its route (GET_rounds_roundId); the summary already says what it does.
            if (operation.Description is { } description && description.Contains('_', StringComparison.Ordinal) && !description.Contains(' ', StringComparison.Ordinal))
            {
                operation.Description = null;
            }

            operation.Responses ??= [];
            DeclareProblems(operation, context);
            ShowExample(operation);
            var metadata = context.Description.ActionDescriptor.EndpointMetadata;
            if (metadata.OfType<IAllowAnonymous>().Any())
            {
                return Task.CompletedTask;
            }

            operation.Responses.TryAdd("401", Problem("No bearer token, or one that is expired or not signed by this deployment.", context.Document));
            operation.Responses.TryAdd("403", Problem("The token's role may not call this operation, or the case lies outside the token's scope.", context.Document));
            return Task.CompletedTask;
        });
        options.AddDocumentTransformer((document, _, _) =>
        {
            // Relative: the document is served by the deployment it describes, whatever its address.
            document.Servers = [new OpenApiServer { Url = "/" }];
            DropUnusedResultSchema(document);
            document.Tags ??= new HashSet<OpenApiTag>();
            foreach (var tag in document.Tags)
            {
                if (tag.Name is { } name && Tags.TryGetValue(name, out var text))
                {
                    tag.Description = text;
                }
            }

            return Task.CompletedTask;
        });
        return options;
    }

    /// <summary>
    /// The answers an endpoint's signature cannot tell: an endpoint that answers <see cref="IResult"/> declares its
    /// success type with <c>[ProducesResponseType]</c>, so Wolverine's own untyped 200 goes where another success is
    /// declared; a 404 (a case that does not exist, wherever a path names one) is a problem details; an operation that
    /// takes parameters or a body can answer 400 (validation, unparseable values); one that writes through a Marten
    /// session can answer 409 (a concurrent decision, a conflicting or wrong-stage refusal) and 422 (a rule of the
    /// regulation), as <see cref="Problems.StatusFor"/> maps refusals.
    /// </summary>
    private static void DeclareProblems(OpenApiOperation operation, OpenApiOperationTransformerContext context)
    {
        var responses = operation.Responses!;
        var untyped = context.Description.SupportedResponseTypes.Where(r => r.Type == typeof(IResult)).Select(r => r.StatusCode.ToString(CultureInfo.InvariantCulture)).ToHashSet();
        var typed = responses.Keys.Where(k => k.StartsWith('2') && !untyped.Contains(k)).ToList();
        if (typed.Count > 0)
        {
            foreach (var code in untyped)
            {
                responses.Remove(code);
            }
        }

        // A path names something (a round, a case, a list): it may not exist.
        var document = context.Document;
        var namesInPath = operation.Parameters?.Any(p => p.In == ParameterLocation.Path) == true;
        if ((responses.TryGetValue("404", out var notFound) && notFound.Content is not { Count: > 0 }) || (namesInPath && notFound is null))
        {
            responses["404"] = Problem("What the path or the body names does not exist.", document);
        }

        var takesInput = operation.RequestBody is not null || operation.Parameters is { Count: > 0 };
        if (takesInput)
        {
            responses.TryAdd("400", Problem("The request is malformed or breaks a validation rule; `errors` names each field.", document));
        }

        var writes = context.Description.ActionDescriptor is WolverineActionDescriptor { Chain: var chain }
            && chain.Method.Method.GetParameters().Any(p => p.ParameterType == typeof(Marten.IDocumentSession));
        if (writes)
        {
            responses.TryAdd("409", Problem("Refused: a concurrent decision on the same case won, or the case is not in a state or stage that allows this.", document));
            responses.TryAdd("422", Problem("Refused by a rule of the regulation; `code` names the rule.", document));
        }
    }

    private static void ShowExample(OpenApiOperation operation)
    {
        if (operation.OperationId is not { } id || !Examples.TryGetValue(id, out var example))
        {
            return;
        }

        if (example.Request is { } request && operation.RequestBody?.Content?.TryGetValue("application/json", out var body) == true)
        {
            body.Example = JsonNode.Parse(request);
        }

        if (operation.Responses?.TryGetValue(example.Status, out var response) == true && response.Content?.TryGetValue("application/json", out var answer) == true)
        {
            answer.Example = JsonNode.Parse(example.Response);
        }
    }

    /// <summary>Once every success is typed, the placeholder schema Wolverine adds for <see cref="IResult"/> describes nothing.</summary>
    private static void DropUnusedResultSchema(OpenApiDocument document)
    {
        if (document.Components?.Schemas is not { } schemas || !schemas.ContainsKey(nameof(IResult)))
        {
            return;
        }

        var used = document.Paths.Values.SelectMany(p => p.Operations?.Values.AsEnumerable() ?? [])
            .SelectMany(o => o.Responses?.Values.AsEnumerable() ?? [])
            .SelectMany(r => r.Content?.Values.AsEnumerable() ?? [])
            .Any(m => m.Schema is OpenApiSchemaReference { Reference.Id: nameof(IResult) });
        if (!used)
        {
            schemas.Remove(nameof(IResult));
        }
    }

    private static OpenApiResponse Problem(string description, OpenApiDocument? document) => new()
    {
        Description = description,
        Content = new Dictionary<string, OpenApiMediaType>
        {
            ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference("ProblemDetails", document) },
        },
    };
}
