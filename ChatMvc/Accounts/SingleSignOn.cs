using System.Net;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace ChatMvc.Accounts;

public sealed class SingleSignOnOptions
{
    public const string Section = "Authentication:Oidc";

    // The provider's issuer address, such as https://accounts.google.com or https://sso.example.com/realms/team.
    public string? Authority { get; set; }

    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    // The provider's name on the sign-in page: "Sign in with {DisplayName}".
    public string DisplayName { get; set; } = "single sign-on";

    // Space-separated, as in the protocol's own scope parameter.
    public string Scopes { get; set; } = "openid profile email";

    // Only administrators may still sign in with a password.
    public bool Only { get; set; }

    public bool Enabled => !string.IsNullOrWhiteSpace(Authority);

    public Uri? AuthorityUrl => Uri.TryCreate(Authority?.Trim(), UriKind.Absolute, out var url) ? url : null;

    // Plain HTTP is accepted only for a provider on this machine, as in a test or a development setup.
    public static bool IsLoopback(Uri url) =>
        url.IsLoopback || (IPAddress.TryParse(url.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}

public sealed class SingleSignOnOptionsValidation : IValidateOptions<SingleSignOnOptions>
{
    public ValidateOptionsResult Validate(string? name, SingleSignOnOptions options)
    {
        if (!options.Enabled)
        {
            return options.Only
                ? ValidateOptionsResult.Fail("Authentication:Oidc:Only is true but Authentication:Oidc:Authority is not set: nobody but administrators could sign in.")
                : ValidateOptionsResult.Success;
        }

        if (options.AuthorityUrl is not { } url || (url.Scheme != Uri.UriSchemeHttps && !(url.Scheme == Uri.UriSchemeHttp && SingleSignOnOptions.IsLoopback(url))))
        {
            return ValidateOptionsResult.Fail(
                $"Authentication:Oidc:Authority '{options.Authority}' is not an https address of an OpenID provider, such as https://accounts.google.com.");
        }

        if (string.IsNullOrWhiteSpace(options.ClientId))
        {
            return ValidateOptionsResult.Fail("Authentication:Oidc:ClientId is missing: set it to the client id the provider gave this site.");
        }

        return string.IsNullOrWhiteSpace(options.DisplayName)
            ? ValidateOptionsResult.Fail("Authentication:Oidc:DisplayName is empty: set it to the provider's name as people know it.")
            : ValidateOptionsResult.Success;
    }
}

public static class SingleSignOn
{
    public const string Scheme = "oidc";

    public const string CallbackPath = "/signin-oidc";

    // Why a sign-in came back without a person, as the failure page's address names it.
    public const string StateFailure = "state";
    public const string CodeFailure = "code";
    public const string DeniedFailure = "denied";
    public const string ProviderFailure = "provider";
    public const string UnreachableFailure = "unreachable";
    public const string ExpiredFailure = "expired";

    public static IServiceCollection AddChatSingleSignOn(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SingleSignOnOptions>().Bind(configuration.GetSection(SingleSignOnOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SingleSignOnOptions>, SingleSignOnOptionsValidation>();
        services.AddScoped<ExternalAccounts>();

        // The scheme exists only when a provider is configured, decided from the options rather than from the
        // configuration seen while services are registered, so that settings a host adds later count too.
        services.TryAddTransient<OpenIdConnectHandler>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<OpenIdConnectOptions>, OpenIdConnectPostConfigureOptions>());
        services.AddOptions<AuthenticationOptions>().Configure<IOptions<SingleSignOnOptions>>((authentication, sso) =>
        {
            if (sso.Value.Enabled)
            {
                authentication.AddScheme(Scheme, scheme =>
                {
                    scheme.HandlerType = typeof(OpenIdConnectHandler);
                    scheme.DisplayName = sso.Value.DisplayName;
                });
            }
        });
        services.AddOptions<OpenIdConnectOptions>(Scheme).Configure<IOptions<SingleSignOnOptions>>((oidc, sso) => Configure(oidc, sso.Value));
        return services;
    }

    // The origin the sign-in button's form is sent on to: the page's form-action policy must allow it.
    public static string? FormActionSource(SingleSignOnOptions options) =>
        options.Enabled && options.AuthorityUrl is { } url ? url.GetLeftPart(UriPartial.Authority) : null;

    private static void Configure(OpenIdConnectOptions oidc, SingleSignOnOptions sso)
    {
        if (!sso.Enabled)
        {
            return;
        }

        oidc.Authority = sso.Authority!.Trim();
        oidc.ClientId = sso.ClientId;
        oidc.ClientSecret = string.IsNullOrWhiteSpace(sso.ClientSecret) ? null : sso.ClientSecret;
        oidc.RequireHttpsMetadata = sso.AuthorityUrl is not { } url || !SingleSignOnOptions.IsLoopback(url);
        oidc.CallbackPath = CallbackPath;
        oidc.SignInScheme = IdentityConstants.ExternalScheme;
        oidc.ResponseType = OpenIdConnectResponseType.Code;
        oidc.UsePkce = true;
        // The code comes back in the address of a top-level GET, so the correlation and nonce cookies can be Lax
        // and need not be Secure: a form_post back from another site would need SameSite=None, which browsers
        // accept only on HTTPS, while some teams run the app on plain HTTP inside their network.
        oidc.ResponseMode = OpenIdConnectResponseMode.Query;
        oidc.CorrelationCookie.SameSite = SameSiteMode.Lax;
        oidc.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        oidc.NonceCookie.SameSite = SameSiteMode.Lax;
        oidc.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        oidc.SaveTokens = false;
        oidc.Scope.Clear();
        foreach (var scope in sso.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Prepend("openid").Distinct())
        {
            oidc.Scope.Add(scope);
        }

        oidc.Events.OnRemoteFailure = context =>
        {
            var reason = FailureReason(context.Failure);
            context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SingleSignOn))
                .LogWarning(context.Failure, "Single sign-on did not complete ({Reason}).", reason);
            context.Response.Redirect(context.Request.PathBase + "/Identity/Account/ExternalLogin?handler=Failure&reason=" + reason);
            context.HandleResponse();
            return Task.CompletedTask;
        };
    }

    private static string FailureReason(Exception? failure)
    {
        if (failure is OpenIdConnectProtocolException protocol && protocol.Data["error"] is string error)
        {
            return error switch
            {
                "invalid_grant" => CodeFailure,
                "access_denied" => DeniedFailure,
                _ => ProviderFailure,
            };
        }

        var message = failure?.Message ?? string.Empty;
        if (message.Contains("Access was denied", StringComparison.Ordinal))
        {
            return DeniedFailure;
        }

        return message.Contains("state", StringComparison.OrdinalIgnoreCase) || message.Contains("Correlation", StringComparison.Ordinal)
            ? StateFailure
            : ProviderFailure;
    }
}
