using System.IO.Compression;
using System.Net;
using System.Text.Json;
using AngleSharp.Html.Parser;
using ChatMvc.Delivery;
using ChatMvc.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace ChatMvc.Tests.Delivery;

// How the app's bytes travel: the icons and manifest, compression, and how long browsers may keep static files.
// None of it touches storage, so one engine is enough.
public sealed class DeliveryTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    private static readonly HtmlParser Parser = new();

    private HttpClient Client(string scheme = "http") => app.CreateClient(new WebApplicationFactoryClientOptions
    {
        BaseAddress = new Uri($"{scheme}://localhost"),
        AllowAutoRedirect = false,
        HandleCookies = true,
    });

    private async Task<AngleSharp.Html.Dom.IHtmlDocument> SignInPageAsync(HttpClient http) =>
        Parser.ParseDocument(await http.GetStringAsync("/Identity/Account/Login"));

    [Theory]
    [InlineData("/favicon.ico", "image/x-icon")]
    [InlineData("/favicon.svg", "image/svg+xml")]
    [InlineData("/icon-192.png", "image/png")]
    [InlineData("/icon-512.png", "image/png")]
    [InlineData("/manifest.webmanifest", "application/manifest+json")]
    public async Task The_icons_and_the_manifest_are_served_with_their_types(string path, string type)
    {
        using var http = Client();

        using var response = await http.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(type, response.Content.Headers.ContentType?.MediaType);
        Assert.NotEmpty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Every_page_links_the_icons_and_the_manifest_and_the_manifest_names_icons_that_exist()
    {
        using var http = Client();
        var page = await SignInPageAsync(http);

        var icons = page.QuerySelectorAll("head link[rel=icon]").Select(l => l.GetAttribute("href")!).ToList();
        var manifest = page.QuerySelector("head link[rel=manifest]")?.GetAttribute("href");

        Assert.Contains(icons, href => href.StartsWith("/favicon.ico", StringComparison.Ordinal));
        Assert.Contains(icons, href => href.StartsWith("/favicon.svg", StringComparison.Ordinal));
        Assert.NotNull(manifest);
        foreach (var href in icons.Append(manifest))
        {
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(href)).StatusCode);
        }

        using var json = JsonDocument.Parse(await http.GetStringAsync(manifest));
        Assert.Equal("ChatMvc", json.RootElement.GetProperty("name").GetString());
        Assert.Equal("/", json.RootElement.GetProperty("start_url").GetString());
        foreach (var icon in json.RootElement.GetProperty("icons").EnumerateArray())
        {
            using var served = await http.GetAsync(icon.GetProperty("src").GetString());
            Assert.Equal(HttpStatusCode.OK, served.StatusCode);
            Assert.Equal(icon.GetProperty("type").GetString(), served.Content.Headers.ContentType?.MediaType);
        }
    }

    public static TheoryData<string, string> Encodings => new()
    {
        { "br", "http" }, { "gzip", "http" }, { "br", "https" }, { "gzip", "https" },
    };

    [Theory]
    [MemberData(nameof(Encodings))]
    public async Task Pages_json_and_static_files_are_compressed_as_the_browser_asks(string encoding, string scheme)
    {
        using var http = Client(scheme);
        var page = await SignInPageAsync(http);
        var stylesheet = page.QuerySelector("link[rel=stylesheet]")!.GetAttribute("href")!;
        var script = page.QuerySelector("script[src]")!.GetAttribute("src")!;

        foreach (var url in new[] { "/Identity/Account/Login", "/openapi/v1.json", stylesheet, script, "/manifest.webmanifest", "/favicon.svg" })
        {
            var plain = await http.GetByteArrayAsync(url);
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Add("Accept-Encoding", encoding);
            using var response = await http.SendAsync(request);

            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {response.StatusCode}");
            Assert.True(response.Content.Headers.ContentEncoding.SequenceEqual([encoding]), $"{url} was not sent as {encoding}.");
            Assert.Contains("Accept-Encoding", response.Headers.Vary);
            var compressed = await response.Content.ReadAsByteArrayAsync();
            var unpacked = Decompress(encoding, compressed);
            Assert.True(compressed.Length < plain.Length, $"{url}: {compressed.Length} bytes compressed, {plain.Length} plain.");
            if (!url.StartsWith("/Identity", StringComparison.Ordinal))
            {
                // A page carries a fresh antiforgery token each time; the rest is the same bytes.
                Assert.Equal(plain, unpacked);
            }
        }
    }

    [Fact]
    public async Task Over_https_a_page_holding_a_long_lived_secret_is_not_compressed_and_the_chat_pages_are()
    {
        using var http = Client("https");
        var session = new WebSession(http);
        Assert.True((await session.RegisterAsync(AccountSteps.NewUser("Ann Secure"))).IsSignedIn());

        var authenticator = await GetAsync(http, "/Identity/Account/Manage/EnableAuthenticator", "br");
        var conversations = await GetAsync(http, "/conversations", "br");

        Assert.Equal(HttpStatusCode.OK, authenticator.StatusCode);
        Assert.Contains("authenticator", await authenticator.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        Assert.Empty(authenticator.Content.Headers.ContentEncoding);
        Assert.Equal(["br"], conversations.Content.Headers.ContentEncoding);
    }

    [Fact]
    public async Task The_api_s_token_answers_are_not_compressed_over_https()
    {
        using var http = Client("https");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/register")
        {
            Content = JsonContent(new { email = "no-compress@example.test", password = AccountSteps.Password, displayName = "Token Person" }),
        };
        await http.SendAsync(request);
        using var login = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/login")
        {
            Content = JsonContent(new { email = "no-compress@example.test", password = AccountSteps.Password }),
        };
        login.Headers.Add("Accept-Encoding", "br, gzip");

        using var response = await http.SendAsync(login);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("accessToken", await response.Content.ReadAsStringAsync());
        Assert.Empty(response.Content.Headers.ContentEncoding);
    }

    [Fact]
    public async Task Versioned_static_files_are_cached_a_year_as_immutable_and_the_others_are_checked_again()
    {
        using var http = Client();
        var page = await SignInPageAsync(http);
        var versioned = page.QuerySelectorAll("link[href*='?v='], script[src*='?v=']")
            .Select(e => e.GetAttribute("href") ?? e.GetAttribute("src")!).ToList();
        Assert.True(versioned.Count >= 3, $"Only {versioned.Count} versioned links: {string.Join(", ", versioned)}");

        foreach (var url in versioned)
        {
            Assert.Equal(StaticAssets.Versioned, await CacheControlAsync(http, url));
            Assert.Equal("public, max-age=31536000, immutable", await CacheControlAsync(http, url));
            var path = url.Split('?')[0];
            Assert.Equal("no-cache", await CacheControlAsync(http, path));
            // A version that is not the file's own must not pin today's bytes under that URL for a year.
            Assert.Equal("no-cache", await CacheControlAsync(http, path + "?v=made-up"));
        }

        Assert.Equal("no-cache", await CacheControlAsync(http, "/favicon.ico"));
        Assert.Equal("no-cache", await CacheControlAsync(http, "/manifest.webmanifest"));
    }

    private static async Task<string?> CacheControlAsync(HttpClient http, string url)
    {
        using var response = await http.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response.Headers.CacheControl?.ToString();
    }

    private static async Task<HttpResponseMessage> GetAsync(HttpClient http, string url, string encoding)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("Accept-Encoding", encoding);
        return await http.SendAsync(request);
    }

    private static StringContent JsonContent(object value) =>
        new(JsonSerializer.Serialize(value), System.Text.Encoding.UTF8, "application/json");

    private static byte[] Decompress(string encoding, byte[] data)
    {
        using var input = new MemoryStream(data);
        using Stream unpack = encoding == "br"
            ? new BrotliStream(input, CompressionMode.Decompress)
            : new GZipStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        unpack.CopyTo(output);
        return output.ToArray();
    }
}
