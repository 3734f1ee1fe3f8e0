using System.Security.Claims;
using FluentValidation;
using Marten;
using Merit.Infrastructure;
using Merit.Security;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;
using Microsoft.AspNetCore.Mvc;

namespace Merit.Career;

/// <summary>A pansel member: an opaque code (no name), internal or not, and for an internal member the post held.</summary>
public sealed record PanselMemberRequest(string Code, bool Internal, string? Post);

/// <summary>The pansel formed by PPK decree (R34).</summary>
public sealed record FormPanselRequest(string DecreeNumber, IReadOnlyList<PanselMemberRequest> Members);

public sealed class FormPanselRequestValidator : AbstractValidator<FormPanselRequest>
{
    public FormPanselRequestValidator()
    {
        RuleFor(x => x.DecreeNumber).NotEmpty().MaximumLength(100);
        RuleFor(x => x.Members).NotNull().Must(m => m.Count <= 50).WithMessage("At most 50 members are listed.");
        RuleForEach(x => x.Members).ChildRules(m =>
        {
            m.RuleFor(x => x.Code).NotEmpty().MaximumLength(40);
            m.RuleFor(x => x.Post).IsOptionalName<PanselMemberRequest, Post>();
        });
    }
}

public static class FormPanselEndpoint
{
    /// <summary>Form the pansel, validated against R34.</summary>
    [WolverinePost("/jpt-selections/{selectionId}/pansel", OperationId = "FormPansel")]
    [ProducesResponseType<CommandPath.Appended>(StatusCodes.Status200OK)]
    [Tags("Career")]
    [Authorize(Roles = Roles.Ppk)]
    public static Task<IResult> Post(Guid selectionId, FormPanselRequest request, ClaimsPrincipal user, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var members = request.Members.Select(m => new PanselMember(m.Code, m.Internal, CareerCodes.ParseOptional<Post>(m.Post))).ToList();
        return session.DecideAsync<JptSelection>(user, selectionId, s => JptDecisions.FormPansel(s, new FormPansel(selectionId, request.DecreeNumber, members, clock.GetUtcNow())), ct);
    }
}
