using System.Threading.RateLimiting;
using ChatMvc.Caching;
using ChatMvc.Chat;
using ChatMvc.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.UI.Services;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ChatMvc.Accounts;

public static class AccountsServiceCollectionExtensions
{
    public const string SignInPolicy = "sign-in-pages";

    private static readonly string[] RateLimitedPages =
        [
            "/Account/Login", "/Account/LoginWith2fa", "/Account/LoginWithRecoveryCode", "/Account/Register", "/Account/ForgotPassword",
            "/Account/LinkLogin",
        ];

    // Needs ChatDb and TimeProvider registered as singletons by the caller.
    public static IServiceCollection AddChatAccounts(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<UserQueries>();
        services.AddSingleton<UserLoginQueries>();
        // AddDefaultIdentity also adds the default token providers (email confirmation, password reset, 2FA).
        services.AddDefaultIdentity<ChatUser>(options =>
            {
                // Read when the options are first built, so configuration the host adds later still counts.
                options.SignIn.RequireConfirmedAccount = configuration.GetValue<bool>("Accounts:RequireConfirmedEmail");
                options.User.RequireUniqueEmail = true;
                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(5);
                options.Lockout.AllowedForNewUsers = true;
            })
            .AddUserStore<UserStore>()
            .AddUserManager<ChatUserManager>()
            .AddClaimsPrincipalFactory<ChatClaimsPrincipalFactory>()
            .AddSignInManager<ChatSignInManager>()
            // In place of the default authenticator provider, which accepts a code again and again.
            .AddTokenProvider<OneTimeAuthenticatorTokenProvider>(TokenOptions.DefaultAuthenticatorProvider);

        services.ConfigureApplicationCookie(options =>
        {
            options.LoginPath = "/Identity/Account/Login";
            options.Cookie.Name = "ChatMvc.Auth";
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Lax;
            options.SlidingExpiration = true;
            // Identity's security stamp check builds the whole sign-in manager graph on every request only to find,
            // on all but one request in 30 minutes, that the check is not due. It is asked only when due, by its own
            // rule: no issue time, or more than the validation interval ago on the clock of its options.
            var validatePrincipal = options.Events.OnValidatePrincipal;
            options.Events.OnValidatePrincipal = context =>
                SecurityStampCheckDue(context) ? validatePrincipal(context) : Task.CompletedTask;
            var redirectToLogin = options.Events.OnRedirectToLogin;
            options.Events.OnRedirectToLogin = context =>
                context.Request.IsHtmx() ? RedirectHtmxToLogin(context) : redirectToLogin(context);
        });

        // After the framework's own post-configuration has created the format from Data Protection.
        services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme)
            .PostConfigure(options => options.TicketDataFormat = new RememberedTicketFormat(options.TicketDataFormat));

        services.Configure<RazorPagesOptions>(options =>
        {
            foreach (var page in RateLimitedPages)
            {
                options.Conventions.AddAreaPageApplicationModelConvention(
                    "Identity", page, model => model.EndpointMetadata.Add(new EnableRateLimitingAttribute(SignInPolicy)));
            }

            foreach (var page in RequireTwoFactorPageFilter.Pages)
            {
                options.Conventions.AddAreaPageApplicationModelConvention(
                    "Identity", page, model => model.Filters.Add(new RequireTwoFactorPageFilter()));
            }

            foreach (var page in TwoFactorSignInInProgressFilter.Pages)
            {
                options.Conventions.AddAreaPageApplicationModelConvention(
                    "Identity", page, model => model.Filters.Add(new TwoFactorSignInInProgressFilter()));
            }

            options.Conventions.AddAreaPageApplicationModelConvention(
                "Identity", DeleteAccountNeedsPasswordFilter.Page, model => model.Filters.Add(new DeleteAccountNeedsPasswordFilter()));
            options.Conventions.AddAreaPageApplicationModelConvention(
                "Identity", DeleteAccountNeedsPasswordFilter.Page, model => model.Filters.Add(new LastAdministratorKeepsAccountFilter()));
            options.Conventions.AddAreaPageApplicationModelConvention(
                "Identity", SignInFailureMessageFilter.Page, model => model.Filters.Add(new SignInFailureMessageFilter()));
            options.Conventions.AddAreaPageApplicationModelConvention(
                "Identity", AuthenticatorIssuerFilter.Page, model => model.Filters.Add(new AuthenticatorIssuerFilter()));
            options.Conventions.AddAreaFolderApplicationModelConvention("Identity", "/", model =>
            {
                model.Filters.Add(new StartPageRedirectFilter());
                model.Filters.Add(new LocalReturnUrlFilter());
                model.Filters.Add(new PublicOriginPageFilter());
            });
        });

        services.AddScoped<AccountRegistration>();
        services.AddChatSingleSignOn(configuration);
        // Form posts to the sign-in, two-factor, registration and password-reset pages, per client address.
        // Reading the pages is not limited. Lockout guards each account; this slows guessing across accounts.
        services.AddOptions<SignInRateLimitOptions>().Bind(configuration.GetSection(SignInRateLimitOptions.Section));
        services.Configure<RateLimiterOptions>(options => options.AddPolicy(SignInPolicy, context =>
            HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)
                ? RateLimitPartition.GetNoLimiter("read")
                : RateLimitPartition.GetFixedWindowLimiter(
                    "address:" + (context.Connection.RemoteIpAddress ?? System.Net.IPAddress.None),
                    _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = context.RequestServices.GetRequiredService<IOptionsMonitor<SignInRateLimitOptions>>().CurrentValue.PostsPerMinute,
                        Window = TimeSpan.FromMinutes(1),
                        QueueLimit = 0,
                    })));

        services.AddOptions<EmailOptions>().Bind(configuration.GetSection(EmailOptions.Section));
        // Replaces the UI's no-op sender whichever order the registrations ran in.
        services.AddSingleton<EmailSender>();
        services.Replace(ServiceDescriptor.Singleton<IEmailSender>(provider => provider.GetRequiredService<EmailSender>()));

        services.AddSingleton<DataProtectionKeyQueries>();
        services.AddSingleton<DatabaseXmlRepository>();
        services.AddDataProtection().SetApplicationName("ChatMvc").ProtectKeysAtRest(configuration);
        services.Decorate<IDataProtectionProvider>(provider => new RememberedAntiforgeryTokens(provider));
        services.AddOptions<KeyManagementOptions>()
            .Configure<IServiceProvider>((options, provider) => options.XmlRepository = provider.GetRequiredService<DatabaseXmlRepository>());

        return services;
    }

    private static bool SecurityStampCheckDue(CookieValidatePrincipalContext context)
    {
        var stamp = context.HttpContext.RequestServices.GetRequiredService<IOptions<SecurityStampValidatorOptions>>().Value;
        var now = (stamp.TimeProvider ?? TimeProvider.System).GetUtcNow();
        return context.Properties.IssuedUtc is not { } issued || now - issued > stamp.ValidationInterval;
    }

    // An htmx request (a poll, a form) whose cookie has expired would otherwise follow the redirect and swap
    // the login page into a fragment. HX-Redirect makes htmx load the login page as a whole page instead,
    // returning afterwards to the page the person was on rather than to the fragment URL.
    private static Task RedirectHtmxToLogin(RedirectContext<CookieAuthenticationOptions> context)
    {
        var returnUrl = Uri.TryCreate(context.Request.Headers["HX-Current-URL"], UriKind.Absolute, out var current)
            && string.Equals(current.Authority, context.Request.Host.Value, StringComparison.OrdinalIgnoreCase)
                ? current.PathAndQuery
                : "/";
        var loginUrl = context.Request.PathBase + context.Options.LoginPath
            + QueryString.Create(context.Options.ReturnUrlParameter, returnUrl);
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers["HX-Redirect"] = loginUrl;
        return Task.CompletedTask;
    }
}

public sealed class SignInRateLimitOptions
{
    public const string Section = "Accounts:RateLimits";

    // Generous: a team behind one proxy shares an address.
    public int PostsPerMinute { get; set; } = 120;
}
