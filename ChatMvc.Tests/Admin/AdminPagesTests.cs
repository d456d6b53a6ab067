using System.Net;
using ChatMvc.Tests.Infrastructure;

namespace ChatMvc.Tests.Admin;

// The admin area without JavaScript: plain forms, each answered by a redirect back with what happened.
public abstract class AdminPagesTests<TApp>(TApp app) : IClassFixture<TApp>
    where TApp : ChatAppFactory
{
    [Fact]
    public async Task An_administrator_deactivates_someone_from_the_list_and_their_messages_stay_marked()
    {
        using var admin = await app.NewPersonAsync("Ana Admin");
        await app.MakeAdministratorAsync(admin.Id);
        using var ben = await app.NewPersonAsync("Ben Member");
        var conversation = await admin.StartConversationAsync(null, ben);
        await ben.SendAsync(conversation, "A message from Ben");

        var list = await admin.Client.GetAsync("/admin");
        var row = list.Document.QuerySelector($"#person-{ben.Id}")!;
        Assert.Contains(ben.User.Email, row.TextContent);
        Assert.Contains("Member", row.TextContent);
        Assert.NotNull(row.QuerySelector("time"));

        var answer = await admin.Client.SubmitAsync(list, [], $"#person-{ben.Id} form[action$='/deactivate']");

        Assert.Contains("Ben Member is deactivated", answer.Document.QuerySelector("[role=status]")!.TextContent);
        Assert.Contains("Deactivated", answer.Document.QuerySelector($"#person-{ben.Id}")!.TextContent);
        Assert.NotNull(answer.Document.QuerySelector($"#person-{ben.Id} form[action$='/reactivate']"));
        var window = await admin.OpenAsync(conversation);
        var message = window.Document.QuerySelectorAll("article.message").Single(m => m.TextContent.Contains("A message from Ben", StringComparison.Ordinal));
        Assert.Contains("Ben Member", message.QuerySelector(".message-sender")!.TextContent);
        Assert.Equal(" (deactivated)", message.QuerySelector(".message-sender-deactivated")!.TextContent);

        // Ben learns why with his own password; a wrong one gets the answer any failed sign-in gets, so the page
        // tells nobody else that the account was deactivated.
        var signIn = await new WebSession(app).SignInAsync(ben.User.Email, ben.User.Password);
        Assert.False(signIn.IsSignedIn());
        Assert.Contains("deactivated by an administrator", signIn.Document.QuerySelector(".validation-summary")!.TextContent);
        var guessed = await new WebSession(app).SignInAsync(ben.User.Email, "Not-his-password-1");
        Assert.False(guessed.IsSignedIn());
        Assert.Contains("The email or password is incorrect", guessed.Document.QuerySelector(".validation-summary")!.TextContent);
        Assert.DoesNotContain("deactivated", guessed.Document.QuerySelector("main")!.TextContent);
    }

    [Fact]
    public async Task Someone_who_is_not_an_administrator_finds_nothing_at_the_admin_area_and_no_link_to_it()
    {
        // Al first: whoever registers first in the class's app is an administrator, and Mo must not be.
        using var admin = await app.NewPersonAsync("Al Admin");
        await app.MakeAdministratorAsync(admin.Id);
        using var member = await app.NewPersonAsync("Mo Member");

        Assert.Equal(HttpStatusCode.NotFound, (await member.Client.GetAsync("/admin")).Status);
        Assert.DoesNotContain((await member.Client.GetAsync("/conversations")).Document.QuerySelectorAll("header a"), a => a.GetAttribute("href") == "/admin");
        // The link comes with the sign-in that follows the promotion.
        using var again = new WebSession(app);
        var signedIn = await again.SignInAsync(admin.User.Email, admin.User.Password);
        Assert.Contains(signedIn.Document.QuerySelectorAll("header a"), a => a.GetAttribute("href") == "/admin");
    }

    [Fact]
    public async Task The_settings_page_closes_registration_and_explains_a_bad_domain()
    {
        using var admin = await app.NewPersonAsync("Sol Settings");
        await app.MakeAdministratorAsync(admin.Id);

        var settings = await admin.Client.GetAsync("/admin/settings");
        var refused = await admin.Client.SubmitAsync(settings, new() { ["registrationMode"] = "open", ["allowedEmailDomains"] = "example.test, not_a_domain" });
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Contains("not_a_domain", refused.Document.QuerySelector("#allowed-domains-error")!.TextContent);
        Assert.Equal("true", refused.Document.QuerySelector("#allowed-domains")!.GetAttribute("aria-invalid"));

        var saved = await admin.Client.SubmitAsync(refused, new() { ["registrationMode"] = "closed", ["allowedEmailDomains"] = string.Empty });
        Assert.Contains("Saved", saved.Document.QuerySelector("[role=status]")!.TextContent);
        Assert.NotNull(saved.Document.QuerySelector("#mode-closed[checked]"));
        var register = await new WebSession(app).GetAsync("/Identity/Account/Register");
        Assert.Contains("Joining is closed", register.Document.QuerySelector("#registration-closed")!.TextContent);

        // Closed: the administrator creates the account, and the person signs in with the password chosen.
        var form = await admin.Client.GetAsync("/admin/people/new");
        var newcomer = AccountSteps.NewUser("Nell Newcomer");
        var created = await admin.Client.SubmitAsync(form, new() { ["email"] = newcomer.Email, ["displayName"] = newcomer.DisplayName, ["password"] = newcomer.Password });
        Assert.Contains("Created the account of Nell Newcomer", created.Document.QuerySelector("[role=status]")!.TextContent);
        Assert.True((await new WebSession(app).SignInAsync(newcomer.Email, newcomer.Password)).IsSignedIn());

        var join = await admin.Client.SubmitAsync(await admin.Client.GetAsync("/admin/settings"), new() { ["registrationMode"] = "invite" });
        var joinUrl = join.Document.QuerySelector("#join-url")!.GetAttribute("value")!;
        var joinPage = await new WebSession(app).GetAsync(new Uri(joinUrl).PathAndQuery);
        Assert.NotNull(joinPage.Document.QuerySelector("form#registerForm"));

        await admin.Client.SubmitAsync(join, new() { ["registrationMode"] = "open" });
    }
}

public sealed class AdminPagesTestsOnSqlite(SqliteApp app) : AdminPagesTests<SqliteApp>(app);

public sealed class AdminPagesTestsOnMariaDb(MariaDbApp app) : AdminPagesTests<MariaDbApp>(app);
