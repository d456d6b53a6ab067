using System.Net;
using System.Threading.RateLimiting;
using ChatMvc.Chat;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace ChatMvc.Api;

public static class ApiServiceCollectionExtensions
{
    public static IServiceCollection AddChatApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddAuthentication().AddScheme<BearerTokenOptions, ApiTokenHandler>(IdentityConstants.BearerScheme, configureOptions: null);
        services.AddOptions<BearerTokenOptions>(IdentityConstants.BearerScheme).Configure<IDataProtectionProvider>((options, protection) =>
            options.BearerTokenProtector = new TicketDataFormat(protection.CreateProtector("ChatMvc.Api", "BearerToken")));
        services.AddScoped<RefreshTokens>();
        services.AddAuthorization(options => options.AddPolicy(ApiController.Policy, policy => policy
            // The bearer scheme goes last: when a request carries both a cookie and a token, the token's identity
            // comes first in the merged user, so the token decides who acts.
            .AddAuthenticationSchemes(IdentityConstants.ApplicationScheme, IdentityConstants.BearerScheme)
            .RequireAuthenticatedUser()));

        // A script gets a status code, not the sign-in page.
        services.ConfigureApplicationCookie(options =>
        {
            var redirectToLogin = options.Events.OnRedirectToLogin;
            options.Events.OnRedirectToLogin = context =>
                IsApi(context.Request) ? WithStatus(context.HttpContext, StatusCodes.Status401Unauthorized) : redirectToLogin(context);
            var redirectToAccessDenied = options.Events.OnRedirectToAccessDenied;
            options.Events.OnRedirectToAccessDenied = context =>
                IsApi(context.Request) ? WithStatus(context.HttpContext, StatusCodes.Status403Forbidden) : redirectToAccessDenied(context);
        });

        services.AddProblemDetails(options => options.CustomizeProblemDetails = ApiProblems.AddDetail);
        // A body that names a field twice is refused rather than read as its last value: a proxy or a log that
        // reads the first one would disagree with the app about what was sent. The reader's exceptions are kept in
        // the model state, not only their messages, so ApiProblems.InvalidRequest can tell bytes that are not UTF-8
        // from a field of the wrong type.
        services.Configure<Microsoft.AspNetCore.Mvc.JsonOptions>(options =>
        {
            options.JsonSerializerOptions.AllowDuplicateProperties = false;
            options.AllowInputFormatterExceptionMessages = false;
        });
        services.Configure<ApiBehaviorOptions>(options => options.InvalidModelStateResponseFactory = ApiProblems.InvalidRequest);

        services.AddOpenApi(options =>
        {
            // Only the API: other endpoints (health, diagnostics) are not part of its contract.
            options.ShouldInclude = description => description.RelativePath?.StartsWith("api/", StringComparison.Ordinal) == true;
            options.AddDocumentTransformer(DescribeAsync);
        });
        return services;
    }

    // After routing, so the endpoint's own body size limit is known.
    public static IApplicationBuilder UseChatApi(this IApplicationBuilder app) =>
        app.UseWhen(context => IsApi(context.Request), api =>
        {
            api.UseExceptionHandler(new ExceptionHandlerOptions
            {
                // Kestrel reports a body over the limit (or cut short) as BadHttpRequestException with its status.
                StatusCodeSelector = exception => exception is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
                // The client's mistake, answered with its status: not an error of the app's to log.
                SuppressDiagnosticsCallback = context => context.Exception is BadHttpRequestException,
            });
            api.UseStatusCodePages(ApiProblems.WriteStatusAsync);
            api.Use(RefuseDeclaredOversizeBodyAsync);
        });

    // Bots' webhooks are called by scripts too, so they answer as the API does (problem+json, never a page).
    public static bool IsApi(HttpRequest request) => request.Path.StartsWithSegments("/api") || request.Path.StartsWithSegments("/hooks");

    private static Task DescribeAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info.Title = "ChatMvc API";
        document.Info.Description = "Send `Authorization: Bearer <accessToken>` with a token from POST /api/v1/auth/login. "
            + "Errors are RFC 9457 problem details (application/problem+json).";
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes["Bearer"] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "The accessToken from POST /api/v1/auth/login or /api/v1/auth/refresh.",
        };
        document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("Bearer", document)] = [] }];
        return Task.CompletedTask;
    }

    // Refused before any of the body is read. Kestrel also enforces the limit on bodies sent without a length.
    private static Task RefuseDeclaredOversizeBodyAsync(HttpContext context, Func<Task> next) =>
        context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize is { } limit
            && context.Request.ContentLength > limit
                ? WithStatus(context, StatusCodes.Status413PayloadTooLarge)
                : next();

    // The body is left empty for UseStatusCodePages to fill with problem details.
    private static Task WithStatus(HttpContext context, int status)
    {
        context.Response.StatusCode = status;
        return Task.CompletedTask;
    }
}
