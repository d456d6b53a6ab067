using System.Net;
using System.Net.Http.Json;
using ChatMvc.Accounts;
using ChatMvc.Data;
using ChatMvc.Tests.Infrastructure;
using Dapper;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ChatMvc.Tests.Accounts;

// Issue 18: signing in through a real OpenID provider (OpenIddict on 127.0.0.1) with the app on a real port and a
// client that follows every redirect between the two with its cookies, as a browser without JavaScript does.
public abstract class SingleSignOnTests<TApp>(SingleSignOnWorld<TApp> world) : IClassFixture<SingleSignOnWorld<TApp>>
    where TApp : ChatAppFactory, new()
{
    [Fact]
    public async Task The_sign_in_page_offers_the_provider_as_a_form_button_only_when_one_is_configured()
    {
        using var browser = world.NewBrowser();
        var login = await browser.GetAsync("/Identity/Account/Login");

        var button = Assert.Single(login.Document.QuerySelectorAll("form#external-account button[name=provider]"));
        Assert.Equal("Sign in with Example ID", button.TextContent.Trim());
        Assert.Equal("post", login.Document.QuerySelector("form#external-account")!.GetAttribute("method"));
        Assert.NotNull(login.Document.QuerySelector("form#account"));
        Assert.Null(login.Document.QuerySelector("#administrator-sign-in"));
        // The form is sent on to the provider, which the page's policy allows.
        Assert.Contains($"form-action 'self' {world.Provider.Authority.TrimEnd('/')}", login.Response.Headers.GetValues("Content-Security-Policy").Single());

        using var plain = new WebSession(world.Plain);
        var withoutProvider = await plain.GetAsync("/Identity/Account/Login");
        Assert.Null(withoutProvider.Document.QuerySelector("form#external-account"));
        Assert.DoesNotContain("Sign in with", withoutProvider.MainText);
    }

    [Fact]
    public async Task A_first_sign_in_makes_an_account_from_the_verified_email_and_name_and_the_next_one_finds_it()
    {
        var person = world.Provider.Add($"{Guid.NewGuid():N}@example.test", "Noor Newcomer");
        using var browser = world.NewBrowser();

        var home = await SignInWithProviderAsync(browser, person.Email);

        Assert.Equal(HttpStatusCode.OK, home.Status);
        Assert.True(home.IsSignedIn(), home.MainText);
        var account = await world.AccountAsync(person.Email);
        Assert.NotNull(account);
        Assert.Equal("Noor Newcomer", account.DisplayName);
        Assert.True(account.EmailConfirmed);
        Assert.Null(account.PasswordHash);
        Assert.Equal([("oidc", person.Subject)], await world.LoginsAsync(account.Id));

        await browser.SignOutAsync();
        var again = await SignInWithProviderAsync(browser, person.Email);
        Assert.True(again.IsSignedIn());
        Assert.Equal(1, await world.CountAccountsAsync(person.Email));
    }

    [Fact]
    public async Task A_local_account_with_the_same_email_is_linked_only_after_its_password_is_proven()
    {
        var local = AccountSteps.NewUser("Lina Local");
        using (var registering = world.NewBrowser())
        {
            Assert.True((await registering.RegisterAsync(local)).IsSignedIn());
        }

        var person = world.Provider.Add(local.Email, "Lina at the provider");
        using var browser = world.NewBrowser();
        var link = await SignInWithProviderAsync(browser, person.Email);

        Assert.Equal("/Identity/Account/LinkLogin", PathOf(link));
        Assert.Contains(local.Email, link.MainText);
        Assert.False(link.IsSignedIn());

        var wrong = await browser.SubmitAsync(link, new() { ["Input.Password"] = "Not-the-password-1" }, "form#link-login");
        Assert.Equal(HttpStatusCode.BadRequest, wrong.Status);
        Assert.Contains("The email or password is incorrect", wrong.Document.QuerySelector("#password-error")!.TextContent);
        Assert.False(wrong.IsSignedIn());
        var account = (await world.AccountAsync(local.Email))!;
        Assert.Empty(await world.LoginsAsync(account.Id));

        var empty = await browser.SubmitAsync(wrong, new() { ["Input.Password"] = string.Empty }, "form#link-login");
        Assert.Equal(HttpStatusCode.BadRequest, empty.Status);
        Assert.Contains("Enter the password", empty.Document.QuerySelector("#password-error")!.TextContent);

        var home = await browser.SubmitAsync(empty, new() { ["Input.Password"] = local.Password }, "form#link-login");
        Assert.True(home.IsSignedIn(), home.MainText);
        Assert.Equal([("oidc", person.Subject)], await world.LoginsAsync(account.Id));
        Assert.Equal("Lina Local", (await world.AccountAsync(local.Email))!.DisplayName);

        // From now on the provider alone signs the person in.
        await browser.SignOutAsync();
        Assert.True((await SignInWithProviderAsync(browser, person.Email)).IsSignedIn());
        Assert.Equal(1, await world.CountAccountsAsync(local.Email));
    }

    [Fact]
    public async Task The_link_page_without_a_sign_in_from_the_provider_says_it_expired()
    {
        using var browser = world.NewBrowser();
        var page = await browser.GetAsync("/Identity/Account/LinkLogin");

        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        Assert.Contains("expired before it was finished", page.MainText);
    }

    [Fact]
    public async Task An_unverified_email_makes_no_account_and_says_why()
    {
        var person = world.Provider.Add($"{Guid.NewGuid():N}@example.test", "Una Unverified", emailVerified: false);
        using var browser = world.NewBrowser();

        var page = await SignInWithProviderAsync(browser, person.Email);

        Assert.Equal(HttpStatusCode.Forbidden, page.Status);
        Assert.Contains("did not confirm that the email address", page.Document.QuerySelector("#external-login-message")!.TextContent);
        Assert.False(page.IsSignedIn());
        Assert.Null(await world.AccountAsync(person.Email));
    }

    [Fact]
    public async Task An_unverified_email_does_not_reach_a_local_account_with_that_address()
    {
        var local = AccountSteps.NewUser("Vera Victim");
        using (var registering = world.NewBrowser())
        {
            await registering.RegisterAsync(local);
        }

        world.Provider.Add(local.Email, "Mallory", emailVerified: false);
        using var browser = world.NewBrowser();
        var page = await SignInWithProviderAsync(browser, local.Email);

        Assert.Equal(HttpStatusCode.Forbidden, page.Status);
        Assert.Empty(await world.LoginsAsync((await world.AccountAsync(local.Email))!.Id));
        Assert.Equal(HttpStatusCode.BadRequest, (await browser.GetAsync("/Identity/Account/LinkLogin")).Status);
    }

    [Fact]
    public async Task A_wrong_state_ends_on_a_clear_page_and_signs_nobody_in()
    {
        var person = world.Provider.Add($"{Guid.NewGuid():N}@example.test", "Sam State");
        using var browser = world.NewBrowser();
        var callback = await CallbackAsync(browser, person.Email);

        var tampered = new UriBuilder(callback) { Query = ReplaceParameter(callback.Query, "state", "forged-state") }.Uri;
        var page = await browser.GetAsync(tampered.AbsoluteUri);

        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        Assert.Contains("could not be matched to one started in this browser", page.Document.QuerySelector("#external-login-message")!.TextContent);
        Assert.False(page.IsSignedIn());
        Assert.Null(await world.AccountAsync(person.Email));
    }

    [Fact]
    public async Task A_callback_used_twice_is_refused_the_second_time()
    {
        var person = world.Provider.Add($"{Guid.NewGuid():N}@example.test", "Rita Replay");
        using var browser = world.NewBrowser();
        var callback = await CallbackAsync(browser, person.Email);

        Assert.True((await browser.GetAsync(callback.AbsoluteUri)).IsSignedIn());
        await browser.SignOutAsync();
        var replay = await browser.GetAsync(callback.AbsoluteUri);

        Assert.Equal(HttpStatusCode.BadRequest, replay.Status);
        Assert.Contains("Sign in with Example ID again", replay.MainText);
        Assert.False(replay.IsSignedIn());
    }

    [Fact]
    public async Task An_expired_code_ends_on_a_clear_page_and_makes_no_account()
    {
        var person = world.Provider.Add($"{Guid.NewGuid():N}@example.test", "Ed Expired");
        using var browser = world.NewBrowser();
        var callback = await CallbackAsync(browser, person.Email);

        // The provider's clock passes the code's lifetime (a minute) before the app redeems it.
        world.Provider.Clock.MoveOn(TimeSpan.FromMinutes(2));
        var page = await browser.GetAsync(callback.AbsoluteUri);

        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        Assert.Contains("no longer accepted this sign-in", page.Document.QuerySelector("#external-login-message")!.TextContent);
        Assert.False(page.IsSignedIn());
        Assert.Null(await world.AccountAsync(person.Email));
    }

    [Fact]
    public async Task A_refusal_at_the_provider_ends_on_a_clear_page()
    {
        var person = world.Provider.Add($"{Guid.NewGuid():N}@example.test", "Dee Declines", refuses: true);
        using var browser = world.NewBrowser();

        var page = await SignInWithProviderAsync(browser, person.Email);

        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        Assert.Contains("cancelled or refused at Example ID", page.Document.QuerySelector("#external-login-message")!.TextContent);
        Assert.Null(await world.AccountAsync(person.Email));
    }

    [Fact]
    public async Task An_unknown_provider_name_goes_back_to_the_sign_in_page()
    {
        using var browser = world.NewBrowser();
        var login = await browser.GetAsync("/Identity/Account/Login");
        var button = login.Document.QuerySelector("form#external-account button[name=provider]")!;
        button.SetAttribute("value", "nonexistent");

        var page = await browser.SubmitAsync(login, new(), "form#external-account", "button[name=provider]");

        Assert.Equal("/Identity/Account/Login", PathOf(page));
        Assert.Equal(HttpStatusCode.OK, page.Status);
    }

    [Fact]
    public async Task In_only_mode_the_password_form_is_for_administrators_and_a_person_is_told_to_use_the_provider()
    {
        var local = AccountSteps.NewUser("Otto Only");
        using (var registering = world.NewBrowser())
        {
            await registering.RegisterAsync(local);
        }

        using var browser = world.NewBrowser(only: true);
        var login = await browser.GetAsync("/Identity/Account/Login");
        Assert.NotNull(login.Document.QuerySelector("form#external-account"));
        var details = login.Document.QuerySelector("details#administrator-sign-in")!;
        Assert.Contains("Administrators", details.QuerySelector("summary")!.TextContent);
        Assert.NotNull(details.QuerySelector("form#account"));
        Assert.False(details.HasAttribute("open"));
        Assert.Null(login.Document.QuerySelector("main a[href*='Register']"));

        var refused = await browser.SignInAsync(local.Email, local.Password);
        Assert.False(refused.IsSignedIn());
        Assert.Contains("Sign in with Example ID: on this site passwords are only for administrators", refused.MainText);
        Assert.True(refused.Document.QuerySelector("details#administrator-sign-in")!.HasAttribute("open"));

        // A wrong password gets the usual answer: the refusal tells nobody which addresses have accounts.
        var wrong = await browser.SignInAsync(local.Email, "Not-the-password-1");
        Assert.Contains("The email or password is incorrect", wrong.MainText);

        using var api = world.NewApiClient(only: true);
        var token = await api.PostAsJsonAsync("/api/v1/auth/login", new { email = local.Email, password = local.Password });
        Assert.Equal(HttpStatusCode.Forbidden, token.StatusCode);
        Assert.Contains("passwords are only for administrators", await token.Content.ReadAsStringAsync());

        // An administrator keeps the password form.
        using (var administrator = world.NewBrowser(only: true))
        {
            Assert.True((await administrator.SignInAsync(world.Administrator.Email, world.Administrator.Password)).IsSignedIn());
        }

        // The provider still signs the same person in, once the password is proven to link the account.
        world.Provider.Add(local.Email, "Otto Only");
        var link = await SignInWithProviderAsync(browser, local.Email);
        Assert.Equal("/Identity/Account/LinkLogin", PathOf(link));
        var home = await browser.SubmitAsync(link, new() { ["Input.Password"] = local.Password }, "form#link-login");
        Assert.True(home.IsSignedIn(), home.MainText);
    }

    [Fact]
    public async Task A_first_sign_in_makes_an_account_only_when_who_may_join_allows_it()
    {
        var policy = world.Plain.Services.GetRequiredService<RegistrationPolicy>();
        try
        {
            await policy.SaveAsync(RegistrationMode.Closed, []);
            var closed = world.Provider.Add($"{Guid.NewGuid():N}@example.org", "Cleo Closed");
            using (var browser = world.NewBrowser())
            {
                var page = await SignInWithProviderAsync(browser, closed.Email);
                Assert.Equal(HttpStatusCode.Forbidden, page.Status);
                Assert.Contains("Joining is closed", page.Document.QuerySelector("#external-login-message")!.TextContent);
                Assert.Null(await world.AccountAsync(closed.Email));
            }

            // Single sign-on only, from one domain.
            await policy.SaveAsync(RegistrationMode.Sso, ["example.org"]);
            var outsider = world.Provider.Add($"{Guid.NewGuid():N}@example.test", "Otis Outside");
            using (var browser = world.NewBrowser())
            {
                var page = await SignInWithProviderAsync(browser, outsider.Email);
                Assert.Equal(HttpStatusCode.Forbidden, page.Status);
                Assert.Contains("Only addresses at example.org can join here", page.MainText);
                Assert.Null(await world.AccountAsync(outsider.Email));
            }

            var insider = world.Provider.Add($"{Guid.NewGuid():N}@example.org", "Ines Inside");
            using (var browser = world.NewBrowser())
            {
                Assert.True((await SignInWithProviderAsync(browser, insider.Email)).IsSignedIn());
                Assert.NotNull(await world.AccountAsync(insider.Email));
            }
        }
        finally
        {
            await policy.SaveAsync(RegistrationMode.Open, []);
        }
    }

    [Fact]
    public async Task The_account_pages_list_linked_logins_and_never_remove_the_last_way_to_sign_in()
    {
        var person = world.Provider.Add($"{Guid.NewGuid():N}@example.test", "Lou Logins");
        using var browser = world.NewBrowser();
        await SignInWithProviderAsync(browser, person.Email);
        var account = (await world.AccountAsync(person.Email))!;

        var logins = await browser.GetAsync("/Identity/Account/Manage/ExternalLogins");
        Assert.Equal(HttpStatusCode.OK, logins.Status);
        Assert.Contains("Example ID", logins.Document.QuerySelector("#linked-logins")!.TextContent);
        Assert.Empty(logins.Document.QuerySelectorAll("#linked-logins form"));
        Assert.Contains("only way to sign in", logins.MainText);
        Assert.NotNull(logins.Document.QuerySelector("nav.account-nav a#external-login"));

        // Asked anyway, with the page's own antiforgery token.
        var token = logins.Document.QuerySelector("input[name=__RequestVerificationToken]")?.GetAttribute("value")
            ?? (await browser.GetAsync("/Identity/Account/Manage/ChangePassword")).Document
                .QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var forced = await browser.PostAsync("/Identity/Account/Manage/ExternalLogins?handler=RemoveLogin", new Dictionary<string, string>
        {
            ["loginProvider"] = "oidc",
            ["providerKey"] = person.Subject,
            ["__RequestVerificationToken"] = token,
        });
        Assert.Contains("only way to sign in, so it stays linked", forced.MainText);
        Assert.Single(await world.LoginsAsync(account.Id));

        // With a password as well, the login can go.
        var setPassword = await browser.GetAsync("/Identity/Account/Manage/SetPassword");
        await browser.SubmitAsync(setPassword, new()
        {
            ["Input.NewPassword"] = AccountSteps.Password,
            ["Input.ConfirmPassword"] = AccountSteps.Password,
        }, "form#set-password-form");
        var removable = await browser.GetAsync("/Identity/Account/Manage/ExternalLogins");
        var removed = await browser.SubmitAsync(removable, new(), "#linked-logins form");
        Assert.Contains("is no longer linked", removed.MainText);
        Assert.Empty(await world.LoginsAsync(account.Id));
        Assert.NotNull(removed.Document.QuerySelector("form#link-login-form"));
    }

    [Fact]
    public async Task A_signed_in_person_links_the_provider_from_the_account_pages()
    {
        var local = AccountSteps.NewUser("Kai Keeps");
        using var browser = world.NewBrowser();
        await browser.RegisterAsync(local);
        var person = world.Provider.Add($"{Guid.NewGuid():N}@example.test", "Kai elsewhere");

        var logins = await browser.GetAsync("/Identity/Account/Manage/ExternalLogins");
        var providerLogin = await browser.SubmitAsync(logins, new(), "form#link-login-form", "button[name=provider]");
        var linked = await browser.SubmitAsync(providerLogin, new() { ["email"] = person.Email }, "main form");

        Assert.Equal("/Identity/Account/Manage/ExternalLogins", PathOf(linked));
        Assert.Contains("Example ID is linked", linked.MainText);
        var account = (await world.AccountAsync(local.Email))!;
        Assert.Equal([("oidc", person.Subject)], await world.LoginsAsync(account.Id));

        // The same provider account cannot be linked to a second account here.
        using var other = world.NewBrowser();
        await other.RegisterAsync(AccountSteps.NewUser("Second Account"));
        var otherLogins = await other.GetAsync("/Identity/Account/Manage/ExternalLogins");
        var again = await other.SubmitAsync(otherLogins, new(), "form#link-login-form", "button[name=provider]");
        var refused = await other.SubmitAsync(again, new() { ["email"] = person.Email }, "main form");
        Assert.Contains("already linked to another account", refused.MainText);
    }

    // The sign-in page's provider button, then the provider's own sign-in form, then back to the app.
    private static async Task<Page> SignInWithProviderAsync(WebSession browser, string email)
    {
        var login = await browser.GetAsync("/Identity/Account/Login");
        var providerLogin = await browser.SubmitAsync(login, new(), "form#external-account", "button[name=provider]");
        Assert.StartsWith("Sign in to Example ID", providerLogin.Document.Title);
        return await browser.SubmitAsync(providerLogin, new() { ["email"] = email }, "main form");
    }

    // As far as the provider's redirect back to the app, which the caller then follows (or alters) itself.
    private async Task<Uri> CallbackAsync(WebSession browser, string email)
    {
        var login = await browser.GetAsync("/Identity/Account/Login");
        var providerLogin = await browser.SubmitAsync(login, new(), "form#external-account", "button[name=provider]");
        var form = providerLogin.Document.QuerySelector("main form")!;
        var fields = form.QuerySelectorAll("input[type=hidden]").ToDictionary(i => i.GetAttribute("name")!, i => i.GetAttribute("value") ?? string.Empty);
        fields["email"] = email;
        var url = new Uri(new Uri(providerLogin.Url), form.GetAttribute("action"));
        var response = await browser.Http.PostAsync(url, new FormUrlEncodedContent(fields));
        for (var hops = 0; hops < 5; hops++)
        {
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            url = new Uri(url, response.Headers.Location!);
            if (url.AbsolutePath == "/signin-oidc")
            {
                Assert.Equal(world.BaseAddress.Authority, url.Authority);
                return url;
            }

            response = await browser.Http.GetAsync(url);
        }

        throw new InvalidOperationException("The provider never sent the browser back to the app.");
    }

    private static string PathOf(Page page) => new Uri(page.Url).AbsolutePath;

    private static string ReplaceParameter(string query, string name, string value) =>
        string.Join('&', query.TrimStart('?').Split('&')
            .Select(pair => pair.StartsWith(name + "=", StringComparison.Ordinal) ? $"{name}={Uri.EscapeDataString(value)}" : pair));
}

// The provider, and the app on a real port twice over one database: once with the provider as a choice, once with
// Authentication:Oidc:Only; and the same app without a provider, in process.
public sealed class SingleSignOnWorld<TApp> : IAsyncLifetime
    where TApp : ChatAppFactory, new()
{
    private WebApplicationFactory<Program>? withProvider;
    private WebApplicationFactory<Program>? only;

    public TApp Plain { get; } = new();

    public TestOpenIdProvider Provider { get; private set; } = null!;

    public Uri BaseAddress { get; private set; } = null!;

    public Uri OnlyBaseAddress { get; private set; } = null!;

    // The first account, and so an administrator.
    public TestUser Administrator { get; } = AccountSteps.NewUser("Ada Administrator");

    public async Task InitializeAsync()
    {
        Provider = await TestOpenIdProvider.StartAsync();
        (withProvider, BaseAddress) = Start(Provider.Settings());
        (only, OnlyBaseAddress) = Start(Provider.Settings(only: true));
        using var first = NewBrowser();
        Assert.True((await first.RegisterAsync(Administrator)).IsSignedIn());
        Assert.True((await AccountAsync(Administrator.Email))!.IsAdmin);
    }

    public WebSession NewBrowser(bool only = false) => new(NewClient(only ? OnlyBaseAddress : BaseAddress)) { FollowsOtherSites = true };

    public HttpClient NewApiClient(bool only = false) => NewClient(only ? OnlyBaseAddress : BaseAddress);

    public async Task<AccountRow?> AccountAsync(string email)
    {
        await using var connection = await Plain.Services.GetRequiredService<ChatDb>().OpenAsync();
        return await connection.QuerySingleOrDefaultAsync<AccountRow>(
            "SELECT id, display_name AS DisplayName, email_confirmed AS EmailConfirmed, password_hash AS PasswordHash, is_admin AS IsAdmin FROM users WHERE normalized_email = @email",
            new { email = email.ToUpperInvariant() });
    }

    public async Task<int> CountAccountsAsync(string email)
    {
        await using var connection = await Plain.Services.GetRequiredService<ChatDb>().OpenAsync();
        return await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM users WHERE normalized_email = @email", new { email = email.ToUpperInvariant() });
    }

    public async Task<List<(string Provider, string Key)>> LoginsAsync(long userId)
    {
        await using var connection = await Plain.Services.GetRequiredService<ChatDb>().OpenAsync();
        var rows = await connection.QueryAsync<(string, string)>(
            "SELECT login_provider, provider_key FROM user_logins WHERE user_id = @userId", new { userId });
        return rows.ToList();
    }

    public async Task DisposeAsync()
    {
        withProvider?.Dispose();
        only?.Dispose();
        Plain.Dispose();
        await Provider.DisposeAsync();
    }

    private static HttpClient NewClient(Uri address) =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() }) { BaseAddress = address };

    private (WebApplicationFactory<Program> App, Uri Address) Start(Dictionary<string, string?> settings)
    {
        var app = new SingleSignOnApp(Plain, settings);
        app.StartServer();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()
            .Replace("[::]", "127.0.0.1").Replace("0.0.0.0", "127.0.0.1");
        return (app, new Uri(address));
    }

    // The app on a real port over the database of another factory, with settings of its own.
    private sealed class SingleSignOnApp : ChatAppFactory
    {
        private readonly ChatAppFactory database;
        private readonly Dictionary<string, string?> settings;

        public SingleSignOnApp(ChatAppFactory database, Dictionary<string, string?> settings)
            : base(database.Engine)
        {
            (this.database, this.settings) = (database, settings);
            UseKestrel(0);
        }

        protected override string ConnectionString => database.Database.ConnectionString;

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(settings));
        }
    }

    public sealed class AccountRow
    {
        public long Id { get; init; }

        public string DisplayName { get; init; } = string.Empty;

        public bool EmailConfirmed { get; init; }

        public string? PasswordHash { get; init; }

        public bool IsAdmin { get; init; }
    }
}

public sealed class SingleSignOnTestsOnSqlite(SingleSignOnWorld<SqliteApp> world) : SingleSignOnTests<SqliteApp>(world);

public sealed class SingleSignOnTestsOnMariaDb(SingleSignOnWorld<MariaDbApp> world) : SingleSignOnTests<MariaDbApp>(world);
