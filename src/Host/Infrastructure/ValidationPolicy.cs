using FluentValidation;
using JasperFx;
using JasperFx.CodeGeneration;
using JasperFx.CodeGeneration.Frames;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;
using Wolverine.Http.CodeGen;

namespace Merit.Infrastructure;

/// <summary>
/// Runs the FluentValidation validator of an endpoint's request body before the endpoint, inside Wolverine's
/// generated pipeline, and ends the request with a 400 problem details when it fails. The project's own
/// because the WolverineFx.Http.FluentValidation glue is not available here (docs/adr/0003).
/// </summary>
public sealed class ValidationPolicy : IHttpPolicy
{
    public void Apply(IReadOnlyList<HttpChain> chains, GenerationRules rules, IServiceContainer container)
    {
        foreach (var chain in chains.Where(c => c.HasRequestType))
        {
            var validator = typeof(IValidator<>).MakeGenericType(chain.RequestType!);
            if (!container.RegistrationsFor(validator).Any())
            {
                continue;
            }

            chain.Metadata.ProducesValidationProblem();
            var method = typeof(RequestValidation).GetMethod(nameof(RequestValidation.ValidateAsync))!.MakeGenericMethod(chain.RequestType!);
            var call = new MethodCall(typeof(RequestValidation), method) { CommentText = "FluentValidation of the request body" };
            chain.Middleware.InsertRange(0, [call, new MaybeEndWithResultFrame(call.ReturnVariable!)]);
        }
    }
}

public static class RequestValidation
{
    /// <summary>Null continues the pipeline; a problem result ends it.</summary>
    public static async Task<IResult> ValidateAsync<T>(T? request, IValidator<T> validator, CancellationToken cancellation)
    {
        if (request is null)
        {
            return Results.Problem(Problems.From(new Deciding.Refusal(Deciding.RefusalKind.Invalid, "body.required", "A JSON body is required.", "body")));
        }

        var result = await validator.ValidateAsync(request, cancellation);
        return result.IsValid ? WolverineContinue.Result() : Results.Problem(Problems.From(result.Errors));
    }
}
