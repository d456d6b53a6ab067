using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ChatMvc.Tests.Api;
using ChatMvc.Tests.Infrastructure;

namespace ChatMvc.Tests.Admin;

// /api/v1/admin on an installation of its own, so who is an administrator is exactly what each test made.
public abstract class AdminApiTests<TApp> : IAsyncLifetime
    where TApp : ChatAppFactory, new()
{
    private readonly TApp app = new();
    private ApiUser admin = null!;

    public async Task InitializeAsync() => admin = await app.NewApiUserAsync("Ada Admin");

    public async Task DisposeAsync()
    {
        admin.Dispose();
        await app.DisposeAsync();
    }

    [Fact]
    public async Task The_last_administrator_cannot_be_demoted_or_deactivated_until_there_is_another()
    {
        var alone = await (await admin.Http.PostAsync($"/api/v1/admin/users/{admin.Id}/demote", null)).ProblemAsync(HttpStatusCode.Forbidden);
        Assert.Contains("last active administrator", alone.GetProperty("detail").GetString());

        using var bob = await app.NewApiUserAsync("Bob Second");
        var promoted = await (await admin.Http.PostAsync($"/api/v1/admin/users/{bob.Id}/promote", null)).JsonAsync(HttpStatusCode.OK);
        Assert.True(promoted.GetProperty("isAdmin").GetBoolean());

        var demoted = await (await bob.Http.PostAsync($"/api/v1/admin/users/{admin.Id}/demote", null)).JsonAsync(HttpStatusCode.OK);
        Assert.False(demoted.GetProperty("isAdmin").GetBoolean());

        // Now Bob is the last one, and Ada is no longer let in.
        await (await bob.Http.PostAsync($"/api/v1/admin/users/{bob.Id}/demote", null)).ProblemAsync(HttpStatusCode.Forbidden);
        await (await admin.Http.GetAsync("/api/v1/admin/users")).ProblemAsync(HttpStatusCode.NotFound);
        await (await admin.Http.PostAsync($"/api/v1/admin/users/{bob.Id}/demote", null)).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_last_administrator_cannot_delete_their_account_while_others_remain_until_someone_else_is_one()
    {
        using var bob = await app.NewApiUserAsync("Bob Staying");

        // The API says why, and nothing is deleted.
        var refused = await (await admin.Http.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/api/v1/users/me")
        {
            Content = JsonContent.Create(new { password = admin.Account.Password }),
        })).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("only active administrator", refused.GetProperty("detail").GetString());

        // The page says so before the form is sent, and again (without Identity's error page) if it is sent anyway.
        using var browser = new WebSession(app);
        await browser.SignInAsync(admin.Account.Email, admin.Account.Password);
        var page = await browser.GetAsync("/Identity/Account/Manage/DeletePersonalData");
        Assert.Contains("only active administrator", page.Document.QuerySelector(".validation-summary")!.TextContent);
        var posted = await browser.SubmitAsync(page, new Dictionary<string, string> { ["Input.Password"] = admin.Account.Password }, "form#delete-user");
        Assert.Equal(HttpStatusCode.Conflict, posted.Status);
        Assert.Contains("only active administrator", posted.Document.QuerySelector(".validation-summary")!.TextContent);
        Assert.Equal(HttpStatusCode.OK, (await admin.Http.GetAsync("/api/v1/users/me")).StatusCode);

        // With Bob an administrator too, Ada may go.
        await (await admin.Http.PostAsync($"/api/v1/admin/users/{bob.Id}/promote", null)).JsonAsync(HttpStatusCode.OK);
        var again = await browser.GetAsync("/Identity/Account/Manage/DeletePersonalData");
        Assert.Null(again.Document.QuerySelector(".validation-summary li"));
        var deleted = await browser.SubmitAsync(again, new Dictionary<string, string> { ["Input.Password"] = admin.Account.Password }, "form#delete-user");
        Assert.False(deleted.IsSignedIn());
        var people = await (await bob.Http.GetAsync("/api/v1/admin/users")).JsonAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(people.EnumerateArray(), p => p.GetProperty("id").GetInt64() == admin.Id);
    }

    [Fact]
    public async Task The_list_shows_each_account_s_email_role_and_last_activity()
    {
        using var cleo = await app.NewApiUserAsync("Cleo Member");
        using var browser = new WebSession(app);
        await browser.SignInAsync(cleo.Account.Email, cleo.Account.Password);
        await browser.GetAsync("/conversations");

        var list = await (await admin.Http.GetAsync("/api/v1/admin/users")).JsonAsync(HttpStatusCode.OK);

        var row = list.EnumerateArray().Single(u => u.GetProperty("id").GetInt64() == cleo.Id);
        Assert.Equal(cleo.Account.Email, row.GetProperty("email").GetString());
        Assert.False(row.GetProperty("isAdmin").GetBoolean());
        Assert.False(row.GetProperty("deactivated").GetBoolean());
        Assert.Equal(JsonValueKind.String, row.GetProperty("lastSeenAt").ValueKind);
        Assert.True(list.EnumerateArray().Single(u => u.GetProperty("id").GetInt64() == admin.Id).GetProperty("isAdmin").GetBoolean());
    }

    [Fact]
    public async Task A_deactivated_person_cannot_sign_in_leaves_the_directory_and_their_messages_stay_marked()
    {
        using var dan = await app.NewApiUserAsync("Dan Leaving");
        var conversation = await admin.StartConversationAsync(null, dan.Id);
        await dan.SendAsync(conversation, "Still here");

        await (await admin.Http.PostAsync($"/api/v1/admin/users/{dan.Id}/deactivate", null)).JsonAsync(HttpStatusCode.OK);

        using var http = app.NewApiClient();
        var login = await http.PostAsJsonAsync("/api/v1/auth/login", new { dan.Account.Email, dan.Account.Password });
        Assert.Contains("deactivated", (await login.ProblemAsync(HttpStatusCode.Forbidden)).GetProperty("detail").GetString());
        var guessed = await http.PostAsJsonAsync("/api/v1/auth/login", new { dan.Account.Email, Password = "Not-his-password-1" });
        Assert.DoesNotContain("deactivated", (await guessed.ProblemAsync(HttpStatusCode.Unauthorized)).GetProperty("detail").GetString());
        var directory = await (await admin.Http.GetAsync("/api/v1/users?q=Dan")).JsonAsync(HttpStatusCode.OK);
        Assert.Empty(directory.GetProperty("items").EnumerateArray());

        var messages = await (await admin.Http.GetAsync($"/api/v1/conversations/{conversation}/messages")).JsonAsync(HttpStatusCode.OK);
        var sender = messages.GetProperty("items").EnumerateArray().Single(m => m.GetProperty("body").GetString() == "Still here").GetProperty("sender");
        Assert.Equal("Dan Leaving", sender.GetProperty("displayName").GetString());
        Assert.True(sender.GetProperty("deactivated").GetBoolean());

        // Reactivated, they sign in again.
        await (await admin.Http.PostAsync($"/api/v1/admin/users/{dan.Id}/reactivate", null)).JsonAsync(HttpStatusCode.OK);
        await http.LoginAsync(dan.Account.Email, dan.Account.Password);
    }

    [Fact]
    public async Task Administrators_cannot_deactivate_themselves()
    {
        var problem = await (await admin.Http.PostAsync($"/api/v1/admin/users/{admin.Id}/deactivate", null)).ProblemAsync(HttpStatusCode.Forbidden);
        Assert.Contains("your own account", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task An_unknown_account_is_a_404()
    {
        await (await admin.Http.PostAsync("/api/v1/admin/users/999999/promote", null)).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Settings_change_who_may_join_and_bad_values_name_their_field()
    {
        var bad = await (await admin.Http.PutAsJsonAsync("/api/v1/admin/settings", new { registrationMode = "everyone", allowedEmailDomains = new[] { "not a domain" } }))
            .ValidationErrorsAsync();
        Assert.Contains(bad["registrationMode"], m => m.Contains("open, invite, closed, sso", StringComparison.Ordinal));
        Assert.Contains(bad["allowedEmailDomains"], m => m.Contains("not a domain", StringComparison.Ordinal));

        var closed = await (await admin.Http.PutAsJsonAsync("/api/v1/admin/settings", new { registrationMode = "closed", allowedEmailDomains = Array.Empty<string>() }))
            .JsonAsync(HttpStatusCode.OK);
        Assert.Equal("closed", closed.GetProperty("registrationMode").GetString());
        using var stranger = app.NewApiClient();
        var newcomer = AccountSteps.NewUser("Nick New");
        await (await stranger.PostAsJsonAsync("/api/v1/auth/register", new { newcomer.Email, newcomer.Password, newcomer.DisplayName }))
            .ProblemAsync(HttpStatusCode.Forbidden);

        // Closed: the administrator creates the account.
        var created = await (await admin.Http.PostAsJsonAsync("/api/v1/admin/users", new { newcomer.Email, newcomer.Password, newcomer.DisplayName }))
            .JsonAsync(HttpStatusCode.Created);
        Assert.Equal(newcomer.Email, created.GetProperty("email").GetString());
        await stranger.LoginAsync(newcomer.Email, newcomer.Password);

        var invite = await (await admin.Http.PutAsJsonAsync("/api/v1/admin/settings", new { registrationMode = "invite", allowedEmailDomains = new[] { "example.test" } }))
            .JsonAsync(HttpStatusCode.OK);
        Assert.Equal(["example.test"], invite.GetProperty("allowedEmailDomains").EnumerateArray().Select(d => d.GetString()));
        var joinUrl = new Uri(invite.GetProperty("joinUrl").GetString()!);
        var code = System.Web.HttpUtility.ParseQueryString(joinUrl.Query)["join"];
        var invited = AccountSteps.NewUser("Ivy Invited");
        await (await stranger.PostAsJsonAsync("/api/v1/auth/register", new { invited.Email, invited.Password, invited.DisplayName, joinCode = code }))
            .JsonAsync(HttpStatusCode.Created);

        var reset = await (await admin.Http.PostAsync("/api/v1/admin/settings/join-link", null)).JsonAsync(HttpStatusCode.OK);
        Assert.NotEqual(joinUrl.ToString(), reset.GetProperty("joinUrl").GetString());
        var late = AccountSteps.NewUser("Lee Late");
        await (await stranger.PostAsJsonAsync("/api/v1/auth/register", new { late.Email, late.Password, late.DisplayName, joinCode = code }))
            .ProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Each_administrator_action_is_in_the_audit_log_newest_first()
    {
        using var eve = await app.NewApiUserAsync("Eve Subject");
        await admin.Http.PostAsync($"/api/v1/admin/users/{eve.Id}/promote", null);
        await admin.Http.PostAsync($"/api/v1/admin/users/{eve.Id}/demote", null);
        await admin.Http.PostAsync($"/api/v1/admin/users/{eve.Id}/deactivate", null);
        await admin.Http.PostAsync($"/api/v1/admin/users/{eve.Id}/reactivate", null);
        await admin.Http.PutAsJsonAsync("/api/v1/admin/settings", new { registrationMode = "closed" });
        await admin.Http.PutAsJsonAsync("/api/v1/admin/settings", new { registrationMode = "open" });
        // Asking again for what is already so changes nothing and records nothing.
        await admin.Http.PostAsync($"/api/v1/admin/users/{eve.Id}/reactivate", null);

        var audit = await (await admin.Http.GetAsync("/api/v1/admin/audit")).JsonAsync(HttpStatusCode.OK);

        var entries = audit.EnumerateArray().ToList();
        Assert.Equal(
            ["registration-changed", "registration-changed", "reactivated", "deactivated", "demoted", "promoted"],
            entries.Select(e => e.GetProperty("action").GetString()));
        Assert.All(entries, e => Assert.Equal("Ada Admin", e.GetProperty("actorName").GetString()));
        Assert.Equal("Eve Subject", entries[^1].GetProperty("subjectName").GetString());
        Assert.Contains("closed", entries[1].GetProperty("detail").GetString());

        using var browser = new WebSession(app);
        await browser.SignInAsync(admin.Account.Email, admin.Account.Password);
        var page = await browser.GetAsync("/admin/audit");
        var items = page.Document.QuerySelectorAll("ol.audit-log li");
        Assert.Equal(6, items.Length);
        Assert.Contains("Ada Admin made Eve Subject an administrator", string.Join(' ', items[^1].TextContent.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)));
    }
}

public sealed class AdminApiTestsOnSqlite : AdminApiTests<SqliteApp>;

public sealed class AdminApiTestsOnMariaDb : AdminApiTests<MariaDbApp>;
