using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Marten;
using Merit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Merit.Tests.Security;

/// <summary>
/// Every operation of the OpenAPI document, read from the running host, sent what a careless or hostile client
/// sends: no body, <c>null</c>, a body of the wrong kind, each member null or of the wrong type at every depth, a
/// body over the limit, broken multipart on the imports, a NUL byte or a wrong type in every query filter, a date-time
/// with a WIB offset. Each answer is a 4xx problem details (never a 5xx), a wrongly typed member is named, a refused
/// request appends no event, and the log holds one line per malformed request: nothing at error level, no stack trace.
/// The caller holds every role and every round, so no answer is a 401 or 403 that would hide the body's fate.
/// </summary>
public class MalformedInputTests(MalformedInputTests.LoggedApp app) : IClassFixture<MalformedInputTests.LoggedApp>
{
    private const string MalformedLogLine = "Malformed request";

    private static readonly string[] Methods = ["GET", "POST", "PUT", "DELETE", "PATCH"];

    [Fact]
    public async Task Every_JSON_body_malformed_in_any_way_is_a_4xx_problem_that_appends_nothing()
    {
        var (client, document, ids) = await PrepareAsync();
        var mark = app.Log.Mark();
        var sent = 0;
        foreach (var operation in Operations(document).Where(o => o.JsonBody is not null))
        {
            var route = Route(operation, ids);
            var body = Sample(document, operation.JsonBody, 0)!;

            foreach (var (what, text) in WholeBodies(body))
            {
                var response = await SendAsync(client, operation.Method, route, text, "application/json");
                await AssertRefusedAsync(response, $"{operation} with {what}");
                sent++;
            }

            var empty = await SendAsync(client, operation.Method, route, "{}", "application/json");
            await AssertNoServerErrorAsync(empty, $"{operation} with {{}}");

            foreach (var (path, mutated, expectation) in Mutations(document, operation.JsonBody, body))
            {
                var response = await SendAsync(client, operation.Method, route, mutated.ToJsonString(), "application/json");
                var context = $"{operation} with {path} {expectation}";
                if (expectation == Expectation.WrongType)
                {
                    var problem = await AssertRefusedAsync(response, context);
                    var field = path.Split('.', '[')[^1].TrimEnd(']');
                    Assert.True(problem.Contains(field, StringComparison.OrdinalIgnoreCase), $"{context}: the problem does not name '{field}': {problem}");
                }
                else
                {
                    await AssertNoServerErrorAsync(response, context);
                }

                sent++;
            }
        }

        Assert.True(sent > 500, $"only {sent} bodies sent");
        app.Log.AssertOneLinePerMalformedRequest(mark);
    }

    [Fact]
    public async Task Broken_multipart_on_every_import_is_a_400_problem_that_appends_nothing()
    {
        var (client, document, ids) = await PrepareAsync();
        var mark = app.Log.Mark();
        var imports = Operations(document).Where(o => o.Multipart).ToList();
        Assert.True(imports.Count >= 2, "the import endpoints are in the document");

        foreach (var operation in imports)
        {
            var route = Route(operation, ids);
            foreach (var (what, content) in BrokenMultipart())
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, route) { Content = content };
                var response = await client.SendAsync(request);
                var problem = await AssertRefusedAsync(response, $"{operation} with {what}");
                if (what is "no file part" or "a text field named file")
                {
                    Assert.Contains("file", problem, StringComparison.Ordinal);
                }
            }
        }

        app.Log.AssertOneLinePerMalformedRequest(mark);
    }

    [Fact]
    public async Task Every_query_filter_with_a_NUL_byte_or_the_wrong_type_is_a_400_problem()
    {
        var (client, document, ids) = await PrepareAsync();
        var mark = app.Log.Mark();
        var filters = 0;
        foreach (var operation in Operations(document).Where(o => o.Query.Count > 0))
        {
            var route = Route(operation, ids);
            foreach (var (name, schema) in operation.Query)
            {
                var nul = await SendAsync(client, operation.Method, $"{route}?{name}=a%00b", null, null);
                Assert.Equal(HttpStatusCode.BadRequest, nul.StatusCode);
                await AssertRefusedAsync(nul, $"{operation} with a NUL byte in {name}");

                if (WrongQueryValue(document, schema) is { } wrong)
                {
                    var typed = await SendAsync(client, operation.Method, $"{route}?{name}={Uri.EscapeDataString(wrong)}", null, null);
                    await AssertRefusedAsync(typed, $"{operation} with {name}={wrong}");
                }

                filters++;
            }
        }

        Assert.True(filters > 30, $"only {filters} query filters tried");
        app.Log.AssertOneLinePerMalformedRequest(mark);
    }

    [Fact]
    public async Task A_date_time_with_an_offset_is_the_same_instant_as_in_UTC()
    {
        var (client, document, ids) = await PrepareAsync();
        var application = ids["applicationId"];
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/applications/{application}/personal-data")).StatusCode);

        // WIB (+07:00) as Indonesian clients send it, and the same instants in UTC: the same entries.
        var wib = await client.GetStringAsync($"/personal-data/access-log?from={Uri.EscapeDataString("2000-01-01T07:00:00+07:00")}&to={Uri.EscapeDataString("2100-01-01T07:00:00+07:00")}");
        var utc = await client.GetStringAsync("/personal-data/access-log?from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z");
        Assert.Equal(utc, wib);
        Assert.Contains(application.ToString(), wib, StringComparison.Ordinal);

        // A window that ends before the read, given in WIB, holds nothing of it.
        var before = await client.GetStringAsync($"/personal-data/access-log?from={Uri.EscapeDataString("2000-01-01T07:00:00+07:00")}&to={Uri.EscapeDataString("2000-01-02T07:00:00+07:00")}");
        Assert.DoesNotContain(application.ToString(), before, StringComparison.Ordinal);

        // Every date-time filter of the document takes an offset without a 5xx.
        foreach (var operation in Operations(document))
        {
            foreach (var (name, _) in operation.Query.Where(q => IsDateTime(document, q.Schema)))
            {
                var response = await SendAsync(client, operation.Method, $"{Route(operation, ids)}?{name}={Uri.EscapeDataString("2026-12-07T10:00:00+07:00")}", null, null);
                await AssertNoServerErrorAsync(response, $"{operation} with {name} in WIB");
            }
        }
    }

    [Fact]
    public async Task A_wrong_method_on_an_existing_path_is_405_naming_the_allowed_ones()
    {
        var (client, document, ids) = await PrepareAsync();
        var paths = document["paths"]!.AsObject();
        var tried = 0;
        foreach (var (path, item) in paths)
        {
            var declared = item!.AsObject().Select(m => m.Key.ToUpperInvariant()).ToHashSet();
            var route = Route(new Operation("GET", path, null, false, [], [.. PathParameters(item)]), ids);
            foreach (var method in Methods.Where(m => !declared.Contains(m)))
            {
                if (OtherPathServes(paths, path, method))
                {
                    continue; // a parameter of another path matches this one's literal segment
                }

                var response = await SendAsync(client, method, route, method is "GET" or "DELETE" ? null : "{}", method is "GET" or "DELETE" ? null : "application/json");
                Assert.True(response.StatusCode == HttpStatusCode.MethodNotAllowed, $"{method} {route}: {(int)response.StatusCode}");
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                Assert.Subset(declared, response.Content.Headers.Allow.ToHashSet());
                tried++;
            }
        }

        Assert.True(tried > 100, $"only {tried} wrong methods tried");
    }

    private async Task<(HttpClient Client, JsonObject Document, Dictionary<string, Guid> Ids)> PrepareAsync()
    {
        var client = app.ClientAs("fuzz", [.. Merit.Security.Roles.All]);
        var document = (await client.GetFromJsonAsync<JsonObject>("/openapi/v1.json"))!;
        var (round, formation, application) = await app.Prepared.Value;
        return (client, document, new Dictionary<string, Guid> { ["roundId"] = round, ["formationId"] = formation, ["applicationId"] = application });
    }

    /// <summary>Sends and, when the answer is a refusal, checks that nothing was appended meanwhile.</summary>
    private async Task<HttpResponseMessage> SendAsync(HttpClient client, string method, string route, string? body, string? mediaType)
    {
        await using var session = app.Store.QuerySession();
        var before = await session.Events.QueryAllRawEvents().CountAsync();
        using var request = new HttpRequestMessage(new HttpMethod(method), route);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, mediaType!);
        }

        var response = await client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        if ((int)response.StatusCode is >= 400 and < 500)
        {
            Assert.True(before == await session.Events.QueryAllRawEvents().CountAsync(), $"{method} {route} answered {(int)response.StatusCode} and appended events");
        }

        return response;
    }

    private static async Task<string> AssertRefusedAsync(HttpResponseMessage response, string context)
    {
        var text = await response.Content.ReadAsStringAsync();
        var status = (int)response.StatusCode;
        Assert.True(status is >= 400 and < 500, $"{context}: {status} {Shorten(text)}");
        Assert.True(status is not (401 or 403), $"{context}: {status}, the fuzzing token may call every operation");
        Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json", $"{context}: {status} as {response.Content.Headers.ContentType}: {Shorten(text)}");
        Assert.Equal(status, JsonNode.Parse(text)!["status"]!.GetValue<int>());
        return text;
    }

    private async Task AssertNoServerErrorAsync(HttpResponseMessage response, string context)
    {
        var status = (int)response.StatusCode;
        Assert.True(status < 500, $"{context}: {status} {Shorten(await response.Content.ReadAsStringAsync())} {app.Log.LastException()}");
        if (status >= 400)
        {
            await AssertRefusedAsync(response, context);
        }
    }

    private static IEnumerable<(string What, string Text)> WholeBodies(JsonNode sample)
    {
        yield return ("an empty body", "");
        yield return ("null", "null");
        yield return ("an array", "[]");
        yield return ("a string", "\"text\"");
        yield return ("a number", "42");
        yield return ("a truncated object", "{\"a\":");
        if (WithNul(sample.DeepClone()).ToJsonString() is var nul && nul.Contains("\\u0000", StringComparison.Ordinal))
        {
            yield return ("a NUL character in every string", nul);
        }

        yield return ("a body over 1 MiB", "{\"padding\":\"" + new string('x', 1_100_000) + "\"}");
    }

    private static JsonNode WithNul(JsonNode node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var key in o.Select(p => p.Key).ToList())
                {
                    o[key] = o[key] is { } child ? WithNul(child) : null;
                }

                return o;
            case JsonArray a:
                a.Add("a\u0000b");
                return a;
            case JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.String:
                return JsonValue.Create(v.GetValue<string>() + "\u0000")!;
            default:
                return node;
        }
    }

    private enum Expectation
    {
        Null,
        NullElement,
        WrongType,
    }

    /// <summary>The sample body with one member changed: null, a null element, a value of the wrong JSON type; at every depth.</summary>
    private static IEnumerable<(string Path, JsonNode Body, Expectation Expectation)> Mutations(JsonObject document, JsonNode? schema, JsonNode sample)
    {
        foreach (var (path, memberSchema) in Members(document, schema, "", 0))
        {
            yield return (path, Replace(sample, path, null), Expectation.Null);
            var resolved = Resolve(document, memberSchema);
            if (Type(resolved) == "array")
            {
                yield return (path, Replace(sample, path, new JsonArray((JsonNode?)null)), Expectation.NullElement);
            }
            else if (Type(resolved) == "object" && resolved?["additionalProperties"] is not null && resolved["properties"] is null)
            {
                yield return (path, Replace(sample, path, new JsonObject { ["key"] = null }), Expectation.NullElement);
            }

            yield return (path, Replace(sample, path, WrongValue(document, memberSchema)), Expectation.WrongType);
        }
    }

    private static IEnumerable<(string Path, JsonNode? Schema)> Members(JsonObject document, JsonNode? schema, string prefix, int depth)
    {
        var resolved = Resolve(document, schema);
        if (depth > 3 || resolved?["properties"] is not JsonObject properties)
        {
            yield break;
        }

        foreach (var (name, member) in properties)
        {
            var path = prefix.Length == 0 ? name : $"{prefix}.{name}";
            yield return (path, member);
            foreach (var inner in Members(document, member, path, depth + 1))
            {
                yield return inner;
            }
        }
    }

    private static JsonNode Replace(JsonNode sample, string path, JsonNode? value)
    {
        var copy = sample.DeepClone();
        var segments = path.Split('.');
        var target = copy;
        foreach (var segment in segments[..^1])
        {
            target = target[segment]!;
        }

        target[segments[^1]] = value;
        return copy;
    }

    /// <summary>A value no member of this schema accepts: an object where a scalar or list is expected, a number where an object is.</summary>
    private static JsonNode WrongValue(JsonObject document, JsonNode? schema) =>
        Type(Resolve(document, schema)) == "object" ? JsonValue.Create(12345) : new JsonObject { ["wrong"] = true };

    private static string? WrongQueryValue(JsonObject document, JsonNode? schema)
    {
        var resolved = Resolve(document, schema);
        return resolved?["format"]?.GetValue<string>() switch
        {
            "uuid" => "not-a-uuid",
            "date-time" or "date" => "yesterday",
            "int32" or "int64" => "twelve",
            _ => resolved?["enum"] is not null ? "NoSuchValue" : null,
        };
    }

    private static bool IsDateTime(JsonObject document, JsonNode? schema) => Resolve(document, schema)?["format"]?.GetValue<string>() == "date-time";

    /// <summary>A body of the right shape from the schema: each member present with a value of its type.</summary>
    private static JsonNode? Sample(JsonObject document, JsonNode? schema, int depth)
    {
        var resolved = Resolve(document, schema);
        if (resolved is null || depth > 6)
        {
            return JsonValue.Create("x");
        }

        if (resolved["enum"] is JsonArray values)
        {
            return values[0]!.DeepClone();
        }

        switch (Type(resolved))
        {
            case "object" when resolved["properties"] is JsonObject properties:
                var result = new JsonObject();
                foreach (var (name, member) in properties)
                {
                    result[name] = Sample(document, member, depth + 1);
                }

                return result;
            case "object":
                return new JsonObject();
            case "array":
                return new JsonArray();
            case "integer" or "number":
                return JsonValue.Create(1);
            case "boolean":
                return JsonValue.Create(false);
            default:
                return resolved["format"]?.GetValue<string>() switch
                {
                    "uuid" => JsonValue.Create(Guid.NewGuid().ToString()),
                    "date-time" => JsonValue.Create("2026-12-01T00:00:00Z"),
                    "date" => JsonValue.Create("2026-12-01"),
                    _ => JsonValue.Create("x"),
                };
        }
    }

    private static JsonNode? Resolve(JsonObject document, JsonNode? schema)
    {
        for (var i = 0; i < 10 && schema?["$ref"] is JsonValue reference; i++)
        {
            schema = document["components"]!["schemas"]![reference.GetValue<string>().Split('/')[^1]];
        }

        return schema;
    }

    /// <summary>The schema's JSON type, the non-null one of a nullable union; an object when it only lists properties.</summary>
    private static string? Type(JsonNode? schema) => schema?["type"] switch
    {
        JsonValue single => single.GetValue<string>(),
        JsonArray union => union.Select(t => t!.GetValue<string>()).FirstOrDefault(t => t != "null" && t != "string") ?? union.Select(t => t!.GetValue<string>()).FirstOrDefault(t => t != "null"),
        _ => schema?["properties"] is not null ? "object" : null,
    };

    private static IEnumerable<(string What, HttpContent Content)> BrokenMultipart()
    {
        yield return ("no body", new ByteArrayContent([]));
        yield return ("a JSON body", new StringContent("{\"file\":\"a,b\"}", Encoding.UTF8, "application/json"));
        yield return ("a form without a file", new FormUrlEncodedContent([new("file", "a,b\n1,2")]));

        var noBoundary = new ByteArrayContent(Encoding.ASCII.GetBytes("--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\na,b\r\n--x--\r\n"));
        noBoundary.Headers.TryAddWithoutValidation("Content-Type", "multipart/form-data");
        yield return ("multipart without a boundary", noBoundary);

        var truncated = new ByteArrayContent(Encoding.ASCII.GetBytes("--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\na,b\r\n1,2"));
        truncated.Headers.TryAddWithoutValidation("Content-Type", "multipart/form-data; boundary=x");
        yield return ("a truncated part", truncated);

        var wrongBoundary = new ByteArrayContent(Encoding.ASCII.GetBytes("--y\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\na,b\r\n--y--\r\n"));
        wrongBoundary.Headers.TryAddWithoutValidation("Content-Type", "multipart/form-data; boundary=x");
        yield return ("a boundary that never occurs", wrongBoundary);

        var noHeaders = new ByteArrayContent(Encoding.ASCII.GetBytes("--x\r\n\r\na,b\r\n--x--\r\n"));
        noHeaders.Headers.TryAddWithoutValidation("Content-Type", "multipart/form-data; boundary=x");
        yield return ("a part without a disposition", noHeaders);

        var other = new MultipartFormDataContent { { new StringContent("a,b"), "note" } };
        yield return ("no file part", other);

        var textField = new MultipartFormDataContent { { new StringContent("a,b\n1,2"), "file" } };
        yield return ("a text field named file", textField);
    }

    private sealed record Operation(string Method, string Path, JsonNode? JsonBody, bool Multipart, List<(string Name, JsonNode? Schema)> Query, List<(string Name, JsonNode? Schema)> PathParameters)
    {
        public override string ToString() => $"{Method} {Path}";
    }

    private static IEnumerable<Operation> Operations(JsonObject document)
    {
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                var content = operation!["requestBody"]?["content"];
                var parameters = operation["parameters"]?.AsArray() ?? [];
                yield return new Operation(
                    method.ToUpperInvariant(),
                    path,
                    content?["application/json"]?["schema"],
                    content?["multipart/form-data"] is not null,
                    [.. parameters.Where(p => p!["in"]!.GetValue<string>() == "query").Select(p => (p!["name"]!.GetValue<string>(), p["schema"]))],
                    [.. parameters.Where(p => p!["in"]!.GetValue<string>() == "path").Select(p => (p!["name"]!.GetValue<string>(), p["schema"]))]);
            }
        }
    }

    private static IEnumerable<(string Name, JsonNode? Schema)> PathParameters(JsonNode? item) =>
        item!.AsObject().SelectMany(o => o.Value!["parameters"]?.AsArray() ?? [])
            .Where(p => p!["in"]!.GetValue<string>() == "path")
            .Select(p => (p!["name"]!.GetValue<string>(), p["schema"]))
            .DistinctBy(p => p.Item1);

    /// <summary>The path with its parameters filled: the prepared round's ids where the name says so, a well-formed value otherwise.</summary>
    private static string Route(Operation operation, Dictionary<string, Guid> ids)
    {
        var route = operation.Path;
        foreach (var (name, schema) in operation.PathParameters)
        {
            var value = ids.TryGetValue(name, out var id) ? id.ToString()
                : schema?["format"]?.GetValue<string>() switch
                {
                    "uuid" => Guid.NewGuid().ToString(),
                    "int32" or "int64" => "1",
                    _ => name switch { "kind" => "formations", "format" => "csv", _ => "x" },
                };
            route = route.Replace($"{{{name}}}", value, StringComparison.Ordinal);
        }

        return route;
    }

    /// <summary>Whether another path, with a parameter where this one has a literal segment, declares the method.</summary>
    private static bool OtherPathServes(JsonObject paths, string path, string method)
    {
        var segments = path.Split('/');
        return paths.Any(other => other.Key != path
            && other.Value!.AsObject().Any(m => m.Key.Equals(method, StringComparison.OrdinalIgnoreCase))
            && other.Key.Split('/') is var theirs && theirs.Length == segments.Length
            && theirs.Zip(segments).All(s => s.First == s.Second || s.First.StartsWith('{') || s.Second.StartsWith('{')));
    }

    private static string Shorten(string text) => text.Length > 300 ? text[..300] + "…" : text;

    /// <summary>The Host with every log entry kept, to hold malformed input to one line without a stack trace.</summary>
    public sealed class LoggedApp : MeritApp
    {
        public LoggedApp() => Prepared = new(() => new RecruitmentApi(CreateClient()).ApplicantReadyForSkdAsync("CPNS-2024-MALFORMED", "3171010101900071"));

        public LogRecorder Log { get; } = new();

        /// <summary>A round with a formation and an applicant, so the ids in the paths exist.</summary>
        public Lazy<Task<(Guid Round, Guid Formation, Guid Application)>> Prepared { get; }

        protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<ILoggerProvider>(Log);
    }

    public sealed record LogEntry(LogLevel Level, string Category, string Message, Exception? Exception);

    public sealed class LogRecorder : ILoggerProvider
    {
        private readonly ConcurrentQueue<LogEntry> entries = new();

        public int Mark() => entries.Count;

        /// <summary>The latest exception logged, to say why an answer was a 5xx.</summary>
        public string? LastException() => entries.LastOrDefault(e => e.Exception is not null)?.Exception?.ToString().Split('\n').Take(12) is { } lines ? string.Join('\n', lines) : null;

        public ILogger CreateLogger(string categoryName) => new Recorder(this, categoryName);

        public void Dispose()
        {
        }

        public void AssertOneLinePerMalformedRequest(int mark)
        {
            var since = entries.Skip(mark).ToList();
            Assert.Contains(since, e => e.Level == LogLevel.Warning && (e.Message.Contains(MalformedLogLine, StringComparison.Ordinal) || e.Message.Contains("deserialize", StringComparison.Ordinal)));
            var loud = since.Where(e => e.Level >= LogLevel.Error || e.Exception is not null || e.Message.Contains('\n', StringComparison.Ordinal)).ToList();
            Assert.True(loud.Count == 0, string.Join("\n---\n", loud.Take(5).Select(e => $"{e.Level} {e.Category}: {e.Message} {e.Exception}")));
        }

        private sealed class Recorder(LogRecorder owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel is >= LogLevel.Information and < LogLevel.None;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (IsEnabled(logLevel))
                {
                    owner.entries.Enqueue(new LogEntry(logLevel, category, formatter(state, exception), exception));
                }
            }
        }
    }
}
