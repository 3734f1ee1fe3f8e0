using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using FluentValidation;
using FluentValidation.Internal;
using FluentValidation.Validators;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Merit.Infrastructure;

/// <summary>
/// Writes each request type's FluentValidation rules into its schema, so that a client or a generator sees what the
/// server will refuse before sending it: <c>required</c> (NotNull, NotEmpty), <c>minLength</c>/<c>maxLength</c>,
/// <c>minimum</c>/<c>maximum</c> (Between, GreaterThan…, LessThan…), <c>pattern</c> (Matches), <c>enum</c>
/// (<see cref="EnumNameValidator{T, TEnum}"/>), <c>format: date</c> (<see cref="IsoDateValidator{T}"/>). It reads the validators
/// the Host registers, through <see cref="IValidator.CreateDescriptor"/>; a rule with no JSON Schema equivalent (a
/// <c>Must</c>) stays the server's alone. A rule under a condition (<c>When</c>) never makes its member required.
/// No package does this for Microsoft.AspNetCore.OpenApi 10 on the registry here (docs/adr/0003).
/// </summary>
public sealed class ValidationRulesInSchemas : IOpenApiSchemaTransformer
{
    private readonly ConcurrentDictionary<Type, IValidatorDescriptor?> descriptors = new();
    private readonly NullabilityInfoContext nullability = new();

    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(context);
        TypeStrings(schema, context);
        if (context.JsonPropertyInfo is null && schema.Properties is { Count: > 0 } properties
            && descriptors.GetOrAdd(context.JsonTypeInfo.Type, type => Describe(type, context.ApplicationServices)) is { } descriptor)
        {
            foreach (var property in context.JsonTypeInfo.Properties)
            {
                if (property.AttributeProvider is MemberInfo member && properties.TryGetValue(property.Name, out var target))
                {
                    Apply(schema, property.Name, target as OpenApiSchema, descriptor.GetValidatorsForMember(member.Name));
                }
            }
        }

        return Task.CompletedTask;
    }

    private static IValidatorDescriptor? Describe(Type type, IServiceProvider services) =>
        services.GetService(typeof(IValidator<>).MakeGenericType(type)) is IValidator validator ? validator.CreateDescriptor() : null;

    private static void Apply(OpenApiSchema parent, string name, OpenApiSchema? target, IEnumerable<(IPropertyValidator Validator, IRuleComponent Options)> rules)
    {
        foreach (var (validator, options) in rules)
        {
            var unconditional = !options.HasCondition && !options.HasAsyncCondition;
            switch (validator)
            {
                case INotNullValidator or INotEmptyValidator when unconditional:
                    parent.Required ??= new HashSet<string>(StringComparer.Ordinal);
                    parent.Required.Add(name);
                    break;
            }

            if (target is null)
            {
                continue; // a reference (an enumeration, a nested type): its schema is shared, and says what it says
            }

            switch (validator)
            {
                case INotEmptyValidator when IsText(target):
                    target.MinLength = Math.Max(target.MinLength ?? 0, 1);
                    break;
                case INotEmptyValidator when target.Type?.HasFlag(JsonSchemaType.Array) == true:
                    target.MinItems = Math.Max(target.MinItems ?? 0, 1);
                    break;
                case ILengthValidator length:
                    if (length.Min > 0)
                    {
                        target.MinLength = length.Min;
                    }

                    if (length.Max >= 0)
                    {
                        target.MaxLength = length.Max;
                    }

                    break;
                case IRegularExpressionValidator regex:
                    target.Pattern = regex.Expression;
                    break;
                case IBetweenValidator between when Number(between.From) is { } from && Number(between.To) is { } to:
                    if (validator.Name == "ExclusiveBetweenValidator")
                    {
                        target.ExclusiveMinimum = from;
                        target.ExclusiveMaximum = to;
                    }
                    else
                    {
                        target.Minimum = from;
                        target.Maximum = to;
                    }

                    break;
                case IComparisonValidator { MemberToCompare: null } comparison when Number(comparison.ValueToCompare) is { } bound:
                    switch (comparison.Comparison)
                    {
                        case Comparison.GreaterThanOrEqual: target.Minimum = bound; break;
                        case Comparison.GreaterThan: target.ExclusiveMinimum = bound; break;
                        case Comparison.LessThanOrEqual: target.Maximum = bound; break;
                        case Comparison.LessThan: target.ExclusiveMaximum = bound; break;
                    }

                    break;
                case IEnumNameValidator names:
                    target.Enum = [.. names.Names.Select(n => (JsonNode)JsonValue.Create(n))];
                    if (target.Type?.HasFlag(JsonSchemaType.Null) == true)
                    {
                        target.Enum.Add(null!); // an absent value stays valid where the member may be null
                    }

                    break;
                case IIsoDateValidator:
                    target.Format = "date";
                    target.Pattern ??= Career.IsoDate.Pattern;
                    break;
            }
        }
    }

    /// <summary>
    /// Strings read through a converter of the Host's own (<see cref="MalformedInput.NoNulStrings"/>) come out of the
    /// JSON schema exporter with no type at all, and lists of them with no items: they are strings, null where the
    /// member is declared nullable.
    /// </summary>
    private void TypeStrings(OpenApiSchema schema, OpenApiSchemaTransformerContext context)
    {
        TypeStrings(schema, context.JsonTypeInfo.Type, context.JsonPropertyInfo?.AttributeProvider);
        if (schema.Type?.HasFlag(JsonSchemaType.Array) == true && schema.Items is null && context.JsonTypeInfo.ElementType == typeof(string))
        {
            schema.Items = new OpenApiSchema { Type = JsonSchemaType.String };
        }

        if (context.JsonPropertyInfo is null && schema.Properties is { Count: > 0 } properties)
        {
            // The members first, so that the rules below see them typed (their own turn comes after their parent's).
            foreach (var property in context.JsonTypeInfo.Properties)
            {
                if (properties.TryGetValue(property.Name, out var member) && member is OpenApiSchema inline)
                {
                    TypeStrings(inline, property.PropertyType, property.AttributeProvider);
                }
            }
        }
    }

    private void TypeStrings(OpenApiSchema schema, Type type, ICustomAttributeProvider? member)
    {
        if (type != typeof(string) || schema.Type is not null || schema.AnyOf is { Count: > 0 } || schema.OneOf is { Count: > 0 })
        {
            return;
        }

        schema.Type = IsNullable(member) ? JsonSchemaType.String | JsonSchemaType.Null : JsonSchemaType.String;
    }

    private bool IsNullable(ICustomAttributeProvider? member) => member switch
    {
        PropertyInfo p => nullability.Create(p).ReadState != NullabilityState.NotNull,
        FieldInfo f => nullability.Create(f).ReadState != NullabilityState.NotNull,
        _ => false,
    };

    private static bool IsText(OpenApiSchema schema) => schema.Type?.HasFlag(JsonSchemaType.String) == true && schema.Type?.HasFlag(JsonSchemaType.Integer) != true && schema.Type?.HasFlag(JsonSchemaType.Number) != true;

    private static string? Number(object? value) => value switch
    {
        int or long or short or byte or decimal or double or float => Convert.ToString(value, CultureInfo.InvariantCulture),
        _ => null,
    };
}

/// <summary>A rule whose accepted values are the names of an enumeration: the schema lists them as its <c>enum</c>.</summary>
public interface IEnumNameValidator
{
    IReadOnlyList<string> Names { get; }
}

/// <summary>A rule whose value is an ISO date (<c>yyyy-MM-dd</c>): the schema says <c>format: date</c>.</summary>
public interface IIsoDateValidator;

/// <summary>
/// The name of a member of <typeparamref name="TEnum"/>, exactly as declared (never a number); null passes where the
/// member is <paramref name="optional"/>.
/// </summary>
public sealed class EnumNameValidator<T, TEnum>(bool optional) : PropertyValidator<T, string?>, IEnumNameValidator
    where TEnum : struct, Enum
{
    public override string Name => "EnumNameValidator";

    public IReadOnlyList<string> Names { get; } = Enum.GetNames<TEnum>();

    public override bool IsValid(ValidationContext<T> context, string? value) =>
        value is null ? optional : Career.CareerCodes.IsEnum<TEnum>(value);

    protected override string GetDefaultMessageTemplate(string errorCode) => "{PropertyName} must be one of " + string.Join(", ", Names) + ".";
}

/// <summary>An ISO date, <c>yyyy-MM-dd</c>, that is a real day; null passes where the member is <paramref name="optional"/>.</summary>
public sealed class IsoDateValidator<T>(bool optional) : PropertyValidator<T, string?>, IIsoDateValidator
{
    public override string Name => "IsoDateValidator";

    public override bool IsValid(ValidationContext<T> context, string? value) => value is null ? optional : Career.IsoDate.IsValid(value);

    protected override string GetDefaultMessageTemplate(string errorCode) => "{PropertyName} must be an ISO date (yyyy-MM-dd).";
}
