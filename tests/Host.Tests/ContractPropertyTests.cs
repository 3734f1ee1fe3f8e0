using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FsCheck;
using FsCheck.Fluent;
using Merit.Testing;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Merit.Tests;

/// <summary>
/// The OpenAPI document held to what the server answers. For every operation, FsCheck generates requests from the
/// operation's own schemas — values that keep the declared rules and values that break one (too long, out of range,
/// not in the enumeration, wrong type, a required member missing) — and sends them with a token of a role the
/// operation admits. Every answer's status must be one the operation declares, its body must match the declared
/// schema (problem details: type, title and the status), and nothing may answer 5xx. A fixed seed and a bounded
/// number of cases per operation keep it reproducible and short.
/// </summary>
[RunsLong]
public partial class ContractPropertyTests(MeritApp app) : IClassFixture<MeritApp>
{
    private const int CasesPerOperation = 4;
    private const ulong Seed = 20261207;

    [Fact]
    public async Task Every_answer_is_declared_and_matches_its_schema()
    {
        var document = (await app.CreateClient().GetFromJsonAsync<JsonObject>("/openapi/v1.json"))!;
        var schemas = document["components"]!["schemas"]!.AsObject();
        var known = await KnownCasesAsync();
        var roles = RolesByOperation();
        var failures = new List<string>();
        var sent = 0;
        var typed = 0;

        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                var generator = new RequestGenerator(schemas, known);
                var cases = Gen.Sample(generator.For(path, operation!), 10, new Rnd(Seed + (ulong)sent), CasesPerOperation);
                var client = roles.TryGetValue((method.ToUpperInvariant(), path), out var admitted) && admitted.Length > 0
                    ? app.ClientAs("contract-tester", admitted)
                    : app.CreateClient();
                foreach (var request in cases)
                {
                    using var message = request.ToMessage(method);
                    using var response = await client.SendAsync(message);
                    sent++;
                    var said = await response.Content.ReadAsStringAsync();
                    typed += response.IsSuccessStatusCode && response.Content.Headers.ContentType?.MediaType == "application/json" ? 1 : 0;
                    foreach (var problem in Check(operation!, response, said, schemas))
                    {
                        failures.Add($"{method.ToUpperInvariant()} {request.Uri} {request.Describe()}: {problem}");
                    }
                }
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {sent} answers break the contract:\n" + string.Join('\n', failures.Take(40)));
        Assert.True(sent >= document["paths"]!.AsObject().Sum(p => p.Value!.AsObject().Count) * CasesPerOperation);
        Assert.True(typed >= 100, $"only {typed} of {sent} answers were successes held to a schema"); // the generated requests reach past refusals
    }

    /// <summary>What is wrong with one answer, held to the operation's declared responses.</summary>
    private static IEnumerable<string> Check(JsonNode operation, HttpResponseMessage response, string body, JsonObject schemas)
    {
        var status = (int)response.StatusCode;
        if (status >= 500)
        {
            yield return $"answered {status}: {Shorten(body)}";
            yield break;
        }

        var responses = operation["responses"]!.AsObject();
        if (responses[status.ToString(CultureInfo.InvariantCulture)] is not { } declared)
        {
            yield return $"answered {status}, which the operation does not declare ({string.Join(", ", responses.Select(r => r.Key))}): {Shorten(body)}";
            yield break;
        }

        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (mediaType is null || body.Length == 0)
        {
            yield break;
        }

        if (mediaType == "application/problem+json")
        {
            var problem = JsonNode.Parse(body);
            if (problem?["type"] is null || problem["title"] is null || (int?)problem["status"] != status)
            {
                yield return $"a {status} problem details without type, title or the status: {Shorten(body)}";
            }

            yield break;
        }

        if (declared["content"]?.AsObject() is not { } content)
        {
            yield return $"answered {mediaType}, but the {status} declares no content";
            yield break;
        }

        if (!content.ContainsKey(mediaType) && !content.Any(c => c.Key.StartsWith(mediaType, StringComparison.Ordinal)))
        {
            yield return $"answered {mediaType}, the {status} declares {string.Join(", ", content.Select(c => c.Key))}";
            yield break;
        }

        if (mediaType.EndsWith("json", StringComparison.Ordinal) && content[mediaType]?["schema"] is { } schema)
        {
            foreach (var violation in SchemaCheck.Violations(JsonNode.Parse(body), schema, schemas, "$"))
            {
                yield return $"the {status} body breaks its schema: {violation}";
            }
        }
    }

    /// <summary>Cases that exist, so that some generated requests reach past "no such case" into the rules.</summary>
    private async Task<Dictionary<string, string>> KnownCasesAsync()
    {
        var api = new RecruitmentApi(app.ClientAs("contract-setup", [.. Merit.Security.Roles.All]));
        var (round, formation, application) = await api.ApplicantReadyForSkdAsync("CPNS-2024-CONTRACT", "3171010101900061");
        return new(StringComparer.Ordinal) { ["roundId"] = round.ToString(), ["formationId"] = formation.ToString(), ["applicationId"] = application.ToString() };
    }

    /// <summary>The roles each operation admits, by method and route as the document writes it (constraints dropped).</summary>
    private Dictionary<(string Method, string Path), string[]> RolesByOperation()
    {
        _ = app.CreateClient();
        return app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is null)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => (Key: (m, Constraint().Replace(e.RoutePattern.RawText!, "}")), Endpoint: e)))
            .GroupBy(e => e.Key)
            .ToDictionary(g => g.Key, g => g.SelectMany(e => Security.EndpointRoles.Of(e.Endpoint)).Distinct(StringComparer.Ordinal).ToArray());
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";

    [GeneratedRegex(":[^}]+}")]
    private static partial Regex Constraint();
}

/// <summary>One generated request: its URI, and its body (JSON, or a multipart file part), if any.</summary>
internal sealed record GeneratedRequest(string Uri, JsonNode? Json, bool HasJsonBody, byte[]? File)
{
    public HttpRequestMessage ToMessage(string method)
    {
        var message = new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), Uri);
        if (HasJsonBody)
        {
            message.Content = new StringContent(Json?.ToJsonString() ?? "null", Encoding.UTF8, "application/json");
        }
        else if (File is not null)
        {
            var form = new MultipartFormDataContent();
            var part = new ByteArrayContent(File);
            part.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
            form.Add(part, "file", "generated.csv");
            message.Content = form;
        }

        return message;
    }

    public string Describe()
    {
        var body = HasJsonBody ? Json?.ToJsonString() ?? "null" : File is null ? "" : $"file of {File.Length} bytes";
        return body.Length <= 200 ? body : body[..200] + "…";
    }
}

/// <summary>Requests from an operation's own schemas: parameters, then a body that keeps the rules or breaks one.</summary>
internal sealed class RequestGenerator(JsonObject schemas, IReadOnlyDictionary<string, string> known)
{
    private const string Letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.";

    public Gen<GeneratedRequest> For(string path, JsonNode operation)
    {
        var parameters = operation["parameters"]?.AsArray().Select(p => p!).ToList() ?? [];
        var parameterGens = parameters.Select(p => Parameter(p)).ToList();
        var body = operation["requestBody"]?["content"]?.AsObject();
        var json = body?["application/json"]?["schema"];
        var multipart = body?.ContainsKey("multipart/form-data") == true;

        var values = parameterGens.Count == 0 ? Gen.Constant(new List<(JsonNode Parameter, string? Value)>()) : Gen.CollectToList(parameterGens).Select(l => l.ToList());
        Gen<(JsonNode? Json, byte[]? File)> bodies = json is not null
            ? Gen.Frequency((3, Valid(json, 0)), (2, Breaking(json))).Select(j => (j, (byte[]?)null))
            : multipart
                ? Gen.Elements("", "a,b\n1,2\n", "\uFEFFcode;name\n\"x\n", "formationCode,registrationNumber\nF-1,1\n").Select(t => ((JsonNode?)null, (byte[]?)Encoding.UTF8.GetBytes(t)))
                : Gen.Constant(((JsonNode?)null, (byte[]?)null));
        return values.SelectMany(_ => bodies, (v, b) => new GeneratedRequest(Uri(path, v), b.Json, json is not null, b.File));
    }

    private static string Uri(string path, List<(JsonNode Parameter, string? Value)> values)
    {
        var query = new List<string>();
        foreach (var (parameter, value) in values)
        {
            var name = (string)parameter["name"]!;
            if ((string?)parameter["in"] == "path")
            {
                path = path.Replace("{" + name + "}", System.Uri.EscapeDataString(value ?? "x"), StringComparison.Ordinal);
            }
            else if ((string?)parameter["in"] == "query" && value is not null)
            {
                query.Add($"{System.Uri.EscapeDataString(name)}={System.Uri.EscapeDataString(value)}");
            }
        }

        return query.Count == 0 ? path : path + "?" + string.Join('&', query);
    }

    private Gen<(JsonNode Parameter, string? Value)> Parameter(JsonNode parameter)
    {
        var name = (string)parameter["name"]!;
        var schema = parameter["schema"] ?? new JsonObject();
        var value = Valid(schema, 0).Select(Text);
        if (known.TryGetValue(name, out var id))
        {
            value = Gen.Frequency((3, Gen.Constant<string?>(id)), (1, value));
        }

        if (parameter["required"]?.GetValue<bool>() != true)
        {
            value = Gen.Frequency((1, Gen.Constant<string?>(null)), (2, value));
        }

        return value.Select(v => (parameter, v));
    }

    private static string? Text(JsonNode? node) => node switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => node.ToJsonString(),
    };

    /// <summary>A value that keeps every rule the schema states.</summary>
    private Gen<JsonNode?> Valid(JsonNode schema, int depth)
    {
        schema = Resolve(schema);
        if (schema["enum"] is JsonArray values && values.Count > 0)
        {
            return Gen.Elements(values.Select(v => v?.DeepClone()).ToArray());
        }

        if ((schema["oneOf"] ?? schema["anyOf"]) is JsonArray branches && branches.Count > 0)
        {
            return Gen.OneOf(branches.Select(b => Valid(b!, depth)));
        }

        var types = Types(schema);
        var type = types.FirstOrDefault(t => t != "null") ?? (schema["properties"] is not null ? "object" : "string");
        return type switch
        {
            "string" => ValidString(schema),
            "integer" => Gen.Choose(Bound(schema, "minimum", 0), Bound(schema, "maximum", 120)).Select(i => (JsonNode?)JsonValue.Create(i)),
            "number" => Gen.Choose(Bound(schema, "minimum", 0), Bound(schema, "maximum", 100)).Select(i => (JsonNode?)JsonValue.Create(i + 0.5 <= Bound(schema, "maximum", 100) ? i + 0.5 : i)),
            "boolean" => Gen.Elements(true, false).Select(b => (JsonNode?)JsonValue.Create(b)),
            "array" when depth < 3 => Gen.Choose(Math.Max(1, (int?)schema["minItems"] ?? 0), 2)
                .SelectMany(n => Gen.ListOf(Valid(schema["items"] ?? new JsonObject(), depth + 1), n))
                .Select(items => (JsonNode?)new JsonArray([.. items.Select(i => i?.DeepClone())])),
            "array" => Gen.Constant<JsonNode?>(new JsonArray()),
            "object" when depth < 3 => ValidObject(schema, depth),
            _ => Gen.Constant<JsonNode?>(new JsonObject()),
        };
    }

    private Gen<JsonNode?> ValidObject(JsonNode schema, int depth)
    {
        var required = Required(schema);
        var members = (schema["properties"]?.AsObject() ?? []).Select(p =>
        {
            var value = Valid(p.Value!, depth + 1).Select(v => (Name: p.Key, Value: v, Present: true));
            return required.Contains(p.Key) ? value : Gen.Frequency((1, Gen.Constant((Name: p.Key, Value: (JsonNode?)null, Present: false))), (2, value));
        });
        return Gen.CollectToList(members).Select(list =>
        {
            var node = new JsonObject();
            foreach (var (name, value, present) in list.Where(m => m.Present))
            {
                node[name] = value?.DeepClone();
            }

            return (JsonNode?)node;
        });
    }

    private static Gen<JsonNode?> ValidString(JsonNode schema)
    {
        switch ((string?)schema["format"])
        {
            case "uuid":
                return Gen.Choose(0, int.MaxValue).Select(i => (JsonNode?)JsonValue.Create(new Guid(i, 0, 0, [0, 0, 0, 0, 0, 0, 0, 1]).ToString()));
            case "date":
                return Gen.Choose(0, 365 * 30).Select(d => (JsonNode?)JsonValue.Create(new DateOnly(2000, 1, 1).AddDays(d).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
            case "date-time":
                return Gen.Choose(0, 365 * 30).Select(d => (JsonNode?)JsonValue.Create(new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.FromHours(7)).AddDays(d).ToString("O", CultureInfo.InvariantCulture)));
        }

        var min = Math.Max(1, (int?)schema["minLength"] ?? 0);
        var max = Math.Max(min, Math.Min((int?)schema["maxLength"] ?? 12, 12));
        var pattern = (string?)schema["pattern"];
        return Gen.Choose(min, max).SelectMany(n => Gen.ArrayOf(Gen.Elements(Letters.ToCharArray()), n))
            .Select(chars => new string(chars))
            .Select(s => pattern is null || Regex.IsMatch(s, pattern) ? s : new string('1', min))
            .Select(s => (JsonNode?)JsonValue.Create(s));
    }

    /// <summary>A value that breaks one rule the schema states: the body keeps everything else.</summary>
    private Gen<JsonNode?> Breaking(JsonNode schema)
    {
        var resolved = Resolve(schema);
        var properties = resolved["properties"]?.AsObject().ToList() ?? [];
        if (properties.Count == 0)
        {
            return Gen.Elements<JsonNode?>(null, JsonValue.Create("text"), new JsonArray());
        }

        return Valid(resolved, 0).SelectMany(
            _ => Gen.Elements(properties.ToArray()).SelectMany(p => Breaks(p.Value!, Required(resolved).Contains(p.Key)).Select(b => (p.Key, b))),
            (valid, broken) =>
            {
                var node = (valid as JsonObject ?? new JsonObject()).DeepClone().AsObject();
                if (broken.b.Drop)
                {
                    node.Remove(broken.Key);
                }
                else
                {
                    node[broken.Key] = broken.b.Value?.DeepClone();
                }

                return (JsonNode?)node;
            });
    }

    private Gen<(JsonNode? Value, bool Drop)> Breaks(JsonNode property, bool required)
    {
        var schema = Resolve(property);
        var wrongType = Types(schema).Contains("string") ? JsonValue.Create(12345) : (JsonNode)JsonValue.Create("wrong-type");
        var ways = new List<(JsonNode? Value, bool Drop)> { (wrongType, false), (new JsonArray(JsonValue.Create(1)), false) };
        if (required)
        {
            ways.Add((null, true));
            ways.Add((null, false));
        }

        if ((int?)schema["maxLength"] is { } max)
        {
            ways.Add((JsonValue.Create(new string('x', max + 1)), false));
        }

        if ((int?)schema["minLength"] is > 0)
        {
            ways.Add((JsonValue.Create(""), false));
        }

        if (schema["minimum"] is { } minimum)
        {
            ways.Add((JsonValue.Create(minimum.GetValue<double>() - 1), false));
        }

        if (schema["maximum"] is { } maximum)
        {
            ways.Add((JsonValue.Create(maximum.GetValue<double>() + 1), false));
        }

        if (schema["enum"] is not null || schema["pattern"] is not null || schema["format"] is not null)
        {
            ways.Add((JsonValue.Create("not-a-\u00e9-value!"), false));
        }

        return Gen.Elements(ways.ToArray());
    }

    private JsonNode Resolve(JsonNode schema)
    {
        while (schema["$ref"] is { } reference)
        {
            schema = schemas[((string)reference!).Split('/')[^1]] ?? new JsonObject();
        }

        return schema;
    }

    private static HashSet<string> Required(JsonNode schema) =>
        [.. schema["required"]?.AsArray().Select(r => (string)r!) ?? []];

    private static List<string> Types(JsonNode schema) => schema["type"] switch
    {
        JsonArray many => [.. many.Select(t => (string)t!)],
        JsonValue one => [(string)one!],
        _ => [],
    };

    private static int Bound(JsonNode schema, string name, int otherwise) =>
        schema[name] is { } bound ? (int)Math.Clamp(bound.GetValue<double>(), -1_000_000, 1_000_000) : otherwise;
}

/// <summary>The part of JSON Schema the document uses: types (with null), $ref, oneOf/anyOf, enum, required, properties, items.</summary>
internal static class SchemaCheck
{
    public static IEnumerable<string> Violations(JsonNode? value, JsonNode schema, JsonObject schemas, string at)
    {
        while (schema["$ref"] is { } reference)
        {
            schema = schemas[((string)reference!).Split('/')[^1]]!;
        }

        if ((schema["oneOf"] ?? schema["anyOf"]) is JsonArray branches && branches.Count > 0)
        {
            if (!branches.Any(b => !Violations(value, b!, schemas, at).Any()))
            {
                yield return $"{at}: {Shorten(value)} matches none of its {branches.Count} alternatives";
            }

            yield break;
        }

        var types = schema["type"] switch
        {
            JsonArray many => many.Select(t => (string)t!).ToList(),
            JsonValue one => [(string)one!],
            _ => [],
        };
        var kind = Kind(value);
        if (types.Count > 0 && !types.Contains(kind) && !(kind == "integer" && types.Contains("number")))
        {
            yield return $"{at}: {kind}, declared {string.Join(" or ", types)}";
            yield break;
        }

        if (schema["enum"] is JsonArray values && !values.Any(v => JsonNode.DeepEquals(v, value)))
        {
            yield return $"{at}: {Shorten(value)} is not in its enumeration";
        }

        if (value is JsonObject node)
        {
            foreach (var name in schema["required"]?.AsArray().Select(r => (string)r!) ?? [])
            {
                if (!node.ContainsKey(name))
                {
                    yield return $"{at}.{name}: required, absent";
                }
            }

            var properties = schema["properties"]?.AsObject();
            foreach (var (name, member) in node)
            {
                var memberSchema = properties?[name] ?? schema["additionalProperties"] as JsonObject;
                if (memberSchema is not null)
                {
                    foreach (var violation in Violations(member, memberSchema, schemas, $"{at}.{name}"))
                    {
                        yield return violation;
                    }
                }
            }
        }

        if (value is JsonArray items && schema["items"] is { } itemSchema)
        {
            for (var i = 0; i < items.Count; i++)
            {
                foreach (var violation in Violations(items[i], itemSchema, schemas, $"{at}[{i}]"))
                {
                    yield return violation;
                }
            }
        }
    }

    private static string Kind(JsonNode? value) => value?.GetValueKind() switch
    {
        null or JsonValueKind.Null => "null",
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Number => value!.ToJsonString().IndexOfAny(['.', 'e', 'E']) < 0 ? "integer" : "number",
        _ => "unknown",
    };

    private static string Shorten(JsonNode? value)
    {
        var text = value?.ToJsonString() ?? "null";
        return text.Length <= 80 ? text : text[..80] + "…";
    }
}
