using System.Collections.Concurrent;
using System.Net;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;
using OidcErrors = OpenIddict.Abstractions.OpenIddictConstants.Errors;

namespace ChatMvc.Tests.Infrastructure;

// A real OpenID Connect provider on 127.0.0.1, built with OpenIddict's server in degraded mode (no token store):
// one confidential client that must use PKCE, a sign-in form, and people the tests register. Its clock can be moved
// on so that a code it issued expires.
public sealed class TestOpenIdProvider : IAsyncDisposable
{
    public const string ClientId = "chatmvc";
    public const string ClientSecret = "test-client-secret";
    public const string Name = "Example ID";

    private static readonly TimeSpan CodeLifetime = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, Person> people = new(StringComparer.OrdinalIgnoreCase);
    private readonly WebApplication app;

    private TestOpenIdProvider(WebApplication app, ShiftedClock clock)
    {
        this.app = app;
        Clock = clock;
    }

    public string Authority { get; private set; } = string.Empty;

    public ShiftedClock Clock { get; }

    // The settings that point the app at this provider.
    public Dictionary<string, string?> Settings(bool only = false) => new()
    {
        ["Authentication:Oidc:Authority"] = Authority,
        ["Authentication:Oidc:ClientId"] = ClientId,
        ["Authentication:Oidc:ClientSecret"] = ClientSecret,
        ["Authentication:Oidc:DisplayName"] = Name,
        ["Authentication:Oidc:Only"] = only ? "true" : "false",
    };

    // Someone who can sign in at the provider; Refuses makes the provider answer access_denied for them.
    public Person Add(string email, string name, bool emailVerified = true, bool refuses = false)
    {
        var person = new Person(Guid.NewGuid().ToString("N"), email, name, emailVerified, refuses);
        people[email] = person;
        return person;
    }

    public static async Task<TestOpenIdProvider> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var clock = new ShiftedClock();
        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie(options =>
        {
            // Both sites live on 127.0.0.1, where cookies are shared across ports: a name of its own.
            options.Cookie.Name = "test-provider-login";
            options.LoginPath = "/login";
        });
        builder.Services.AddOpenIddict().AddServer(options =>
        {
            options.SetAuthorizationEndpointUris("connect/authorize").SetTokenEndpointUris("connect/token");
            options.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();
            options.RegisterScopes(Scopes.OpenId, Scopes.Profile, Scopes.Email);
            options.SetAuthorizationCodeLifetime(CodeLifetime);
            options.AddEphemeralEncryptionKey().AddEphemeralSigningKey().DisableAccessTokenEncryption();
            options.EnableDegradedMode();
            options.Configure(server => server.TimeProvider = clock);
            options.UseAspNetCore()
                .EnableAuthorizationEndpointPassthrough()
                .EnableTokenEndpointPassthrough()
                .DisableTransportSecurityRequirement();

            // Degraded mode leaves checking the client to the host.
            options.AddEventHandler<ValidateAuthorizationRequestContext>(handler => handler.UseInlineHandler(context =>
            {
                if (context.ClientId != ClientId)
                {
                    context.Reject(OidcErrors.InvalidClient, "Unknown client.");
                }
                else if (!Uri.TryCreate(context.RedirectUri, UriKind.Absolute, out var redirect) || redirect.AbsolutePath != "/signin-oidc")
                {
                    context.Reject(OidcErrors.InvalidRequest, "Unknown redirect_uri.");
                }

                return default;
            }));
            options.AddEventHandler<ValidateTokenRequestContext>(handler => handler.UseInlineHandler(context =>
            {
                if (context.ClientId != ClientId || context.Request.ClientSecret != ClientSecret)
                {
                    context.Reject(OidcErrors.InvalidClient, "The client id or secret is wrong.");
                }

                return default;
            }));
        });

        var app = builder.Build();
        var provider = new TestOpenIdProvider(app, clock);
        app.UseAuthentication();
        app.MapGet("/login", (HttpContext http) => Results.Content(LoginForm(http.Request.Query["ReturnUrl"]), "text/html"));
        app.MapPost("/login", (Delegate)provider.SignInAtProviderAsync);
        app.MapMethods("/connect/authorize", ["GET", "POST"], (Delegate)provider.AuthorizeAsync);
        app.MapPost("/connect/token", (Delegate)TokenAsync);
        await app.StartAsync();
        provider.Authority = app.Urls.Single().TrimEnd('/') + "/";
        return provider;
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();

    private static string LoginForm(string? returnUrl)
    {
        var encoder = HtmlEncoder.Default;
        return $"""
            <!DOCTYPE html>
            <html lang="en"><head><title>Sign in to {Name}</title></head>
            <body><main><h1>Sign in to {Name}</h1>
            <form method="post" action="/login">
              <input type="hidden" name="returnUrl" value="{encoder.Encode(returnUrl ?? "/")}">
              <label for="email">Email</label> <input id="email" name="email" type="email">
              <button type="submit">Continue</button>
            </form></main></body></html>
            """;
    }

    private async Task<IResult> SignInAtProviderAsync(HttpContext http)
    {
        var form = await http.Request.ReadFormAsync();
        if (!people.TryGetValue(form["email"].ToString(), out var person))
        {
            return Results.Content("<!DOCTYPE html><title>Unknown</title><p>No such person.</p>", "text/html", statusCode: 400);
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Email, person.Email)], CookieAuthenticationDefaults.AuthenticationScheme);
        await http.SignInAsync(new ClaimsPrincipal(identity));
        var returnUrl = form["returnUrl"].ToString();
        return Results.Redirect(returnUrl.StartsWith('/') ? returnUrl : "/");
    }

    private async Task<IResult> AuthorizeAsync(HttpContext http)
    {
        var request = http.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID request.");
        var login = await http.AuthenticateAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        if (!login.Succeeded || !people.TryGetValue(login.Principal.FindFirstValue(ClaimTypes.Email)!, out var person))
        {
            return Results.Challenge(authenticationSchemes: [CookieAuthenticationDefaults.AuthenticationScheme]);
        }

        // Every sign-in through the provider shows its form again, as a provider asked for prompt=login does.
        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        if (person.Refuses)
        {
            return Results.Forbid(
                new AuthenticationProperties(new Dictionary<string, string?>
                {
                    [OpenIddictServerAspNetCoreConstants.Properties.Error] = OidcErrors.AccessDenied,
                    [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = "The person declined.",
                }),
                [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
        }

        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
        identity.AddClaim(new Claim(Claims.Subject, person.Subject));
        identity.AddClaim(new Claim(Claims.Email, person.Email));
        identity.AddClaim(new Claim(Claims.EmailVerified, person.EmailVerified ? "true" : "false", ClaimValueTypes.Boolean));
        identity.AddClaim(new Claim(Claims.Name, person.Name));
        identity.SetScopes(request.GetScopes());
        identity.SetDestinations(_ => [Destinations.IdentityToken, Destinations.AccessToken]);
        return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private static async Task<IResult> TokenAsync(HttpContext http)
    {
        // Reading the code validates it: signature, client, PKCE verifier and expiry.
        var code = await http.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        return code.Succeeded
            ? Results.SignIn(code.Principal, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme)
            : Results.Forbid(authenticationSchemes: [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
    }

    public sealed record Person(string Subject, string Email, string Name, bool EmailVerified, bool Refuses);

    public sealed class ShiftedClock : TimeProvider
    {
        private TimeSpan offset;

        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + offset;

        public void MoveOn(TimeSpan by) => offset += by;
    }
}
