using System.Collections.Concurrent;
using System.Net;
using AngleSharp.Html.Parser;
using ChatMvc.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChatMvc.Tests.Accounts;

public static class Mail
{
    // The link in the one message sent to that address.
    public static string LinkInMail(string mailFolder, string email)
    {
        var mail = Directory.GetFiles(mailFolder).Select(File.ReadAllText).Single(m => m.Contains(email));
        var body = new HtmlParser().ParseDocument(mail);
        return WebUtility.HtmlDecode(body.QuerySelector("a")!.GetAttribute("href")!);
    }
}

// Links in mail name App:PublicUrl, whatever Host the request that caused the mail gave.
public abstract class PublicUrlTests<TApp>(TApp app) : IClassFixture<TApp>
    where TApp : ChatAppFactory
{
    [Fact]
    public async Task A_reset_asked_for_with_another_host_mails_a_link_to_the_public_address()
    {
        var user = AccountSteps.NewUser();
        using (var owner = new WebSession(app))
        {
            await owner.RegisterAsync(user);
        }

        using var attacker = new WebSession(app.CreateClient(new WebApplicationFactoryClientOptions
        {
            BaseAddress = new Uri("http://evil.test"),
            AllowAutoRedirect = false,
            HandleCookies = true,
        }));
        var forgot = await attacker.GetAsync("/Identity/Account/ForgotPassword");
        var sent = await attacker.SubmitAsync(forgot, new Dictionary<string, string> { ["Input.Email"] = user.Email });

        Assert.StartsWith("/Identity/Account/ForgotPasswordConfirmation", sent.Path);
        var link = new Uri(Mail.LinkInMail(app.MailFolder, user.Email));
        Assert.Equal(new Uri(ChatAppFactory.PublicUrl).Authority, link.Authority);
        Assert.Equal("/Identity/Account/ResetPassword", link.AbsolutePath);
    }

    [Fact]
    public async Task A_confirmation_link_from_the_api_names_the_public_address()
    {
        using var confirming = new ConfirmingApp(app.Engine);
        using var http = confirming.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("http://evil.test") });
        var user = AccountSteps.NewUser();

        var response = await http.PostAsync("/api/v1/auth/register", System.Net.Http.Json.JsonContent.Create(new { user.Email, user.Password, user.DisplayName }));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var link = new Uri(Mail.LinkInMail(confirming.MailFolder, user.Email));
        Assert.Equal(new Uri(ChatAppFactory.PublicUrl).Authority, link.Authority);
        Assert.Equal("/Identity/Account/ConfirmEmail", link.AbsolutePath);
    }

    private sealed class ConfirmingApp(Engine engine) : ChatAppFactory(engine)
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Accounts:RequireConfirmedEmail", "true");
        }
    }
}

public sealed class PublicUrlTestsOnSqlite(SqliteApp app) : PublicUrlTests<SqliteApp>(app);

public sealed class PublicUrlTestsOnMariaDb(MariaDbApp app) : PublicUrlTests<MariaDbApp>(app);

// How the app is set up outside Development: the public address is required, it names the only host answered unless
// AllowedHosts says otherwise, and the log never carries a mail's body (a reset link is a key to the account).
public sealed class PublicUrlSettingTests
{
    [Theory]
    [InlineData("")]
    [InlineData("chat.example.test")]
    [InlineData("ftp://chat.example.test")]
    public void Outside_development_the_app_refuses_to_start_without_a_usable_public_url(string publicUrl)
    {
        using var app = new ConfiguredApp(new() { ["App:PublicUrl"] = publicUrl });

        var failure = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains("App:PublicUrl", Flatten(failure));
    }

    [Fact]
    public async Task In_development_links_in_mail_fall_back_to_the_address_of_the_request()
    {
        using var app = new ConfiguredApp(new() { ["App:PublicUrl"] = string.Empty }, environment: "Development");
        var user = AccountSteps.NewUser();
        using var client = new WebSession(app.CreateClient(new WebApplicationFactoryClientOptions
        {
            BaseAddress = new Uri("http://localhost:5064"),
            AllowAutoRedirect = false,
        }));
        await client.RegisterAsync(user);
        await client.SignOutAsync();

        await client.SubmitAsync(await client.GetAsync("/Identity/Account/ForgotPassword"), new Dictionary<string, string> { ["Input.Email"] = user.Email });

        Assert.Equal("localhost:5064", new Uri(Mail.LinkInMail(app.MailFolder, user.Email)).Authority);
    }

    [Fact]
    public async Task Without_allowed_hosts_only_the_public_host_is_answered()
    {
        using var app = new ConfiguredApp(new() { ["AllowedHosts"] = string.Empty });
        using var http = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var publicHost = await http.GetAsync($"{ChatAppFactory.PublicUrl}/Identity/Account/Login");
        var otherHost = await http.GetAsync("http://evil.test/Identity/Account/Login");

        Assert.Equal(HttpStatusCode.OK, publicHost.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, otherHost.StatusCode);
    }

    [Fact]
    public async Task Outside_development_the_log_names_a_mail_but_never_holds_its_body()
    {
        var log = new CapturedLog();
        using var app = new ConfiguredApp(new(), log: log);
        var user = AccountSteps.NewUser();
        using var client = new WebSession(app);
        await client.RegisterAsync(user);
        await client.SignOutAsync();

        await client.SubmitAsync(await client.GetAsync("/Identity/Account/ForgotPassword"), new Dictionary<string, string> { ["Input.Email"] = user.Email });

        var link = Mail.LinkInMail(app.MailFolder, user.Email);
        var code = QueryHelpers.ParseQuery(new Uri(link).Query)["code"].ToString();
        Assert.True(code.Length > 20, link);
        Assert.True(log.Lines.Any(line => line.Contains(user.Email)), string.Join("\n", log.Lines));
        Assert.DoesNotContain(log.Lines, line => line.Contains(code, StringComparison.Ordinal));
    }

    private static string Flatten(Exception e) =>
        e is AggregateException aggregate ? string.Join("\n", aggregate.InnerExceptions.Select(Flatten)) : e.Message + "\n" + (e.InnerException is { } inner ? Flatten(inner) : string.Empty);

    private sealed class ConfiguredApp(Dictionary<string, string?> settings, string? environment = null, CapturedLog? log = null)
        : ChatAppFactory(Engine.Sqlite)
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(settings));
            if (environment is not null)
            {
                builder.UseEnvironment(environment);
            }

            if (log is not null)
            {
                builder.ConfigureServices(services => services.AddLogging(logging => logging.AddProvider(log)));
            }
        }
    }

    private sealed class CapturedLog : ILoggerProvider
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(Lines);

        public void Dispose()
        {
        }

        private sealed class Logger(ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue(formatter(state, exception));
        }
    }
}
