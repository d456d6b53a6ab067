using System.Net;
using ChatMvc.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ChatMvc.Tests.Security;

// X-Forwarded-For/Proto count only from the proxies listed in ReverseProxy:KnownProxies. Over a real socket: the
// in-memory test server has no client address, and the framework then believes the first forwarded entry whatever
// is configured, so only a real connection (from 127.0.0.1) shows whom the app believes.
public sealed class ForwardedHeadersTests
{
    private const int PostsPerMinute = 3;

    [Fact]
    public async Task With_no_proxy_listed_x_forwarded_for_from_the_apps_own_host_does_not_escape_the_sign_in_limit()
    {
        // Empty, as docker-compose.yml passes it when no proxy is named.
        using var app = new SocketApp(new() { ["ReverseProxy:KnownProxies"] = string.Empty });
        using var http = app.Start();

        var statuses = await SignInPostsAsync(http, Enumerable.Range(1, PostsPerMinute + 2).Select(i => $"203.0.113.{i}"));

        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
    }

    [Fact]
    public async Task A_listed_proxy_is_believed_each_client_it_forwards_for_has_its_own_limit()
    {
        using var app = new SocketApp(new() { ["ReverseProxy:KnownProxies"] = "127.0.0.1" });
        using var http = app.Start();

        var distinct = await SignInPostsAsync(http, Enumerable.Range(1, PostsPerMinute + 2).Select(i => $"203.0.113.{i}"));
        var same = await SignInPostsAsync(http, Enumerable.Repeat("198.51.100.7", PostsPerMinute + 1));

        Assert.DoesNotContain(HttpStatusCode.TooManyRequests, distinct);
        Assert.Equal(HttpStatusCode.TooManyRequests, same[^1]);
    }

    [Fact]
    public async Task Behind_a_listed_https_proxy_the_app_sends_hsts_and_marks_cookies_secure()
    {
        using var app = new SocketApp(new() { ["ReverseProxy:KnownProxies:0"] = "127.0.0.1" });
        using var http = app.Start();

        var response = await http.SendAsync(ProxiedGet("https"));

        Assert.Contains("max-age=", response.Headers.GetValues("Strict-Transport-Security").Single());
        Assert.All(SetCookies(response), cookie => Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Headers_from_an_address_that_is_not_a_listed_proxy_are_ignored()
    {
        using var app = new SocketApp(new() { ["ReverseProxy:KnownProxies:0"] = "10.9.8.7", ["ReverseProxy:KnownNetworks:0"] = "192.0.2.0/24" });
        using var http = app.Start();

        var response = await http.SendAsync(ProxiedGet("https"));
        var statuses = await SignInPostsAsync(http, Enumerable.Range(1, PostsPerMinute + 2).Select(i => $"203.0.113.{i}"));

        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
        Assert.All(SetCookies(response), cookie => Assert.DoesNotContain("secure", cookie, StringComparison.OrdinalIgnoreCase));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
    }

    [Theory]
    [InlineData("ReverseProxy:TrustForwardedHeaders", "true", "ReverseProxy:KnownProxies")]
    [InlineData("ReverseProxy:KnownProxies", "proxy.example.test", "not an IP address")]
    [InlineData("ReverseProxy:KnownNetworks", "10.0.0.0/99", "not a network")]
    public void A_setting_that_would_trust_anyone_or_that_names_no_address_stops_startup_with_the_reason(string key, string value, string reason)
    {
        using var app = new SocketApp(new() { [key] = value });

        var failure = Assert.ThrowsAny<Exception>(() => app.Start());

        Assert.Contains(reason, Describe(failure));
    }

    // The cookies set, not those only deleted (an expiry in 1970).
    private static List<string> SetCookies(HttpResponseMessage response)
    {
        var cookies = response.Headers.GetValues("Set-Cookie").Where(c => !c.Contains("1970", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(cookies);
        return cookies;
    }

    private static string Describe(Exception e) =>
        e is AggregateException all ? string.Join("\n", all.InnerExceptions.Select(Describe)) : e.Message + "\n" + (e.InnerException is { } inner ? Describe(inner) : string.Empty);

    // Each as its own request (forwarded for the given client), straight at the sign-in form; without a token the
    // post is refused (400) unless the per-address limit answers first (429).
    private static async Task<List<HttpStatusCode>> SignInPostsAsync(HttpClient http, IEnumerable<string> clients)
    {
        var statuses = new List<HttpStatusCode>();
        foreach (var client in clients)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/Identity/Account/Login")
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["Input.Email"] = "someone@example.test", ["Input.Password"] = "x" }),
            };
            request.Headers.Add("X-Forwarded-For", client);
            statuses.Add((await http.SendAsync(request)).StatusCode);
        }

        return statuses;
    }

    // HSTS is never sent for localhost, so the request names the public host, as a proxy passing Host on would.
    private static HttpRequestMessage ProxiedGet(string scheme)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/Identity/Account/Login");
        request.Headers.Host = new Uri(ChatAppFactory.PublicUrl).Host;
        request.Headers.Add("X-Forwarded-Proto", scheme);
        request.Headers.Add("X-Forwarded-For", "203.0.113.50");
        return request;
    }

    private sealed class SocketApp : ChatAppFactory
    {
        private readonly Dictionary<string, string?> settings;

        public SocketApp(Dictionary<string, string?> settings)
            : base(Engine.Sqlite)
        {
            this.settings = settings;
            UseKestrel(0);
        }

        public HttpClient Start()
        {
            StartServer();
            var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            var port = new Uri(address.Replace("[::]", "localhost").Replace("0.0.0.0", "localhost")).Port;
            return new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
            {
                BaseAddress = new Uri($"http://127.0.0.1:{port}"),
            };
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(new Dictionary<string, string?>(settings)
            {
                ["Accounts:RateLimits:PostsPerMinute"] = PostsPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture),
            }));
        }
    }
}
