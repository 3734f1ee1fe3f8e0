using System.Globalization;
using System.Security.Claims;
using FluentValidation;
using Marten;
using Merit.Deciding;
using Merit.Infrastructure;
using Merit.Localization;
using Merit.PersonalData;
using Merit.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Merit.Recruitment.Announcements;

/// <summary>Issue an announcement: the committee's number and date, or none to derive them from the round's events.</summary>
/// <param name="Number">The announcement's number as the committee writes it, e.g. <c>800/123/PANSEL/2024</c>.</param>
/// <param name="Date">Its date (yyyy-MM-dd); not before the day of its last decision.</param>
public sealed record IssueAnnouncementRequest(string? Number, string? Date);

public sealed class IssueAnnouncementRequestValidator : AbstractValidator<IssueAnnouncementRequest>
{
    public IssueAnnouncementRequestValidator()
    {
        RuleFor(x => x.Number).MaximumLength(80).Matches(InputPatterns.AnnouncementNumber())
            .When(x => x.Number is not null)
            .WithMessage("Number must be letters, digits, spaces and . / _ - (at most 80).");
        RuleFor(x => x.Date).Must(d => DateOnly.TryParseExact(d, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            .When(x => x.Date is not null)
            .WithMessage("Date must be yyyy-MM-dd.");
    }
}

/// <summary>An issued edition as the API answers it, with the addresses of its documents and proof.</summary>
public sealed record AnnouncementView(AnnouncementIssued Issued, string Kind, string Pdf, string Xlsx, string Proof);

/// <summary>
/// Announcements (pengumuman) per round, instansi and stage (docs/adr/0045): issued by the committee as a numbered
/// and dated act, printed as PDF and XLSX in the language of Accept-Language, proven against the seals.
/// </summary>
public static class AnnouncementEndpoints
{
    /// <summary>
    /// Issue the announcement of a stage for one instansi: kind is administrative, administrative-after-appeal, skd,
    /// skb-admission or final. Refused until the list is closed, complete and covered by a seal. Issuing the same list
    /// again answers the edition already issued; a changed list becomes a new edition.
    /// </summary>
    [WolverinePost("/rounds/{roundId}/announcements/{kind}/{instansi}", OperationId = "IssueAnnouncement")]
    [Tags("Announcements")]
    [ProducesResponseType<AnnouncementView>(StatusCodes.Status201Created)]
    [ProducesResponseType<AnnouncementView>(StatusCodes.Status200OK)]
    [Authorize(Roles = Roles.Committee)]
    public static async Task<IResult> Issue(Guid roundId, string kind, string instansi, IssueAnnouncementRequest request, ClaimsPrincipal user, IQuerySession query, AnnouncementPublisher publisher, CancellationToken ct)
    {
        if (await Guard(roundId, kind, user, query, ct) is { } refused)
        {
            return refused;
        }

        var parsed = AnnouncementKinds.Parse(kind)!.Value;
        var date = request.Date is null ? (DateOnly?)null : DateOnly.ParseExact(request.Date, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var outcome = await publisher.IssueAsync(roundId, parsed, instansi, request.Number, date, user.Identity?.Name ?? "anonymous", ct);
        if (outcome.Refusal is { } refusal)
        {
            return Problems.ToResult(refusal);
        }

        var view = View(roundId, outcome.Issued!, publisher);
        return outcome.Created ? Results.Created(view.Pdf, view) : Results.Ok(view);
    }

    /// <summary>
    /// An issued edition (the latest, or <c>edition</c>) as a document: format pdf or xlsx, in Bahasa Indonesia or
    /// English by Accept-Language. The names printed are read through the personal-data vault: every print is in the
    /// read-access log. Refused when decisions recorded since changed the list (a new edition is due).
    /// </summary>
    [WolverineGet("/rounds/{roundId}/announcements/{kind}/{instansi}/{format}", OperationId = "PrintAnnouncement")]
    [Tags("Announcements")]
    [Produces(AnnouncementPdf.MediaType, AnnouncementXlsx.MediaType)]
    [Authorize(Roles = Roles.CommitteeOrAuditor)]
    public static async Task<IResult> Print(Guid roundId, string kind, string instansi, string format, [FromQuery] int? edition, ClaimsPrincipal user, IQuerySession query, AnnouncementPublisher publisher, CancellationToken ct)
    {
        if (await Guard(roundId, kind, user, query, ct) is { } refused)
        {
            return refused;
        }

        AnnouncementFormat? parsedFormat = format switch
        {
            "pdf" => AnnouncementFormat.Pdf,
            "xlsx" => AnnouncementFormat.Xlsx,
            _ => null,
        };
        if (parsedFormat is not { } chosen)
        {
            return Problems.ToResult(new Refusal(RefusalKind.Invalid, "announcement.unknown-format", "format must be pdf or xlsx.", "format"));
        }

        var reader = PersonalDataReader.Of(user, $"GET /rounds/{roundId}/announcements/{kind}/{instansi}/{format}");
        var outcome = await publisher.PrintAsync(roundId, AnnouncementKinds.Parse(kind)!.Value, instansi, edition, [chosen], Texts.Current, reader, ct);
        if (outcome.Refusal is { } refusal)
        {
            return Problems.ToResult(refusal);
        }

        var document = outcome.Documents[0];
        return Results.File(document.Content, document.MediaType, document.FileName);
    }

    /// <summary>
    /// The proof that an edition's list is the sealed one (the address in its QR code), open to anyone: the edition
    /// issued, the digests of the list and of its decisions as the events stored now give them, the decisions (event
    /// id, sequence, chain hash), and every seal over their range checked against the events stored now. No personal data.
    /// </summary>
    [WolverineGet("/announcements/{announcementId}/editions/{edition}/proof", OperationId = "ProveAnnouncement")]
    [Tags("Announcements")]
    [ProducesResponseType<AnnouncementProof>(StatusCodes.Status200OK)]
    [AllowAnonymous]
    public static async Task<IResult> Proof(Guid announcementId, int edition, AnnouncementPublisher publisher, CancellationToken ct) =>
        await publisher.ProofAsync(announcementId, edition, ct) is { } proof
            ? Results.Ok(proof)
            : Results.Problem(Problems.NotFound("announcement edition", $"{announcementId}/{edition}"));

    private static async Task<IResult?> Guard(Guid roundId, string kind, ClaimsPrincipal user, IQuerySession query, CancellationToken ct)
    {
        if (await query.LoadAsync<Round>(roundId, ct) is not { } round)
        {
            return Results.Problem(Problems.NotFound("round", roundId));
        }

        if (RoundScope.RefuseReading(user, round) is { } outside)
        {
            return outside;
        }

        return AnnouncementKinds.Parse(kind) is null
            ? Problems.ToResult(new Refusal(RefusalKind.Invalid, "announcement.unknown-kind", $"kind must be one of {AnnouncementKinds.Slugs}.", "kind"))
            : null;
    }

    private static AnnouncementView View(Guid roundId, AnnouncementIssued issued, AnnouncementPublisher publisher)
    {
        var path = string.Create(CultureInfo.InvariantCulture, $"/rounds/{roundId}/announcements/{issued.Kind.Slug()}/{issued.InstansiCode}");
        var edition = string.Create(CultureInfo.InvariantCulture, $"?edition={issued.Edition}");
        return new AnnouncementView(issued, issued.Kind.Slug(), path + "/pdf" + edition, path + "/xlsx" + edition, publisher.ProofUrl(issued).ToString());
    }
}

/// <summary>Registers the announcements' services and options (Merit:Announcements).</summary>
public static class AnnouncementServices
{
    public static IServiceCollection AddAnnouncements(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<AnnouncementOptions>(configuration.GetSection("Merit:Announcements"));
        services.AddSingleton<AnnouncementSource>();
        services.AddSingleton<AnnouncementPublisher>();
        return services;
    }
}
