using System.Net;
using System.Text.Encodings.Web;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using ChatMvc.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ZXing;
using ZXing.Common;
using ZXing.QrCode;

namespace ChatMvc.Tests.Accounts;

// Issue 15: every account page the app uses is ours: the app's layout and words ("Sign in", labels above their
// fields), no framework boilerplate, one profile, and a QR code for setting up an authenticator app.
public abstract class AccountPagesTests<TApp>(TApp app) : IClassFixture<TApp>
    where TApp : ChatAppFactory
{
    [Fact]
    public async Task Every_account_page_is_in_the_apps_layout_and_words_with_labels_above_their_fields()
    {
        using var client = new WebSession(app);
        var pages = new List<Page>();
        foreach (var path in new[]
        {
            "/Identity/Account/Login", "/Identity/Account/Register", "/Identity/Account/ForgotPassword",
            "/Identity/Account/ForgotPasswordConfirmation", "/Identity/Account/ResetPassword?code=abc",
            "/Identity/Account/ResetPasswordConfirmation", "/Identity/Account/Lockout", "/Identity/Account/AccessDenied",
            "/Identity/Account/Logout", "/Identity/Account/ResendEmailConfirmation",
        })
        {
            pages.Add(await client.GetAsync(path));
        }

        var user = AccountSteps.NewUser("Pat Pages");
        await client.RegisterAsync(user);
        foreach (var path in new[]
        {
            "/Identity/Account/Manage/Email", "/Identity/Account/Manage/ChangePassword",
            "/Identity/Account/Manage/TwoFactorAuthentication", "/Identity/Account/Manage/PersonalData",
            "/Identity/Account/Manage/DeletePersonalData", "/Identity/Account/Logout",
        })
        {
            pages.Add(await client.GetAsync(path));
        }

        var (enable, key) = await OpenAuthenticatorSetUpAsync(client);
        pages.Add(enable);
        var codes = await client.SubmitAsync(enable, new Dictionary<string, string> { ["Input.Code"] = Totp.Code(key) }, "form#send-code");
        Assert.StartsWith("/Identity/Account/Manage/ShowRecoveryCodes", codes.Path);
        pages.Add(codes);
        foreach (var path in new[]
        {
            "/Identity/Account/Manage/TwoFactorAuthentication", "/Identity/Account/Manage/GenerateRecoveryCodes",
            "/Identity/Account/Manage/Disable2fa", "/Identity/Account/Manage/ResetAuthenticator",
        })
        {
            pages.Add(await client.GetAsync(path));
        }

        await client.SignOutAsync();
        var challenge = await client.SignInAsync(user.Email, user.Password);
        Assert.StartsWith("/Identity/Account/LoginWith2fa", challenge.Path);
        pages.Add(challenge);
        pages.Add(await client.GetAsync("/Identity/Account/LoginWithRecoveryCode"));

        var findings = pages.SelectMany(Findings).ToList();
        Assert.True(findings.Count == 0, string.Join("\n", findings));
    }

    [Fact]
    public async Task Sign_in_says_sign_in_and_shows_no_other_services_when_none_is_configured()
    {
        using var client = new WebSession(app);

        var page = await client.GetAsync("/Identity/Account/Login");

        Assert.Equal("Sign in", page.Document.QuerySelector("main h1")!.TextContent.Trim());
        Assert.Equal("Sign in", page.Document.QuerySelector("form#account button[type=submit]")!.TextContent.Trim());
        Assert.Null(page.Document.QuerySelector("#external-account"));
        Assert.DoesNotContain("another service", page.MainText, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Two_factor_set_up_shows_a_server_drawn_qr_code_of_the_authenticator_uri_beside_the_key()
    {
        using var client = new WebSession(app);
        var user = AccountSteps.NewUser("Quinn Code");
        await client.RegisterAsync(user);

        var (page, key) = await OpenAuthenticatorSetUpAsync(client);

        // The key in groups of four characters.
        var groups = key.Split(' ');
        Assert.True(groups.Length >= 4, key);
        Assert.All(groups[..^1], group => Assert.Equal(4, group.Length));
        Assert.InRange(groups[^1].Length, 1, 4);

        // An inline SVG with a name, no image from anywhere else, no script.
        var svg = page.Document.QuerySelector("main svg")!;
        Assert.Equal("img", svg.GetAttribute("role"));
        var title = page.Document.GetElementById(svg.GetAttribute("aria-labelledby")!)!;
        Assert.Contains("QR code", title.TextContent);
        Assert.Empty(page.Document.QuerySelectorAll("main img, main script, script[src*='qr']"));

        var secret = key.Replace(" ", string.Empty).ToUpperInvariant();
        var expected = $"otpauth://totp/ChatMvc:{UrlEncoder.Default.Encode(user.Email)}?secret={secret}&issuer=ChatMvc&digits=6";
        Assert.Equal(expected, DecodeQrCode(svg));

        // Scanning it and entering the app's code still turns two-factor sign-in on.
        var codes = await client.SubmitAsync(page, new Dictionary<string, string> { ["Input.Code"] = Totp.Code(key) }, "form#send-code");
        Assert.Equal(10, codes.Document.QuerySelectorAll("code.recovery-code").Length);
        var settings = await client.GetAsync("/Identity/Account/Manage/TwoFactorAuthentication");
        Assert.Contains("Two-factor sign-in is on", settings.MainText);
    }

    [Fact]
    public async Task The_account_index_is_not_a_second_profile_it_goes_to_the_profile_page()
    {
        using var client = new WebSession(app);
        await client.RegisterAsync(AccountSteps.NewUser("Robin Profile"));

        var response = await client.Http.GetAsync("/Identity/Account/Manage");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/profile", response.Headers.Location!.OriginalString);

        // The account settings link to the profile, and nothing links to the old page or asks for a phone number.
        var email = await client.GetAsync("/Identity/Account/Manage/Email");
        var nav = email.Document.QuerySelector("nav.account-nav")!;
        Assert.Contains(nav.QuerySelectorAll("a"), a => a.GetAttribute("href") == "/profile" && a.TextContent.Trim() == "Profile");
        Assert.Equal("page", nav.QuerySelector("a[href='/Identity/Account/Manage/Email']")!.GetAttribute("aria-current"));
        var profile = await client.GetAsync("/profile");
        foreach (var page in new[] { email, profile })
        {
            Assert.DoesNotContain(page.Document.QuerySelectorAll("a[href]"), a => a.GetAttribute("href")!.TrimEnd('/') is "/Identity/Account/Manage" or "/Identity/Account/Manage/Index");
            Assert.Empty(page.Document.QuerySelectorAll("input[type=tel], input[name*='Phone']"));
        }

        Assert.Contains(profile.Document.QuerySelectorAll("main a"), a => a.GetAttribute("href") == "/Identity/Account/Manage/Email");
    }

    internal static async Task<(Page Page, string Key)> OpenAuthenticatorSetUpAsync(WebSession client)
    {
        var page = await client.GetAsync("/Identity/Account/Manage/EnableAuthenticator");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        return (page, page.Document.QuerySelector("main kbd")!.TextContent.Trim());
    }

    // What a page must not say or hold, and how its fields must be labelled.
    internal static IEnumerable<string> Findings(Page page)
    {
        var document = page.Document;
        var where = page.Url;
        if (page.Status != HttpStatusCode.OK)
        {
            yield return $"{where}: answered {(int)page.Status}";
            yield break;
        }

        if (document.QuerySelector("header.site-header nav") is null || document.QuerySelector("a.skip-link[href='#main']") is null
            || document.QuerySelector("link[rel=stylesheet][href^='/css/site.css']") is null)
        {
            yield return $"{where}: not in the app's layout";
        }

        if (!document.Title!.EndsWith("– ChatMvc", StringComparison.Ordinal))
        {
            yield return $"{where}: title '{document.Title}'";
        }

        var main = document.QuerySelector("main")!;
        if (main.QuerySelectorAll("h1").Length != 1)
        {
            yield return $"{where}: {main.QuerySelectorAll("h1").Length} main headings";
        }

        var text = document.Body!.TextContent;
        foreach (var phrase in new[] { "Log in", "log in", "Login", "login", "Log out", "logged out", "Use a local account", "another service", "2fa", "article", "Manage your account" })
        {
            if (text.Contains(phrase, StringComparison.Ordinal))
            {
                yield return $"{where}: says '{phrase}'";
            }
        }

        foreach (var link in document.QuerySelectorAll("a[href]"))
        {
            if (Uri.TryCreate(link.GetAttribute("href"), UriKind.Absolute, out var uri) && uri.Scheme.StartsWith("http", StringComparison.Ordinal))
            {
                yield return $"{where}: links away to {uri}";
            }
        }

        foreach (var framework in new[] { ".form-floating", ".btn-primary", ".col-md-4", ".col-md-6", ".row", ".alert", ".text-danger" })
        {
            if (main.QuerySelector(framework) is not null)
            {
                yield return $"{where}: framework markup {framework}";
            }
        }

        foreach (var input in main.QuerySelectorAll("input, select, textarea").OfType<IHtmlElement>())
        {
            var type = input.GetAttribute("type");
            if (type is "hidden" or "submit" or "button")
            {
                continue;
            }

            var label = input.Id is { Length: > 0 } id ? main.QuerySelector($"label[for='{id}']") : null;
            if (label is null)
            {
                yield return $"{where}: {input.GetAttribute("name") ?? input.Id} has no label";
            }
            else if (type != "checkbox" && label.CompareDocumentPosition(input).HasFlag(DocumentPositions.Preceding))
            {
                yield return $"{where}: the label of {input.GetAttribute("name")} comes after it";
            }
        }
    }

    // Draws the SVG's path (rectangles "M x y h w v 1 h -w z" in module units) into a bitmap and reads it as a
    // scanner would. The bitmap is a pure code (square modules, quiet zone, nothing else), and ZXing is told so:
    // its finder-pattern search, meant for photographs, misses about 1 in 250 perfect renderings, which made this
    // test fail now and then; the pure reader still decodes the format, the data and the error correction.
    internal static string DecodeQrCode(IElement svg)
    {
        var viewBox = svg.GetAttribute("viewBox")!.Split(' ').Select(int.Parse).ToArray();
        var size = viewBox[2];
        const int Scale = 4;
        var width = size * Scale;
        var pixels = Enumerable.Repeat((byte)255, width * width).ToArray();
        var d = svg.QuerySelector("path")!.GetAttribute("d")!;
        foreach (var rectangle in d.Split('z', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = rectangle.TrimStart('M').Split(' ', 'h', 'v');
            var (x, y, w) = (int.Parse(parts[0]), int.Parse(parts[1]), int.Parse(parts[2]));
            for (var py = y * Scale; py < (y + 1) * Scale; py++)
            {
                Array.Fill(pixels, (byte)0, (py * width) + (x * Scale), w * Scale);
            }
        }

        var source = new RGBLuminanceSource(pixels, width, width, RGBLuminanceSource.BitmapFormat.Gray8);
        var pure = new Dictionary<DecodeHintType, object> { [DecodeHintType.PURE_BARCODE] = true };
        var result = new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(source)), pure);
        return result?.Text ?? throw new InvalidOperationException("The QR code does not decode.");
    }
}

public sealed class AccountPagesTestsOnSqlite(SqliteApp app) : AccountPagesTests<SqliteApp>(app);

public sealed class AccountPagesTestsOnMariaDb(MariaDbApp app) : AccountPagesTests<MariaDbApp>(app);

// With a sign-in service configured, the sign-in page offers it.
public sealed class ExternalSignInSectionTests(SqliteAppWithSignInService app) : IClassFixture<SqliteAppWithSignInService>
{
    [Fact]
    public async Task Sign_in_offers_a_configured_service_in_the_apps_words()
    {
        using var client = new WebSession(app);

        var page = await client.GetAsync("/Identity/Account/Login");

        var section = page.Document.QuerySelector("main section[aria-labelledby=external-heading]")!;
        Assert.Equal("Sign in with another service", section.QuerySelector("h2")!.TextContent.Trim());
        var button = section.QuerySelector("form#external-account button[name=provider]")!;
        Assert.Equal(SqliteAppWithSignInService.Scheme, button.GetAttribute("value"));
        Assert.Equal("Sign in with Example Directory", button.TextContent.Trim());
    }
}

public sealed class SqliteAppWithSignInService() : ChatAppFactory(Engine.Sqlite)
{
    public const string Scheme = "example";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, UnusedHandler>(Scheme, "Example Directory", _ => { }));
    }

    // Only listed on the page; never asked to authenticate.
    private sealed class UnusedHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override Task<AuthenticateResult> HandleAuthenticateAsync() => Task.FromResult(AuthenticateResult.NoResult());
    }
}
