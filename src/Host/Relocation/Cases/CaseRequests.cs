using FluentValidation;
using Merit.Career;
using Merit.Deciding;

namespace Merit.Relocation;

/// <summary>A step of a case on a date.</summary>
public sealed record CaseStepRequest(string On);

public sealed class CaseStepRequestValidator : AbstractValidator<CaseStepRequest>
{
    public CaseStepRequestValidator() => RuleFor(x => x.On).IsIsoDate();
}

/// <summary>A step with its reason: a decline or a withdrawal.</summary>
public sealed record CaseReasonRequest(string Reason, string On);

public sealed class CaseReasonRequestValidator : AbstractValidator<CaseReasonRequest>
{
    public CaseReasonRequestValidator()
    {
        RuleFor(x => x.Reason).NotEmpty().MaximumLength(500);
        RuleFor(x => x.On).IsIsoDate();
    }
}

/// <summary>What the case commands share: the refusal for a case that is not there.</summary>
public static class RelocationCases
{
    public static Refusal NoCase(Guid caseId) => new(RefusalKind.NotFound, "relocation.no-case", $"No relocation case {caseId}.", "caseId");
}
