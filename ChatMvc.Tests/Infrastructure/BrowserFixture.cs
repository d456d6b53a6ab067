using System.Text.RegularExpressions;
using ChatMvc.Chat;
using ChatMvc.Data;
using Dapper;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace ChatMvc.Tests.Infrastructure;

// The app on a real port and Debian's Chromium driven by Playwright (never a downloaded browser).
public sealed class BrowserFixture : IAsyncLifetime
{
    private IPlaywright? playwright;

    public KestrelApp App { get; } = new();

    public IBrowser Browser { get; private set; } = null!;

    public string BaseUrl { get; private set; } = string.Empty;

    // Offered on the sign-in page as "Sign in with Example ID".
    public TestOpenIdProvider Provider { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Provider = await TestOpenIdProvider.StartAsync();
        foreach (var (key, value) in Provider.Settings())
        {
            App.Settings[key] = value;
        }

        App.StartServer();
        var addresses = App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!;
        BaseUrl = addresses.Addresses.First().Replace("[::]", "127.0.0.1").Replace("0.0.0.0", "127.0.0.1");
        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = TestServers.Chromium,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-quic",
            ],
        });
    }

    // timeZone (an IANA id) and locale as the device reports them; Chromium's own otherwise.
    public async Task<IBrowserContext> NewContextAsync(bool javaScript = true, string? timeZone = null, string? locale = null) =>
        await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUrl,
            JavaScriptEnabled = javaScript,
            TimezoneId = timeZone,
            Locale = locale,
        });

    // Registers through the register page in a browser context of its own, which stays signed in. The display
    // name gets a unique suffix so a people search finds exactly this person.
    public async Task<BrowserPerson> RegisterPersonAsync(string name, bool javaScript = true, string? timeZone = null, string? locale = null)
    {
        var user = AccountSteps.NewUser($"{name} {Guid.NewGuid().ToString("N")[..6]}");
        var context = await NewContextAsync(javaScript, timeZone, locale);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/Identity/Account/Register");
        await page.GetByLabel("Email").FillAsync(user.Email);
        await page.GetByLabel("Display name").FillAsync(user.DisplayName);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(user.Password);
        await page.GetByLabel("Confirm password").FillAsync(user.Password);
        await page.GetByLabel("Confirm password").PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeVisibleAsync();

        var db = App.Services.GetRequiredService<ChatDb>();
        await using var connection = await db.OpenAsync();
        var id = await connection.ExecuteScalarAsync<long>(
            "SELECT id FROM users WHERE normalized_email = @email", new { email = user.Email.ToUpperInvariant() });
        return new BrowserPerson(user, id, context, page);
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        playwright?.Dispose();
        App.Dispose();
        await Provider.DisposeAsync();
    }

    public static async Task<IReadOnlyList<string>> AxeViolationsAsync(IPage page)
    {
        var result = await page.RunAxe();
        return result.Violations
            .Select(v => $"{v.Id}: {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}")
            .ToList();
    }
}

// One signed-in person in their own browser context. Setup steps go through the context's request API: the same
// forms and cookies as the page, without disturbing what the page shows.
public sealed partial class BrowserPerson(TestUser user, long id, IBrowserContext context, IPage page) : IAsyncDisposable
{
    private string? antiforgeryToken;

    public TestUser User { get; } = user;

    public long Id { get; } = id;

    public IBrowserContext Context { get; } = context;

    public IPage Page { get; } = page;

    public string Name => User.DisplayName;

    public Task<long> StartConversationAsync(params BrowserPerson[] others) => StartAsync(null, others);

    public Task<long> StartGroupAsync(string title, params BrowserPerson[] others) => StartAsync(title, others);

    private async Task<long> StartAsync(string? title, BrowserPerson[] others)
    {
        var form = Context.APIRequest.CreateFormData();
        form.Set("__RequestVerificationToken", await AntiforgeryTokenAsync());
        if (title is not null)
        {
            form.Set("title", title);
        }
        foreach (var other in others)
        {
            form.Append("selected", other.Id.ToString());
        }

        var response = await Context.APIRequest.PostAsync(ChatUrls.Conversations, new() { Form = form });
        var window = WindowPath().Match(new Uri(response.Url).AbsolutePath);
        return window.Success && response.Ok
            ? long.Parse(window.Groups[1].Value)
            : throw new InvalidOperationException($"Starting a conversation failed ({response.Status} {response.Url}).");
    }

    // Sends as a browser without JavaScript does: a plain form POST.
    public async Task SendAsync(long conversationId, string body)
    {
        var form = Context.APIRequest.CreateFormData();
        form.Set("__RequestVerificationToken", await AntiforgeryTokenAsync());
        form.Set("Body", body);
        form.Set("ClientMessageId", Guid.NewGuid().ToString("N"));
        var response = await Context.APIRequest.PostAsync(ChatUrls.Messages(conversationId), new() { Form = form, MaxRedirects = 0 });
        if (response.Status != 302)
        {
            throw new InvalidOperationException($"Sending failed ({response.Status}): {await response.TextAsync()}");
        }
    }

    // Opens the window without showing it, which marks its messages read.
    public async Task ReadAsync(long conversationId)
    {
        var response = await Context.APIRequest.GetAsync(ChatUrls.Conversation(conversationId));
        if (!response.Ok)
        {
            throw new InvalidOperationException($"Opening conversation {conversationId} failed ({response.Status}).");
        }
    }

    public async ValueTask DisposeAsync() => await Context.DisposeAsync();

    public async Task<string> AntiforgeryTokenAsync()
    {
        if (antiforgeryToken is null)
        {
            var page = await Context.APIRequest.GetAsync(ChatUrls.NewConversation);
            antiforgeryToken = AntiforgeryField().Match(await page.TextAsync()) is { Success: true } field
                ? field.Groups[1].Value
                : throw new InvalidOperationException($"No antiforgery token on {ChatUrls.NewConversation} ({page.Status}).");
        }

        return antiforgeryToken;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    [GeneratedRegex(@"^/conversations/(\d+)$")]
    private static partial Regex WindowPath();
}

public sealed class KestrelApp : ChatAppFactory
{
    public KestrelApp()
        : base(Engine.Sqlite)
    {
        UseKestrel(0);
    }

    // Settings of the browser tests' own, read when the server starts.
    public Dictionary<string, string?> Settings { get; } = [];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(Settings));
        builder.ConfigureServices(services => services.AddSingleton<IStartupFilter, FailingAddresses>());
    }

    // Only an unhandled exception shows the error pages, so the browser tests get two addresses that throw one:
    // a plain failure and a database that does not answer. Added after the app's own pipeline, inside its
    // exception handler.
    private sealed class FailingAddresses : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            next(app);
            app.Map("/test/fail", failing => failing.Run(_ => throw new InvalidOperationException("A failure for the error page.")));
            app.Map("/test/database-down", failing => failing.Run(_ => throw new Microsoft.Data.Sqlite.SqliteException("The database is down.", 1)));
        };
    }
}
