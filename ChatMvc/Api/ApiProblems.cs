using System.Globalization;
using System.Reflection;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.RateLimiting;

namespace ChatMvc.Api;

// Every API error is RFC 9457 problem details with a detail a person can act on. Controllers write their own
// detail; these fill in the ones the framework produces (no credentials, unknown paths, bad bodies, limits).
public static class ApiProblems
{
    public static void AddDetail(ProblemDetailsContext context) =>
        context.ProblemDetails.Detail ??= context.Exception is BadHttpRequestException bad
            ? bad.Message
            : DetailFor(context.HttpContext, context.ProblemDetails.Status ?? context.HttpContext.Response.StatusCode);

    public static Task WriteStatusAsync(StatusCodeContext context)
    {
        var http = context.HttpContext;
        var status = http.Response.StatusCode;
        return Results.Problem(statusCode: status, detail: DetailFor(http, status)).ExecuteAsync(http);
    }

    public static async ValueTask TooManyRequestsAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var http = context.HttpContext;
        var wait = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromMinutes(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        if (!ApiServiceCollectionExtensions.IsApi(http.Request))
        {
            // Pages get the status page for 429 (status code pages fill the empty body).
            return;
        }

        await Results.Problem(
            statusCode: StatusCodes.Status429TooManyRequests,
            detail: $"Too many requests to this kind of route. Wait {seconds} seconds (see Retry-After) and try again.")
            .ExecuteAsync(http);
    }

    // Replaces the framework's messages for bodies that are not JSON or have fields of the wrong type, which name
    // .NET types and report the same failure twice, with ones that name the field and what it should hold.
    public static IActionResult InvalidRequest(ActionContext context)
    {
        var errors = new ModelStateDictionary();
        string? title = null;
        string? detail = null;
        var bodyErrors = context.ModelState.Where(entry => entry.Key.StartsWith('$') && entry.Value is { Errors.Count: > 0 }).ToList();
        foreach (var (key, entry) in bodyErrors)
        {
            var field = key == "$" ? string.Empty : key.TrimStart('$').TrimStart('.');
            foreach (var error in entry!.Errors)
            {
                // The JSON reader's own exception (see JsonOptions in AddChatApi), so its cause can be told apart.
                var message = error.Exception?.Message ?? error.ErrorMessage;
                if (IsNotUtf8(error.Exception))
                {
                    title = "The request body is not valid JSON";
                    detail = $"The request body is not valid JSON: {(field.Length == 0 ? "it" : field)} holds bytes that are not UTF-8 text.";
                }
                else if (!message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal))
                {
                    title = "The request body is not valid JSON";
                    detail = $"The request body is not valid JSON: {message}";
                }
                else if (field.Length == 0)
                {
                    title = "The request body is not a JSON object";
                    detail = "The request body must be a JSON object.";
                }
                else
                {
                    errors.AddModelError(field, $"{field} must be {Describe(ExpectedType(context, field))}.");
                }
            }
        }

        if (bodyErrors.Count == 0)
        {
            foreach (var (key, entry) in context.ModelState)
            {
                foreach (var error in entry.Errors)
                {
                    errors.AddModelError(key, error.ErrorMessage);
                }
            }

            if (context.ModelState.TryGetValue(string.Empty, out var body) && body.Errors.Count > 0)
            {
                title = "The request body is empty";
                detail = "The request body is empty: send a JSON object with Content-Type: application/json.";
            }
        }

        detail ??= string.Join(" ", errors.SelectMany(entry => entry.Value!.Errors).Select(e => e.ErrorMessage));
        var factory = context.HttpContext.RequestServices.GetRequiredService<ProblemDetailsFactory>();
        var problem = factory.CreateValidationProblemDetails(context.HttpContext, errors, StatusCodes.Status400BadRequest, title, detail: detail);
        return new BadRequestObjectResult(problem);
    }

    // Bytes that are not UTF-8 inside a JSON string surface as "could not be converted", like a field of the wrong type.
    private static bool IsNotUtf8(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is System.Text.DecoderFallbackException)
            {
                return true;
            }
        }

        return false;
    }

    private static string? DetailFor(HttpContext http, int status) => status switch
    {
        StatusCodes.Status400BadRequest => "The request is not valid.",
        StatusCodes.Status401Unauthorized =>
            "Sign in first: send 'Authorization: Bearer <accessToken>' with a token from POST /api/v1/auth/login "
            + "(or /api/v1/auth/refresh when it has expired), or the site's sign-in cookie.",
        StatusCodes.Status403Forbidden => "You are signed in but may not do this.",
        StatusCodes.Status404NotFound => $"There is nothing at {http.Request.Path}. See /openapi/v1.json for the routes.",
        StatusCodes.Status405MethodNotAllowed => $"{http.Request.Path} does not accept {http.Request.Method}. See /openapi/v1.json.",
        StatusCodes.Status413PayloadTooLarge =>
            http.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize is { } limit
                ? $"The request body is too large: this route accepts at most {limit} bytes."
                : "The request body is too large.",
        StatusCodes.Status415UnsupportedMediaType => "Send the body as JSON with Content-Type: application/json.",
        StatusCodes.Status500InternalServerError =>
            "Something went wrong on the server. Try again; if it keeps happening, tell whoever runs this chat and quote the traceId.",
        _ => null,
    };

    // The .NET type of the body's field at a JSON path such as "participantIds[1]"; the framework's message names
    // the record being built instead when the field is a constructor parameter.
    private static Type? ExpectedType(ActionContext context, string field)
    {
        var body = context.ActionDescriptor.Parameters.FirstOrDefault(p => p.BindingInfo?.BindingSource == BindingSource.Body)?.ParameterType;
        var type = body?.GetProperty(field.Split('.', '[')[0], BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase)?.PropertyType;
        return type is not null && field.Contains('[') && type != typeof(string)
            ? type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))
                ?.GetGenericArguments()[0]
            : type;
    }

    private static string Describe(Type? type) => (type is null ? null : Nullable.GetUnderlyingType(type) ?? type) switch
    {
        var t when t == typeof(string) => "a string",
        var t when t == typeof(long) || t == typeof(int) => "a whole number",
        var t when t == typeof(bool) => "true or false",
        var t when t is not null && typeof(System.Collections.IEnumerable).IsAssignableFrom(t) => "an array",
        _ => "an object",
    };
}
