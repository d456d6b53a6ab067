using System.Net;
using System.Net.Http.Json;
using System.Text;
using ChatMvc.Admin;
using ChatMvc.Chat;
using ChatMvc.Tests.Admin;
using ChatMvc.Tests.Api;
using ChatMvc.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ChatMvc.Tests.Chat;

// Bots through the pages: the owner makes one from the members page, a program posts through its webhook, and every
// member sees the message, marked as a bot's, in the window and in a poll.
public abstract class BotsTests<TApp>(TApp app) : IClassFixture<TApp>
    where TApp : ChatAppFactory
{
    [Fact]
    public async Task The_owner_adds_a_bot_and_its_webhook_post_appears_marked_in_a_member_s_window_and_poll()
    {
        using var ann = await app.NewPersonAsync("Ann Builds");
        using var bo = await app.NewPersonAsync("Bo Watches");
        var id = await ann.StartConversationAsync("Builds", bo);
        var before = await bo.OpenAsync(id);
        var (after, v) = ChatSteps.CursorOf(before.Document);

        var members = await ann.Client.GetAsync(ChatUrls.Members(id));
        var botsPage = await ann.Client.GetAsync(members.Document.QuerySelector($"a[href='{ChatUrls.Bots(id)}']")!.GetAttribute("href")!);
        var made = await ann.Client.SubmitAsync(botsPage, new() { ["name"] = "  CI  " }, $"form[action='{ChatUrls.Bots(id)}']");
        var url = made.Document.QuerySelector("#new-webhook-url")!.GetAttribute("value")!;
        using var hook = app.NewApiClient();
        var posted = await hook.PostAsJsonAsync(new Uri(url).PathAndQuery, new { text = "Build 42 passed" });
        var poll = await bo.PollAsync(id, after, v);
        var window = await bo.OpenAsync(id);

        Assert.Equal(HttpStatusCode.OK, made.Status);
        Assert.StartsWith(ChatAppFactory.PublicUrl + "/hooks/", url);
        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        Assert.Equal(HttpStatusCode.OK, poll.Status);
        Assert.Contains("Build 42 passed", ChatSteps.MessageTexts(poll.Fragment));
        var message = window.Document.QuerySelectorAll("article.message").Single(m => m.TextContent.Contains("Build 42 passed"));
        Assert.Equal("CI", message.QuerySelector(".message-sender")!.TextContent.Trim());
        Assert.Equal("bot", message.QuerySelector(".message-bot-mark")!.TextContent.Trim());
        Assert.Contains("CI bot", Squeeze(message.QuerySelector(".message-meta")!.TextContent));
    }

    [Fact]
    public async Task The_webhook_address_is_shown_once_and_a_revoked_bot_answers_404_while_its_messages_stay()
    {
        using var ann = await app.NewPersonAsync("Ann Revokes");
        using var bo = await app.NewPersonAsync("Bo Stays");
        var id = await ann.StartConversationAsync("Deploys", bo);
        var made = await ann.SubmitOnAsync(ChatUrls.Bots(id), $"form[action='{ChatUrls.Bots(id)}']", new() { ["name"] = "Deployer" });
        var path = new Uri(made.Document.QuerySelector("#new-webhook-url")!.GetAttribute("value")!).PathAndQuery;
        using var hook = app.NewApiClient();
        await (await hook.PostAsync(path, new StringContent("Deployed to staging", Encoding.UTF8, "text/plain"))).JsonAsync(HttpStatusCode.Created);

        var again = await ann.Client.GetAsync(ChatUrls.Bots(id));
        var revoked = await ann.Client.SubmitAsync(again, [], "ul.bot-list form");
        var refused = await hook.PostAsJsonAsync(path, new { text = "Too late" });
        var window = await bo.OpenAsync(id);

        Assert.Null(again.Document.QuerySelector("#new-webhook-url"));
        Assert.DoesNotContain(path, again.Document.DocumentElement.OuterHtml);
        Assert.Equal(ChatUrls.Bots(id), revoked.Path);
        Assert.Contains("revoked", revoked.Document.QuerySelector("ul.bot-list li")!.TextContent);
        Assert.Empty(revoked.Document.QuerySelectorAll("ul.bot-list form"));
        await refused.ProblemAsync(HttpStatusCode.NotFound);
        Assert.Contains("Deployed to staging", ChatSteps.MessageTexts(window.Document));
        Assert.DoesNotContain("Too late", ChatSteps.MessageTexts(window.Document));
        Assert.NotNull(window.Document.QuerySelector("article.message .message-bot-mark"));
    }

    [Fact]
    public async Task Members_who_are_not_the_owner_get_403_and_others_404_and_see_no_link()
    {
        using var ann = await app.NewPersonAsync("Ann Owns Bots");
        using var bo = await app.NewPersonAsync("Bo Member Bots");
        using var cy = await app.NewPersonAsync("Cy Outsider Bots");
        var id = await ann.StartConversationAsync("Owned", bo);
        var direct = await ann.StartConversationAsync(null, cy);

        var boMembers = await bo.Client.GetAsync(ChatUrls.Members(id));
        var boPage = await bo.Client.GetAsync(ChatUrls.Bots(id));
        var boCreate = await bo.PostWithTokenAsync(ChatUrls.Bots(id), new() { ["name"] = "Sneaky" });
        var cyPage = await cy.Client.GetAsync(ChatUrls.Bots(id));
        var cyCreate = await cy.PostWithTokenAsync(ChatUrls.Bots(id), new() { ["name"] = "Sneaky" });
        var inDirect = await ann.PostWithTokenAsync(ChatUrls.Bots(direct), new() { ["name"] = "Direct" });

        Assert.Null(boMembers.Document.QuerySelector($"a[href='{ChatUrls.Bots(id)}']"));
        Assert.Equal(HttpStatusCode.Forbidden, boPage.Status);
        Assert.Equal(HttpStatusCode.Forbidden, boCreate.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, cyPage.Status);
        Assert.Equal(HttpStatusCode.NotFound, cyCreate.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, inDirect.StatusCode);
        var list = await ann.Client.GetAsync(ChatUrls.Bots(id));
        Assert.Empty(list.Document.QuerySelectorAll("ul.bot-list li"));
    }

    [Fact]
    public async Task An_administrator_who_is_a_member_manages_the_group_s_bots_and_the_audit_log_keeps_both_actions()
    {
        using var ann = await app.NewPersonAsync("Ann Owner Audit");
        using var bo = await app.NewPersonAsync("Bo Admin Audit");
        var id = await ann.StartConversationAsync("Audited", bo);
        await app.MakeAdministratorAsync(bo.Id);

        var members = await bo.Client.GetAsync(ChatUrls.Members(id));
        var made = await bo.SubmitOnAsync(ChatUrls.Bots(id), $"form[action='{ChatUrls.Bots(id)}']", new() { ["name"] = "Audit Bot" });
        var revoked = await bo.Client.SubmitAsync(await bo.Client.GetAsync(ChatUrls.Bots(id)), [], "ul.bot-list form");
        var log = await app.Services.GetRequiredService<AuditLog>().PageAsync();

        Assert.NotNull(members.Document.QuerySelector($"a[href='{ChatUrls.Bots(id)}']"));
        Assert.Equal(HttpStatusCode.OK, made.Status);
        Assert.Equal(HttpStatusCode.OK, revoked.Status);
        var entries = log.Where(e => e.SubjectName == "Audit Bot").Select(e => (e.Action, e.ActorId)).ToList();
        Assert.Equal([(AuditActions.BotRevoked, (long?)bo.Id), (AuditActions.BotCreated, bo.Id)], entries);
    }

    [Theory]
    [InlineData("   ", "1 to 50 characters")]
    [InlineData("A name far longer than fifty characters, which is the limit", "1 to 50 characters")]
    [InlineData("CI\u202E", "direction")]
    public async Task A_bad_name_is_shown_next_to_the_form_and_no_bot_is_made(string name, string expected)
    {
        using var ann = await app.NewPersonAsync("Ann Names Bots");
        using var bo = await app.NewPersonAsync("Bo Names Bots");
        var id = await ann.StartConversationAsync("Naming", bo);

        var page = await ann.SubmitOnAsync(ChatUrls.Bots(id), $"form[action='{ChatUrls.Bots(id)}']", new() { ["name"] = name });

        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        Assert.Contains(expected, page.Document.QuerySelector("#bot-name-error")!.TextContent);
        Assert.Equal("true", page.Document.QuerySelector("#bot-name")!.GetAttribute("aria-invalid"));
        Assert.Null(page.Document.QuerySelector("#new-webhook-url"));
        Assert.Empty(page.Document.QuerySelectorAll("ul.bot-list li"));
    }

    private static string Squeeze(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}

public sealed class BotsTestsOnSqlite(SqliteApp app) : BotsTests<SqliteApp>(app);

public sealed class BotsTestsOnMariaDb(MariaDbApp app) : BotsTests<MariaDbApp>(app);
