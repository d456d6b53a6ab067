using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace ChatMvc.Security;

public sealed class ReverseProxyOptions
{
    public const string Section = "ReverseProxy";

    // Addresses of the proxies in front of the app, as the app sees them (such as 10.0.0.5).
    public List<string> KnownProxies { get; set; } = [];

    // Networks whose every address is such a proxy, in CIDR form (such as 10.0.0.0/24).
    public List<string> KnownNetworks { get; set; } = [];

    // Replaced by KnownProxies: it trusted X-Forwarded-* from any address at all. Read only to refuse it.
    public bool TrustForwardedHeaders { get; set; }
}

public sealed class ReverseProxyOptionsValidation : IValidateOptions<ReverseProxyOptions>
{
    public ValidateOptionsResult Validate(string? name, ReverseProxyOptions options)
    {
        var errors = new List<string>();
        if (options.TrustForwardedHeaders)
        {
            errors.Add(
                "ReverseProxy:TrustForwardedHeaders is no longer supported: it let anyone set their address and scheme with "
                + "X-Forwarded-For/Proto. List the addresses of the proxies in front of the app in ReverseProxy:KnownProxies "
                + "(ReverseProxy__KnownProxies__0=10.0.0.5) or their networks in ReverseProxy:KnownNetworks, and remove the setting.");
        }

        errors.AddRange(options.KnownProxies.Where(p => !IPAddress.TryParse(p, out _))
            .Select(p => $"ReverseProxy:KnownProxies holds '{p}', which is not an IP address such as 10.0.0.5."));
        errors.AddRange(options.KnownNetworks.Where(n => !System.Net.IPNetwork.TryParse(n, out _))
            .Select(n => $"ReverseProxy:KnownNetworks holds '{n}', which is not a network such as 10.0.0.0/24."));
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

// Behind a TLS-terminating reverse proxy the client's address comes from X-Forwarded-For (the sign-in limits count per
// address) and the scheme from X-Forwarded-Proto (Secure cookies, HSTS). Only the proxies configured by name are
// believed: the framework's default also believes any process on the app's own host (loopback), which let anyone
// there, or anyone the proxy forwards for when it does not overwrite the header, choose their own address.
public static class ReverseProxyExtensions
{
    public static IServiceCollection AddReverseProxy(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(ReverseProxyOptions.Section);
        services.AddOptions<ReverseProxyOptions>()
            .Bind(section)
            // One value with the addresses separated by ';' works too, as for AllowedHosts: easier in an environment variable.
            .PostConfigure(options =>
            {
                options.KnownProxies.AddRange(Split(section[nameof(ReverseProxyOptions.KnownProxies)]));
                options.KnownNetworks.AddRange(Split(section[nameof(ReverseProxyOptions.KnownNetworks)]));
            })
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<ReverseProxyOptions>, ReverseProxyOptionsValidation>();
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ReverseProxyOptions>>((forwarded, proxy) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // A chain of listed proxies is unwrapped hop by hop; the first address that is not one of them is the client.
            forwarded.ForwardLimit = null;
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var address in proxy.Value.KnownProxies)
            {
                forwarded.KnownProxies.Add(IPAddress.Parse(address));
            }

            foreach (var network in proxy.Value.KnownNetworks)
            {
                forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });
        return services;
    }

    private static string[] Split(string? list) =>
        list?.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];

    // With no proxy listed the headers are not read at all: the middleware would take empty lists to mean "any address".
    public static IApplicationBuilder UseTrustedForwardedHeaders(this IApplicationBuilder app)
    {
        var proxy = app.ApplicationServices.GetRequiredService<IOptions<ReverseProxyOptions>>().Value;
        return proxy.KnownProxies.Count + proxy.KnownNetworks.Count > 0 ? app.UseForwardedHeaders() : app;
    }
}
