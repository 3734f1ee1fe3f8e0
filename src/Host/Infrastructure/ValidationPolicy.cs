using FluentValidation;
using JasperFx;
using JasperFx.CodeGeneration;
using JasperFx.CodeGeneration.Frames;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;
using Wolverine.Http.CodeGen;

namespace Merit.Infrastructure;

/// <summary>
/// Checks every endpoint's request body before the endpoint, inside Wolverine's generated pipeline, and ends the
/// request with a 400 problem details when it fails: a body that is absent or <c>null</c>, a member declared
/// non-nullable that is null at any depth (<see cref="RequestShape"/>), then the body's FluentValidation validator
/// where it has one. The project's own because the WolverineFx.Http.FluentValidation glue is not available here
/// (docs/adr/0003).
/// </summary>
public sealed class ValidationPolicy : IHttpPolicy
{
    public void Apply(IReadOnlyList<HttpChain> chains, GenerationRules rules, IServiceContainer container)
    {
        foreach (var chain in chains.Where(c => c.HasRequestType))
        {
            var validator = typeof(IValidator<>).MakeGenericType(chain.RequestType!);
            var validated = container.RegistrationsFor(validator).Any();
            chain.Metadata.ProducesValidationProblem();
            var method = typeof(RequestValidation).GetMethod(validated ? nameof(RequestValidation.ValidateAsync) : nameof(RequestValidation.CheckShape))!
                .MakeGenericMethod(chain.RequestType!);
            var call = new MethodCall(typeof(RequestValidation), method) { CommentText = validated ? "Null members, then FluentValidation of the request body" : "Null members of the request body" };
            chain.Middleware.InsertRange(0, [call, new MaybeEndWithResultFrame(call.ReturnVariable!)]);
        }
    }
}

public static class RequestValidation
{
    /// <summary>Continue ends nothing; a problem result ends the request.</summary>
    public static async Task<IResult> ValidateAsync<T>(T? request, IValidator<T> validator, CancellationToken cancellation)
    {
        if (Shape(request) is { } refused)
        {
            return refused;
        }

        var result = await validator.ValidateAsync(request!, cancellation);
        return result.IsValid ? WolverineContinue.Result() : Results.Problem(Problems.From(result.Errors));
    }

    /// <summary>A body without a validator: present, and no member null that is declared non-nullable.</summary>
    public static IResult CheckShape<T>(T? request) => Shape(request) ?? WolverineContinue.Result();

    private static IResult? Shape<T>(T? request)
    {
        if (request is null)
        {
            return Results.Problem(Problems.From(new Deciding.Refusal(Deciding.RefusalKind.Invalid, "body.required", "A JSON body is required.", "body")));
        }

        var missing = RequestShape.MissingMembers(request);
        return missing.Count == 0 ? null : Results.Problem(Problems.From(missing));
    }
}
