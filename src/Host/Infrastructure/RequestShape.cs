using Merit.Localization;
using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;
using FluentValidation.Results;

namespace Merit.Infrastructure;

/// <summary>
/// What JSON cannot say about a request body and C# can: which members may be null. Before any validator or endpoint
/// reads a body, every member declared non-nullable (the request records' own nullable annotations) that arrived
/// null or missing is named, at any depth: a member of a nested record, an element of a list, a value of a
/// dictionary. So <c>{}</c>, <c>{"cells": null}</c> and <c>{"instansi": [null]}</c> are a 400 naming the field,
/// never a NullReferenceException in a validator or an endpoint.
/// </summary>
public static class RequestShape
{
    private const int MaximumDepth = 8;

    private static readonly ConcurrentDictionary<Type, Member[]> Members = new();

    private static readonly Assembly Ours = typeof(RequestShape).Assembly;

    /// <summary>The members that are null where their declaration says they cannot be; empty when the body is whole.</summary>
    public static IReadOnlyList<ValidationFailure> MissingMembers(object request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var missing = new List<ValidationFailure>();
        Visit(request, "", 0, missing);
        return missing;
    }

    private static void Visit(object value, string path, int depth, List<ValidationFailure> missing)
    {
        if (depth > MaximumDepth || !IsRequestType(value.GetType()))
        {
            return;
        }

        foreach (var member in Members.GetOrAdd(value.GetType(), Describe))
        {
            var at = path.Length == 0 ? member.Name : $"{path}.{member.Name}";
            var content = member.Property.GetValue(value);
            if (content is null)
            {
                if (member.Required)
                {
                    missing.Add(Missing(at));
                }

                continue;
            }

            VisitContent(content, member.ElementsRequired, at, depth, missing);
        }
    }

    private static void VisitContent(object content, bool elementsRequired, string at, int depth, List<ValidationFailure> missing)
    {
        switch (content)
        {
            case string:
                return;
            case IDictionary dictionary:
                foreach (DictionaryEntry entry in dictionary)
                {
                    Element(entry.Value, elementsRequired, $"{at}.{entry.Key}", depth, missing);
                }

                return;
            case IEnumerable items:
                var index = 0;
                foreach (var item in items)
                {
                    Element(item, elementsRequired, $"{at}[{index++}]", depth, missing);
                }

                return;
            default:
                Visit(content, at, depth + 1, missing);
                return;
        }
    }

    private static void Element(object? item, bool required, string at, int depth, List<ValidationFailure> missing)
    {
        if (item is null)
        {
            if (required)
            {
                missing.Add(Missing(at));
            }

            return;
        }

        VisitContent(item, elementsRequired: true, at, depth + 1, missing);
    }

    private static ValidationFailure Missing(string path) => new(path, Texts.Current.Say($"'{path}' is required and may not be null.")) { ErrorCode = "NotNullValidator" };

    /// <summary>The product's own request records and what they hold; framework and primitive types are not walked.</summary>
    private static bool IsRequestType(Type type) => type.Assembly == Ours && !type.IsEnum;

    private static Member[] Describe(Type type)
    {
        var context = new NullabilityInfoContext();
        return type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            // Only what JSON fills (a setter or init accessor, not ignored): a computed member is never read here,
            // since it may parse what its validator has not checked yet.
            .Where(p => p.CanRead && p.SetMethod is not null && p.GetIndexParameters().Length == 0 && !p.PropertyType.IsValueType
                && p.GetCustomAttribute<System.Text.Json.Serialization.JsonIgnoreAttribute>() is null)
            .Select(p =>
            {
                var info = context.Create(p);
                var element = info.ElementType ?? (info.GenericTypeArguments is { Length: > 0 } arguments ? arguments[^1] : null);
                return new Member(p, Camel(p.Name), info.ReadState == NullabilityState.NotNull, element?.ReadState == NullabilityState.NotNull);
            })
            .ToArray();
    }

    private static string Camel(string name) => char.ToLowerInvariant(name[0]) + name[1..];

    /// <param name="ElementsRequired">For a list or a dictionary: its elements (values) are declared non-nullable.</param>
    private sealed record Member(PropertyInfo Property, string Name, bool Required, bool ElementsRequired);
}
