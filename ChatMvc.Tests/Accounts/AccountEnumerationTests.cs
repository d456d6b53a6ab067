using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using ChatMvc.Tests.Api;
using ChatMvc.Tests.Infrastructure;

namespace ChatMvc.Tests.Accounts;

// Whether an email has an account must not show in the sign-in answers or in how long they take.
public abstract class AccountEnumerationTests<TApp>(TApp app) : IClassFixture<TApp>
    where TApp : ChatAppFactory
{
    private static string UnknownEmail() => $"nobody-{Guid.NewGuid():N}@example.test";

    private async Task<TestUser> RegisteredAsync()
    {
        using var client = new WebSession(app);
        var user = AccountSteps.NewUser();
        await client.RegisterAsync(user);
        return user;
    }

    // What a person sees after signing in: where they are, the status, and the message.
    private async Task<(HttpStatusCode Status, string Path, string? Message, bool SignedIn)> SignInAsync(string email, string password)
    {
        using var client = new WebSession(app);
        var page = await client.SignInAsync(email, password);
        return (page.Status, page.Path, page.Document.QuerySelector("[role=alert]")?.TextContent.Trim(), page.IsSignedIn());
    }

    [Fact]
    public async Task Registering_a_taken_email_says_only_that_the_email_cannot_be_used()
    {
        var user = await RegisteredAsync();
        using var client = new WebSession(app);

        var page = await client.RegisterAsync(user with { Email = user.Email.ToUpperInvariant() });

        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        var messages = page.Document.QuerySelectorAll(".validation-summary li").Select(li => li.TextContent.Trim()).ToList();
        Assert.Equal(
            ["This email address cannot be used for a new account. If you already have an account, sign in or reset your password."],
            messages);
        Assert.DoesNotContain("taken", page.MainText, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_wrong_password_and_an_unknown_email_get_the_same_answer()
    {
        var user = await RegisteredAsync();

        var real = await SignInAsync(user.Email, "Wrong-password-1");
        var unknown = await SignInAsync(UnknownEmail(), "Wrong-password-1");

        Assert.False(real.SignedIn);
        Assert.NotNull(real.Message);
        Assert.Equal(real, unknown);
    }

    [Fact]
    public async Task A_locked_account_and_an_unknown_email_get_the_same_answer()
    {
        var user = await RegisteredAsync();
        var unknownEmail = UnknownEmail();
        for (var attempt = 0; attempt < 5; attempt++)
        {
            Assert.Equal(await SignInAsync(user.Email, "Wrong-password-1"), await SignInAsync(unknownEmail, "Wrong-password-1"));
        }

        var locked = await SignInAsync(user.Email, user.Password);
        var unknown = await SignInAsync(unknownEmail, user.Password);

        Assert.False(locked.SignedIn);
        Assert.Contains("locked", locked.Message);
        Assert.Equal(locked, unknown);
    }

    [Fact]
    public async Task The_api_answers_a_wrong_password_a_locked_account_and_an_unknown_email_alike()
    {
        var user = await RegisteredAsync();
        var unknownEmail = UnknownEmail();
        using var http = app.NewApiClient();

        async Task<(HttpStatusCode, string?)> LoginAsync(string email, string password)
        {
            var response = await http.PostAsJsonAsync("/api/v1/auth/login", new { email, password });
            var problem = await response.ProblemAsync(HttpStatusCode.Unauthorized);
            return (response.StatusCode, problem.GetProperty("detail").GetString());
        }

        for (var attempt = 0; attempt < 5; attempt++)
        {
            Assert.Equal(await LoginAsync(user.Email, "Wrong-password-1"), await LoginAsync(unknownEmail, "Wrong-password-1"));
        }

        Assert.Equal(await LoginAsync(user.Email, user.Password), await LoginAsync(unknownEmail, user.Password));
    }

    [Fact]
    public async Task Signing_in_with_an_unknown_email_takes_about_as_long_as_with_a_wrong_password()
    {
        // Only the form post is timed, real and unknown in turn so that a busy machine slows both alike; below the
        // lockout, so every real attempt checks the password. A check costs tens of milliseconds; answering an unknown
        // email without one took a few.
        var users = new[] { await RegisteredAsync(), await RegisteredAsync() };
        using var client = new WebSession(app);
        var form = await client.GetAsync("/Identity/Account/Login");
        var token = form.Document.QuerySelector("form#account input[name=__RequestVerificationToken]")!.GetAttribute("value")!;

        async Task<double> TimedAsync(string email)
        {
            var fields = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Input.Email"] = email,
                ["Input.Password"] = "Wrong-password-1",
                ["__RequestVerificationToken"] = token,
            });
            var clock = Stopwatch.StartNew();
            var response = await client.Http.PostAsync("/Identity/Account/Login", fields);
            clock.Stop();
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return clock.Elapsed.TotalMilliseconds;
        }

        var real = new List<double>();
        var unknown = new List<double>();
        for (var attempt = 0; attempt < 4; attempt++)
        {
            foreach (var user in users)
            {
                real.Add(await TimedAsync(user.Email));
                unknown.Add(await TimedAsync(UnknownEmail()));
            }
        }

        var realMedian = Median(real);
        var unknownMedian = Median(unknown);
        Assert.True(
            unknownMedian > 0.3 * realMedian,
            $"Unknown emails took {unknownMedian:0.0} ms (median), wrong passwords {realMedian:0.0} ms: the time tells them apart.");
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return (sorted[(sorted.Count - 1) / 2] + sorted[sorted.Count / 2]) / 2;
    }
}

public sealed class AccountEnumerationTestsOnSqlite(SqliteApp app) : AccountEnumerationTests<SqliteApp>(app);

public sealed class AccountEnumerationTestsOnMariaDb(MariaDbApp app) : AccountEnumerationTests<MariaDbApp>(app);
