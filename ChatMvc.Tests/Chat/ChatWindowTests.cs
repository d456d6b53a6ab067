using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using ChatMvc.Chat;
using ChatMvc.Tests.Infrastructure;

namespace ChatMvc.Tests.Chat;

// Where a conversation window opens and what surrounds it: the newest page, or the first unread message with the
// "New messages" divider before it, a limit with "N more unread", and the app shell's conversation list beside it.
public abstract class ChatWindowTests<TApp>(TApp app) : IClassFixture<TApp>
    where TApp : ChatAppFactory
{
    [Fact]
    public async Task A_window_with_nothing_unread_opens_at_the_newest_page()
    {
        using var ann = await app.NewPersonAsync("Ann");
        using var bo = await app.NewPersonAsync("Bo");
        var id = await ann.StartConversationAsync(null, bo);
        await SendManyAsync(ann, id, "Note", 45);

        var window = await ann.OpenAsync(id);

        Assert.Equal(Enumerable.Range(6, 40).Select(i => $"Note {i}"), ChatSteps.MessageTexts(window.Document));
        Assert.Null(window.Document.QuerySelector("#unread-divider"));
        Assert.NotNull(window.Document.QuerySelector("a#load-older"));
        Assert.Contains("opens-at-newest", window.Document.QuerySelector("#messages")!.ClassList);
    }

    [Fact]
    public async Task A_window_with_unread_messages_starts_at_the_first_unread_right_after_the_divider()
    {
        using var ann = await app.NewPersonAsync("Ann");
        using var bo = await app.NewPersonAsync("Bo");
        var id = await ann.StartConversationAsync(null, bo);
        await SendManyAsync(ann, id, "Read", 45);
        await bo.OpenAsync(id);
        await SendManyAsync(ann, id, "Unread", 5);

        var window = await bo.OpenAsync(id);

        Assert.Equal(Enumerable.Range(1, 5).Select(i => $"Unread {i}"), ChatSteps.MessageTexts(window.Document));
        var divider = window.Document.QuerySelector("#messages #unread-divider")!;
        // Nothing but the day's heading between the place older pages load into and the divider.
        var above = divider.PreviousElementSibling!;
        while (above.ClassList.Contains("day-separator"))
        {
            above = above.PreviousElementSibling!;
        }

        Assert.Equal("older-messages", above.Id);
        Assert.Equal("Unread 1", divider.NextElementSibling!.QuerySelector(".message-body")!.TextContent.Trim());
        Assert.DoesNotContain("opens-at-newest", window.Document.QuerySelector("#messages")!.ClassList);
        Assert.NotNull(window.Document.QuerySelector("a#load-older"));
        Assert.NotNull(window.Document.QuerySelector("#poller"));
    }

    [Fact]
    public async Task Loading_older_messages_puts_only_read_ones_above_the_divider_with_and_without_htmx()
    {
        using var ann = await app.NewPersonAsync("Ann");
        using var bo = await app.NewPersonAsync("Bo");
        var id = await ann.StartConversationAsync(null, bo);
        await SendManyAsync(ann, id, "Read", 45);
        await bo.OpenAsync(id);
        await SendManyAsync(ann, id, "Unread", 60);
        var window = await bo.OpenAsync(id);
        var firstUnread = ChatSteps.MessageIds(window.Document)[0];
        var older = window.Document.QuerySelector("a#load-older")!;

        using var request = new HttpRequestMessage(HttpMethod.Get, older.GetAttribute("data-hx-get"));
        request.Headers.Add("HX-Request", "true");
        var response = await bo.Client.Http.SendAsync(request);
        var fragment = new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
        var history = await bo.Client.GetAsync(older.GetAttribute("href")!);

        Assert.Equal(Enumerable.Range(6, 40).Select(i => $"Read {i}"), ChatSteps.MessageTexts(fragment));
        Assert.All(ChatSteps.MessageIds(fragment), messageId => Assert.True(messageId < firstUnread));
        Assert.Null(fragment.QuerySelector("#unread-divider"));
        Assert.Equal("older-messages", window.Document.QuerySelector("a#load-older")!.GetAttribute("data-hx-target")!.TrimStart('#'));
        Assert.Equal("afterbegin show:none", older.GetAttribute("data-hx-swap"));
        Assert.Equal(Enumerable.Range(6, 40).Select(i => $"Read {i}"), ChatSteps.MessageTexts(history.Document));
        Assert.Null(history.Document.QuerySelector("#unread-divider"));
    }

    [Fact]
    public async Task With_more_unread_than_one_window_shows_it_stops_after_fifty_and_links_to_the_rest()
    {
        using var ann = await app.NewPersonAsync("Ann");
        using var bo = await app.NewPersonAsync("Bo");
        var id = await ann.StartConversationAsync(null, bo);
        await SendManyAsync(ann, id, "Read", 3);
        await bo.OpenAsync(id);
        await SendManyAsync(ann, id, "Unread", 60);

        var window = await bo.OpenAsync(id);

        Assert.Equal(Enumerable.Range(1, 50).Select(i => $"Unread {i}"), ChatSteps.MessageTexts(window.Document));
        Assert.Equal("Unread 1", window.Document.QuerySelector("#unread-divider")!.NextElementSibling!.QuerySelector(".message-body")!.TextContent.Trim());
        var more = window.Document.QuerySelector("a.more-unread")!;
        Assert.Equal("10 more unread messages", more.TextContent.Trim());
        // Not live: new messages would be appended below the unread ones not shown yet. A reply goes as a plain form.
        Assert.Null(window.Document.QuerySelector("#poller"));
        Assert.Null(window.Document.QuerySelector("a.check-link"));
        Assert.Equal("plain-form-submit", window.Document.QuerySelector("#composer")!.GetAttribute("data-hx-trigger"));
        Assert.Equal("10 unread messages", await UnreadInListAsync(bo, id));

        var rest = await bo.Client.GetAsync(more.GetAttribute("href")!);

        Assert.Equal(Enumerable.Range(51, 10).Select(i => $"Unread {i}"), ChatSteps.MessageTexts(rest.Document));
        Assert.Equal("Unread 51", rest.Document.QuerySelector("#unread-divider")!.NextElementSibling!.QuerySelector(".message-body")!.TextContent.Trim());
        Assert.Null(rest.Document.QuerySelector("a.more-unread"));
        Assert.NotNull(rest.Document.QuerySelector("#poller"));
        Assert.Equal(string.Empty, await UnreadInListAsync(bo, id));
    }

    [Fact]
    public async Task The_window_sits_beside_the_conversation_list_with_the_open_one_marked_and_the_unread_total_in_the_title()
    {
        using var ann = await app.NewPersonAsync("Ann Shell");
        using var bo = await app.NewPersonAsync("Bo Shell");
        var direct = await ann.StartConversationAsync(null, bo);
        var group = await ann.StartConversationAsync("Shell group", bo);
        // A group counts only mentions unless the member asks to hear of everything.
        await bo.PostWithTokenAsync(ChatUrls.Notifications(group), new() { ["level"] = NotificationLevels.All });
        await SendManyAsync(ann, group, "Group note", 3);
        await ann.SendAsync(direct, "Direct note");

        var window = await bo.OpenAsync(direct);

        var document = window.Document;
        Assert.Single(document.QuerySelectorAll("main"));
        var sidebar = document.QuerySelector("nav.sidebar")!;
        Assert.Null(sidebar.Closest("main"));
        Assert.Equal("Conversations", sidebar.GetAttribute("aria-label"));
        var me = sidebar.QuerySelector("a.sidebar-me")!;
        Assert.Equal("/profile", me.GetAttribute("href"));
        Assert.Contains("Bo Shell", me.TextContent);
        Assert.Equal(ChatUrls.NewConversation, sidebar.QuerySelector("a.button")!.GetAttribute("href"));
        Assert.Equal("page", sidebar.QuerySelector($"#conversation-link-{direct}")!.GetAttribute("aria-current"));
        Assert.Null(sidebar.QuerySelector($"#conversation-link-{group}")!.GetAttribute("aria-current"));
        Assert.Equal("3 unread messages", sidebar.QuerySelector($"#conversation-{group} .conversation-unread")!.TextContent.Trim());
        Assert.StartsWith("(3) Ann Shell", document.Title);
        Assert.Equal(ChatUrls.Conversations, document.QuerySelector(".back-link")!.GetAttribute("href"));

        // The list's poll keeps the mark on the open conversation (here in the one row it sends).
        var poll = sidebar.QuerySelector("#conversation-list")!.GetAttribute("data-hx-get")!;
        await ann.SendAsync(direct, "One more");
        using var request = new HttpRequestMessage(HttpMethod.Get, poll);
        request.Headers.Add("HX-Request", "true");
        var response = await bo.Client.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var list = new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
        Assert.Equal("page", list.QuerySelector($"#conversation-link-{direct}")!.GetAttribute("aria-current"));
        Assert.Equal("4", list.QuerySelector("#conversation-list-state")!.GetAttribute("data-unread-total"));
    }

    [Fact]
    public async Task The_brand_and_conversations_links_lead_to_the_conversation_list()
    {
        using var ann = await app.NewPersonAsync("Ann");

        var page = await ann.Client.GetAsync("/profile");

        Assert.Equal(ChatUrls.Conversations, page.Document.QuerySelector(".site-header a.brand")!.GetAttribute("href"));
        var conversations = page.Document.QuerySelectorAll(".site-header .nav-list a").Single(a => a.TextContent.Trim() == "Conversations");
        Assert.Equal(ChatUrls.Conversations, conversations.GetAttribute("href"));
        Assert.Equal(HttpStatusCode.OK, (await ann.Client.GetAsync(conversations.GetAttribute("href")!)).Status);
    }

    private static async Task<string> UnreadInListAsync(Participant person, long conversationId)
    {
        var list = await person.Client.GetAsync(ChatUrls.Conversations);
        return list.Document.QuerySelector($"#conversation-{conversationId} .conversation-unread")!.TextContent.Trim();
    }

    // Each through the composer as a browser without JavaScript sends.
    private static async Task SendManyAsync(Participant person, long conversationId, string prefix, int count)
    {
        var window = await person.OpenAsync(conversationId);
        var token = window.Document.QuerySelector("#composer input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        for (var i = 1; i <= count; i++)
        {
            var response = await person.Client.Http.PostAsync(ChatUrls.Messages(conversationId), new FormUrlEncodedContent(
                new Dictionary<string, string> { ["Body"] = $"{prefix} {i}", ["__RequestVerificationToken"] = token }));
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        }
    }
}

public sealed class ChatWindowTestsOnSqlite(SqliteApp app) : ChatWindowTests<SqliteApp>(app);

public sealed class ChatWindowTestsOnMariaDb(MariaDbApp app) : ChatWindowTests<MariaDbApp>(app);
