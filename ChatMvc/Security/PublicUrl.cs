using Microsoft.AspNetCore.HostFiltering;
using Microsoft.Extensions.Options;

namespace ChatMvc.Security;

public sealed class AppOptions
{
    public const string Section = "App";

    // The address people open the site at, such as https://chat.example.com.
    public string? PublicUrl { get; set; }

    // The IANA zone pages rendered without JavaScript show times in, for people who have not picked their own.
    public string DefaultTimeZone { get; set; } = "UTC";
}

// Links sent by mail must name the site itself, never the Host a request claimed: otherwise a password reset asked
// for with "Host: evil.test" mails a working reset link to evil.test.
public sealed class PublicOrigin(IOptions<AppOptions> options)
{
    // Only in Development may App:PublicUrl be missing (startup refuses elsewhere); there the request stands in.
    public (string Scheme, HostString Host, PathString PathBase) Of(HttpRequest request) =>
        Parse(options.Value.PublicUrl) is { } url
            ? (url.Scheme, HostString.FromUriComponent(url), PathBase(url))
            : (request.Scheme, request.Host, request.PathBase);

    public static Uri? Parse(string? value) =>
        Uri.TryCreate(value?.Trim(), UriKind.Absolute, out var url)
        && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp)
        && string.IsNullOrEmpty(url.Query) && string.IsNullOrEmpty(url.Fragment) && string.IsNullOrEmpty(url.UserInfo)
            ? url
            : null;

    private static PathString PathBase(Uri url) => url.AbsolutePath.TrimEnd('/') is { Length: > 0 } path ? new PathString(path) : PathString.Empty;
}

public sealed class AppOptionsValidation(IHostEnvironment environment) : IValidateOptions<AppOptions>
{
    public ValidateOptionsResult Validate(string? name, AppOptions options)
    {
        if (Chat.TimeZones.Find(options.DefaultTimeZone) is null)
        {
            return ValidateOptionsResult.Fail(
                $"App:DefaultTimeZone '{options.DefaultTimeZone}' is not a time zone this server knows: use an IANA id such as UTC, Europe/London or America/New_York.");
        }

        if (string.IsNullOrWhiteSpace(options.PublicUrl))
        {
            return environment.IsDevelopment()
                ? ValidateOptionsResult.Success
                : ValidateOptionsResult.Fail(
                    "Set App:PublicUrl (environment variable App__PublicUrl) to the address people open the site at, such as "
                    + "https://chat.example.com: links in mail (password reset, email confirmation) are built from it. Only in "
                    + "Development does each request's own address stand in for it.");
        }

        return PublicOrigin.Parse(options.PublicUrl) is null
            ? ValidateOptionsResult.Fail(
                $"App:PublicUrl '{options.PublicUrl}' is not an http or https address without query or fragment, such as https://chat.example.com.")
            : ValidateOptionsResult.Success;
    }
}

public static class PublicUrlServiceCollectionExtensions
{
    public static IServiceCollection AddPublicUrl(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AppOptions>().Bind(configuration.GetSection(AppOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AppOptions>, AppOptionsValidation>();
        services.AddSingleton<PublicOrigin>();
        // Unless AllowedHosts says otherwise, only the public host is answered (400 for any other Host). The framework
        // would otherwise fall back to "*", answering whatever name a request gives.
        services.AddOptions<HostFilteringOptions>().Configure<IOptions<AppOptions>>((hosts, app) =>
        {
            if (string.IsNullOrWhiteSpace(configuration["AllowedHosts"]) && PublicOrigin.Parse(app.Value.PublicUrl) is { } url)
            {
                hosts.AllowedHosts = [url.Host];
            }
        });
        return services;
    }
}
