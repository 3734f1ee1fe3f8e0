using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using JasperFx;
using JasperFx.CodeGeneration;
using Merit.Deciding;
using Merit.Localization;
using Wolverine.Http;

namespace Merit.Infrastructure;

/// <summary>
/// Malformed input is the client's mistake: a 4xx problem details and one line in the log at warning level, never a
/// 500 or a stack trace. General places catch it: a middleware before routing (a NUL byte in the address), one
/// before a file endpoint (its multipart body read and its file parts present), the JSON reader (a NUL character in
/// a string, which PostgreSQL's jsonb cannot hold; an unreadable body is logged as one line), the request-body check
/// of <see cref="ValidationPolicy"/> (null members), and an exception handler for what surfaces while a request runs
/// (a body over the size limit, text PostgreSQL refuses).
/// </summary>
public static partial class MalformedInput
{
    /// <summary>The largest body a command takes (1 MiB); an endpoint that takes files raises it with [RequestSizeLimit].</summary>
    public const long MaxBodyBytes = 1024 * 1024;

    /// <summary>
    /// A problem details for malformed input: <c>urn:merit:refusal:malformed</c>, the status and a sentence, said in the
    /// request's language (docs/adr/0050); the log keeps the English.
    /// </summary>
    public static ProblemDetails Problem(int status, Wording detail)
    {
        var problem = new ProblemDetails
        {
            Type = "urn:merit:refusal:malformed",
            Title = Texts.Current["problem.title.malformed"],
            Status = status,
            Detail = Texts.Current.Say(detail),
        };
        problem.Extensions["code"] = "malformed";
        return problem;
    }

    /// <summary>A NUL byte in the path or the query string (<c>?instansiCode=a%00b</c>) is refused before routing.</summary>
    public static IApplicationBuilder UseNulByteRefusal(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var request = context.Request;
        if ((request.Path.Value?.Contains('\0', StringComparison.Ordinal) ?? false)
            || request.QueryString.Value?.Contains("%00", StringComparison.Ordinal) == true
            || request.Query.Any(q => q.Key.Contains('\0', StringComparison.Ordinal) || q.Value.Any(v => v?.Contains('\0', StringComparison.Ordinal) == true)))
        {
            var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(MalformedInput));
            LogMalformed(logger, request.Method, request.Path, "a NUL byte in the address");
            await Results.Problem(Problem(StatusCodes.Status400BadRequest, Wording.Of($"The address holds a NUL character, which no field accepts."))).ExecuteAsync(context);
            return;
        }

        await next(context);
    });

    /// <summary>
    /// A body declared larger than its endpoint accepts (its [RequestSizeLimit], otherwise <see cref="MaxBodyBytes"/>)
    /// is a 413 before any of it is read, whatever server runs the host; Kestrel still stops a body that grows past
    /// the limit without declaring its length.
    /// </summary>
    public static IApplicationBuilder UseBodySizeLimit(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var declared = context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>();
        var limit = declared is null ? MaxBodyBytes : declared.MaxRequestBodySize;
        if (limit is { } most && context.Request.ContentLength > most)
        {
            var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(MalformedInput));
            LogMalformed(logger, context.Request.Method, context.Request.Path, $"a body of {context.Request.ContentLength} bytes, over the limit of {most}");
            await Results.Problem(Problem(StatusCodes.Status413PayloadTooLarge, Wording.Of($"The body is larger than this endpoint accepts ({most} bytes)."))).ExecuteAsync(context);
            return;
        }

        await next(context);
    });

    [LoggerMessage(Level = LogLevel.Warning, Message = "Malformed request {Method} {Path}: {What}")]
    public static partial void LogMalformed(ILogger logger, string method, string? path, string what);

    /// <summary>JSON strings may not hold a NUL character: PostgreSQL's jsonb cannot store one, so it is refused on reading.</summary>
    public sealed class NoNulStrings : JsonConverter<string>
    {
        public override bool HandleNull => false;

        public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var value = reader.GetString();
            return value is not null && value.Contains('\0', StringComparison.Ordinal)
                ? throw new JsonException("A string holds a NUL character (\\u0000), which no field accepts.")
                : value;
        }

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options)
        {
            ArgumentNullException.ThrowIfNull(writer);
            writer.WriteStringValue(value);
        }
    }

    /// <summary>
    /// What surfaces as an exception while a request runs but is the request's own fault: a multipart body that
    /// cannot be read, a body over the limit, a value PostgreSQL refuses as text. Handled here, the exception is not
    /// logged by ASP.NET's middleware; this logs one line.
    /// </summary>
    public sealed class ExceptionHandler(IProblemDetailsService problems, ILogger<ExceptionHandler> logger) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(httpContext);
            if (Classify(exception) is not { } malformed)
            {
                return false;
            }

            LogMalformed(logger, httpContext.Request.Method, httpContext.Request.Path, $"{malformed.Detail.English} ({exception.GetType().Name})");
            httpContext.Response.StatusCode = malformed.Status;
            return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = Problem(malformed.Status, malformed.Detail), Exception = exception });
        }

        private static (int Status, Wording Detail)? Classify(Exception exception)
        {
            for (Exception? e = exception; e is not null; e = e.InnerException)
            {
                switch (e)
                {
                    case BadHttpRequestException bad:
                        return (bad.StatusCode, bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? Wording.Of($"The body is larger than this endpoint accepts.") : Wording.Of($"The request cannot be read: {FirstLine(bad.Message)}"));
                    case JsonException json:
                        return (StatusCodes.Status400BadRequest, Wording.Of($"The JSON body cannot be read: {FirstLine(json.Message)}"));
                    case PostgresException { SqlState: PostgresErrorCodes.CharacterNotInRepertoire or PostgresErrorCodes.UntranslatableCharacter or PostgresErrorCodes.InvalidTextRepresentation }:
                        return (StatusCodes.Status400BadRequest, Wording.Of($"A value holds characters that cannot be stored or compared (a NUL character, an invalid escape)."));
                }
            }

            return null;
        }

        private static string FirstLine(string text) => text.Split('\n', 2)[0].TrimEnd('\r');
    }

    /// <summary>The file parts (<see cref="IFormFile"/> parameters) an endpoint needs, added by <see cref="FilePartsPolicy"/>.</summary>
    public sealed record RequiredFiles(IReadOnlyList<string> Names);

    /// <summary>Marks every endpoint that takes a file with the names of its file parts.</summary>
    public sealed class FilePartsPolicy : IHttpPolicy
    {
        public void Apply(IReadOnlyList<HttpChain> chains, GenerationRules rules, IServiceContainer container)
        {
            ArgumentNullException.ThrowIfNull(chains);
            foreach (var chain in chains)
            {
                var names = chain.Method.Method.GetParameters().Where(p => p.ParameterType == typeof(IFormFile)).Select(p => p.Name!).ToList();
                if (names.Count > 0)
                {
                    chain.Metadata.WithMetadata(new RequiredFiles(names));
                }
            }
        }
    }

    /// <summary>
    /// Before an endpoint that takes a file: its body must be multipart/form-data that can be read (a broken boundary,
    /// a truncated part are a 400) and hold every file part by name, so the endpoint never gets a null file.
    /// </summary>
    public static IApplicationBuilder UseFilePartsCheck(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<RequiredFiles>() is { } files)
        {
            var refusal = await RefuseFilesAsync(context, files);
            if (refusal is not null)
            {
                var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(MalformedInput));
                LogMalformed(logger, context.Request.Method, context.Request.Path, refusal.English);
                await Results.Problem(Problem(StatusCodes.Status400BadRequest, refusal)).ExecuteAsync(context);
                return;
            }
        }

        await next(context);
    });

    private static async Task<Wording?> RefuseFilesAsync(HttpContext context, RequiredFiles files)
    {
        var parts = string.Join(", ", files.Names.Select(n => $"'{n}'"));
        if (!context.Request.HasFormContentType)
        {
            return Wording.Of($"The body must be multipart/form-data with the file part {parts}.");
        }

        try
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            var missing = files.Names.Where(n => form.Files.GetFile(n) is null).ToList();
            return missing.Count == 0 ? null : Wording.Of($"The multipart body has no file part {string.Join(", ", missing.Select(n => $"'{n}'"))}.");
        }
        catch (Exception e) when (e is InvalidDataException or IOException or BadHttpRequestException && !context.RequestAborted.IsCancellationRequested)
        {
            return e is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge }
                ? Wording.Of($"The file is larger than this endpoint accepts.")
                : Wording.Of($"The multipart body cannot be read: {e.Message.Split('\n', 2)[0].TrimEnd('\r')}");
        }
    }

    /// <summary>
    /// Every <see cref="ILogger{T}"/>: as the framework's, except that an entry carrying a <see cref="JsonException"/>
    /// (Wolverine logs a body it cannot read at error level with the exception's trace) is one line at warning level.
    /// </summary>
    public sealed class OneLineForMalformedJson<T>(ILoggerFactory factory) : ILogger<T>
    {
        private readonly ILogger inner = new Logger<T>(factory);

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            ArgumentNullException.ThrowIfNull(formatter);
            if (exception is JsonException json)
            {
                var detail = json.Message.Split('\n', 2)[0].TrimEnd('\r');
                inner.Log(LogLevel.Warning, eventId, state, null, (s, _) => $"{formatter(s, null)}: {detail}");
                return;
            }

            inner.Log(logLevel, eventId, state, exception, formatter);
        }
    }
}
