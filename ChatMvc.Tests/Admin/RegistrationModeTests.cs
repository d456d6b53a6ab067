using System.Net;
using System.Net.Http.Json;
using ChatMvc.Accounts;
using ChatMvc.Tests.Api;
using ChatMvc.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ChatMvc.Tests.Admin;

// Who may join, through the Register page and POST /api/v1/auth/register, in each registration mode. The tests of a
// class share one app and run one at a time, so each sets the mode it needs first.
public abstract class RegistrationModeTests<TApp>(TApp app) : IClassFixture<TApp>
    where TApp : ChatAppFactory
{
    [Fact]
    public async Task Open_registration_lets_anyone_join_through_the_page_and_the_api()
    {
        await app.SetRegistrationAsync(RegistrationMode.Open);

        using var browser = new WebSession(app);
        Assert.True((await browser.RegisterAsync(AccountSteps.NewUser("Opal Open"))).IsSignedIn());
        await (await RegisterThroughApiAsync(AccountSteps.NewUser("Otto Open"))).JsonAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Closed_registration_says_why_on_the_page_and_answers_the_api_with_403()
    {
        await app.SetRegistrationAsync(RegistrationMode.Closed);

        using var browser = new WebSession(app);
        var page = await browser.GetAsync("/Identity/Account/Register");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Null(page.Document.QuerySelector("form#registerForm"));
        Assert.Contains("Joining is closed", page.Document.QuerySelector("#registration-closed")!.TextContent);
        Assert.Contains("administrator", page.Document.QuerySelector("#registration-closed")!.TextContent);

        var problem = await (await RegisterThroughApiAsync(AccountSteps.NewUser("Cleo Closed"))).ProblemAsync(HttpStatusCode.Forbidden);
        Assert.Contains("Joining is closed", problem.GetProperty("detail").GetString());

        // Even with nothing else in the request, the answer is that joining is closed.
        using var http = app.NewApiClient();
        await (await http.PostAsJsonAsync("/api/v1/auth/register", new { })).ProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_form_posted_after_registration_closed_creates_nothing_and_says_why()
    {
        await app.SetRegistrationAsync(RegistrationMode.Open);
        using var browser = new WebSession(app);
        var form = await browser.GetAsync("/Identity/Account/Register");
        await app.SetRegistrationAsync(RegistrationMode.Closed);
        var user = AccountSteps.NewUser("Late Lou");

        var answer = await SubmitRegistrationAsync(browser, form, user);

        Assert.Equal(HttpStatusCode.Forbidden, answer.Status);
        Assert.Contains("Joining is closed", answer.Document.QuerySelector("#registration-closed")!.TextContent);
        await app.SetRegistrationAsync(RegistrationMode.Open);
        using var http = app.NewApiClient();
        await (await http.PostAsJsonAsync("/api/v1/auth/login", new { user.Email, user.Password })).ProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Sso_registration_sends_people_to_the_identity_provider()
    {
        await app.SetRegistrationAsync(RegistrationMode.Sso);

        using var browser = new WebSession(app);
        var page = await browser.GetAsync("/Identity/Account/Register");
        Assert.Null(page.Document.QuerySelector("form#registerForm"));
        Assert.Contains("single sign-on", page.Document.QuerySelector("#registration-closed")!.TextContent);
        var problem = await (await RegisterThroughApiAsync(AccountSteps.NewUser("Sam Sso"))).ProblemAsync(HttpStatusCode.Forbidden);
        Assert.Contains("single sign-on", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Invite_registration_needs_the_current_join_link()
    {
        var settings = await app.SetRegistrationAsync(RegistrationMode.Invite);
        var code = settings.JoinCode!;

        using var browser = new WebSession(app);
        var without = await browser.GetAsync("/Identity/Account/Register");
        Assert.Null(without.Document.QuerySelector("form#registerForm"));
        Assert.Contains("join link", without.Document.QuerySelector("#registration-closed")!.TextContent);
        await (await RegisterThroughApiAsync(AccountSteps.NewUser("Ivy Invite"))).ProblemAsync(HttpStatusCode.Forbidden);
        var wrong = await (await RegisterThroughApiAsync(AccountSteps.NewUser("Ivy Invite"), joinCode: "not-the-code")).ProblemAsync(HttpStatusCode.Forbidden);
        Assert.Contains("no longer valid", wrong.GetProperty("detail").GetString());

        // The join link opens the form, which keeps the code through the post.
        var form = await browser.GetAsync($"/Identity/Account/Register?join={code}");
        var user = AccountSteps.NewUser("Ivan Invited");
        var joined = await SubmitRegistrationAsync(browser, form, user);
        Assert.True(joined.IsSignedIn(), joined.MainText);
        await (await RegisterThroughApiAsync(AccountSteps.NewUser("Ines Invited"), joinCode: code)).JsonAsync(HttpStatusCode.Created);

        // A new link: the old one stops working.
        await app.SetRegistrationAsync(RegistrationMode.Open);
        var newCode = await app.Services.GetRequiredService<RegistrationPolicy>().NewJoinCodeAsync();
        await app.SetRegistrationAsync(RegistrationMode.Invite);
        var old = await (await RegisterThroughApiAsync(AccountSteps.NewUser("Olga Old"), joinCode: code)).ProblemAsync(HttpStatusCode.Forbidden);
        Assert.Contains("no longer valid", old.GetProperty("detail").GetString());
        await (await RegisterThroughApiAsync(AccountSteps.NewUser("Nina New"), joinCode: newCode)).JsonAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Allowed_email_domains_refuse_other_addresses_on_the_email_field()
    {
        await app.SetRegistrationAsync(RegistrationMode.Open, "example.test", "example.org");

        using var browser = new WebSession(app);
        var form = await browser.GetAsync("/Identity/Account/Register");
        Assert.Contains("example.test or example.org", form.Document.QuerySelector("#email-hint")!.TextContent);
        var outsider = new TestUser($"{Guid.NewGuid():N}@elsewhere.test", AccountSteps.Password, "Ed Elsewhere");
        var refused = await SubmitRegistrationAsync(browser, form, outsider);
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Contains("Only addresses at example.test or example.org", refused.Document.QuerySelector("#email-error")!.TextContent);

        var errors = await (await RegisterThroughApiAsync(outsider)).ValidationErrorsAsync();
        Assert.Contains(errors["email"], m => m.Contains("example.test or example.org", StringComparison.Ordinal));

        await (await RegisterThroughApiAsync(AccountSteps.NewUser("Dana Domain"))).JsonAsync(HttpStatusCode.Created);
        await app.SetRegistrationAsync(RegistrationMode.Open);
    }

    private static Task<Page> SubmitRegistrationAsync(WebSession browser, Page form, TestUser user) =>
        browser.SubmitAsync(form, new Dictionary<string, string>
        {
            ["Input.Email"] = user.Email,
            ["Input.DisplayName"] = user.DisplayName,
            ["Input.Password"] = user.Password,
            ["Input.ConfirmPassword"] = user.Password,
        });

    private async Task<HttpResponseMessage> RegisterThroughApiAsync(TestUser user, string? joinCode = null)
    {
        using var http = app.NewApiClient();
        return await http.PostAsJsonAsync("/api/v1/auth/register", new { user.Email, user.Password, user.DisplayName, joinCode });
    }
}

public sealed class RegistrationModeTestsOnSqlite(SqliteApp app) : RegistrationModeTests<SqliteApp>(app);

public sealed class RegistrationModeTestsOnMariaDb(MariaDbApp app) : RegistrationModeTests<MariaDbApp>(app);
