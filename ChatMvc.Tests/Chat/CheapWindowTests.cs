using ChatMvc.Chat;
using ChatMvc.Data;
using ChatMvc.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace ChatMvc.Tests.Chat;

// Opening a window again with nothing new costs no SQL of its own: its title and members come from the cache, and the
// read position is written only when it moves. Every change to what the details hold shows at once.
public abstract class CheapWindowTests<TApp>(TApp app) : IClassFixture<TApp>
    where TApp : ChatAppFactory
{
    // The app shell's own reads (the signed-in person and the conversation list) are not the window's.
    private const int ShellOpens = 2;

    [Fact]
    public async Task A_warm_window_reads_no_title_or_members_from_the_database_and_writes_no_unmoved_read_position()
    {
        using var ann = await app.NewPersonAsync("Ann Warm");
        using var bo = await app.NewPersonAsync("Bo Warm");
        var id = await ann.StartConversationAsync("Warm room", bo);
        await bo.SendAsync(id, "Hello");
        await ann.OpenAsync(id);
        await ann.OpenAsync(id);

        // Behind the cache's back: a window that read its details from the database would show this.
        await ExecuteAsync("UPDATE conversations SET title = 'Changed behind the cache' WHERE id = @id", new { id });
        var db = app.Services.GetRequiredService<ChatDb>();
        var opens = db.OpenCount;
        var warm = await ann.OpenAsync(id);

        Assert.InRange(db.OpenCount - opens, 0, ShellOpens);
        Assert.Equal("Warm room", Title(warm));
        Assert.Equal(["Ann Warm", "Bo Warm"], warm.Document.QuerySelectorAll(".chat-members bdi").Select(b => b.TextContent));
        Assert.Equal(["Hello"], ChatSteps.MessageTexts(warm.Document));
        Assert.Null(warm.Document.QuerySelector("#unread-divider"));
    }

    [Fact]
    public async Task A_rename_a_new_member_and_a_new_name_show_at_once_in_a_warm_window()
    {
        using var ann = await app.NewPersonAsync("Ann Rename");
        using var bo = await app.NewPersonAsync("Bo Rename");
        using var cy = await app.NewPersonAsync("Cy Joins");
        var id = await ann.StartConversationAsync("Old name", bo);
        await bo.OpenAsync(id);
        Assert.Equal("Old name", Title(await bo.OpenAsync(id)));

        await ann.SubmitOnAsync(ChatUrls.Members(id), $"form[action='{ChatUrls.Title(id)}']", new() { ["title"] = "New name" });
        Assert.Equal("New name", Title(await bo.OpenAsync(id)));

        await ann.SubmitOnAsync(ChatUrls.Members(id), "form.add-members", new() { ["selected"] = cy.Id.ToString() });
        Assert.Contains("Cy Joins", (await bo.OpenAsync(id)).Document.QuerySelector(".chat-members")!.TextContent);

        await cy.SubmitOnAsync("/profile", "main form", new() { ["displayName"] = "Cy Renamed" });
        var members = (await bo.OpenAsync(id)).Document.QuerySelector(".chat-members")!.TextContent;
        Assert.Contains("Cy Renamed", members);
        Assert.DoesNotContain("Cy Joins", members);
    }

    [Fact]
    public async Task A_read_position_moved_by_a_poll_or_by_sending_and_a_new_notification_level_show_in_the_next_warm_window()
    {
        using var ann = await app.NewPersonAsync("Ann Reads");
        using var bo = await app.NewPersonAsync("Bo Reads");
        var id = await ann.StartConversationAsync(null, bo);
        await bo.SendAsync(id, "First");
        var (after, v) = ChatSteps.CursorOf((await ann.OpenAsync(id)).Document);

        // Read through the poll: the next window has no divider.
        await bo.SendAsync(id, "Second");
        await ann.PollAsync(id, after, v);
        Assert.Null((await ann.OpenAsync(id)).Document.QuerySelector("#unread-divider"));

        // Sending marks read what came before: no divider either, though nothing wrote the cached details.
        await bo.SendAsync(id, "Third");
        await ann.SendAsync(id, "My answer");
        var window = await ann.OpenAsync(id);
        Assert.Null(window.Document.QuerySelector("#unread-divider"));
        Assert.Equal(["First", "Second", "Third", "My answer"], ChatSteps.MessageTexts(window.Document));

        await ann.Client.SubmitAsync(window, new() { ["level"] = NotificationLevels.None }, "form#notification-level");
        Assert.Equal(NotificationLevels.None, (await ann.OpenAsync(id)).Document.QuerySelector("form#notification-level")!.GetAttribute("data-level"));
    }

    [Fact]
    public async Task A_message_rendered_for_one_viewer_is_reused_for_another_with_their_own_controls_and_an_edit_or_new_name_shows_at_once()
    {
        using var ann = await app.NewPersonAsync("Ann Fragment");
        using var bo = await app.NewPersonAsync("Bo Fragment");
        var id = await ann.StartConversationAsync(null, bo);
        var messageId = ChatSteps.MessageIds((await ann.SendAsync(id, "For @Bo Fragment and everyone")).Document)[^1];
        var fragments = app.Services.GetRequiredService<MessageFragments>();
        var annWindow = await ann.OpenAsync(id);
        var rendered = fragments.Renders;

        var boWindow = await bo.OpenAsync(id);

        Assert.Equal(rendered, fragments.Renders);
        var annSees = annWindow.Document.GetElementById($"message-{messageId}")!;
        var boSees = boWindow.Document.GetElementById($"message-{messageId}")!;
        Assert.Equal(annSees.QuerySelector(".message-body")!.OuterHtml, boSees.QuerySelector(".message-body")!.OuterHtml);
        Assert.NotNull(annSees.QuerySelector($"a[href='{ChatUrls.EditMessage(id, messageId)}']"));
        Assert.Null(boSees.QuerySelector($"a[href='{ChatUrls.EditMessage(id, messageId)}']"));
        Assert.DoesNotContain("message-mentions-me", annSees.ClassList);
        Assert.Contains("message-mentions-me", boSees.ClassList);
        Assert.NotNull(boSees.QuerySelector(".message-meta .message-mention-mark"));
        Assert.Null(annSees.QuerySelector(".message-mention-mark"));

        await ann.SubmitOnAsync(ChatUrls.EditMessage(id, messageId), "main form", new() { ["body"] = "Changed words" });
        var edited = (await bo.OpenAsync(id)).Document.GetElementById($"message-{messageId}")!;
        Assert.Equal("Changed words", edited.QuerySelector(".message-body")!.TextContent.Trim());
        Assert.NotNull(edited.QuerySelector(".message-edited"));

        await ann.SubmitOnAsync("/profile", "main form", new() { ["displayName"] = "Ann Renamed" });
        var renamed = (await bo.OpenAsync(id)).Document.GetElementById($"message-{messageId}")!;
        Assert.Equal("Ann Renamed", renamed.QuerySelector(".message-sender")!.TextContent.Trim());

        await ann.DeleteMessageAsync(id, messageId);
        var deleted = (await bo.OpenAsync(id)).Document.GetElementById($"message-{messageId}")!;
        Assert.Equal("Message deleted.", deleted.QuerySelector(".message-body")!.TextContent.Trim());
        Assert.Null(deleted.QuerySelector("details.message-menu"));
    }

    [Fact]
    public async Task A_whole_message_is_reused_for_viewers_who_see_it_alike_and_rendered_for_each_once_it_shows_reactions()
    {
        using var ann = await app.NewPersonAsync("Ann Article");
        using var bo = await app.NewPersonAsync("Bo Article");
        using var cy = await app.NewPersonAsync("Cy Article");
        var id = await ann.StartConversationAsync("Articles", bo, cy);
        var messageId = ChatSteps.MessageIds((await ann.SendAsync(id, "The same for both of you")).Document)[^1];
        var articles = app.Services.GetRequiredService<MessageArticles>();
        var boSees = (await bo.OpenAsync(id)).Document.GetElementById($"message-{messageId}")!;
        var rendered = articles.Renders;

        var cySees = (await cy.OpenAsync(id)).Document.GetElementById($"message-{messageId}")!;

        // Cy is shown the copy rendered for Bo; Ann, who wrote it, has her own, with Edit and Delete. The kept copy
        // is without the views' indentation.
        Assert.Equal(rendered, articles.Renders);
        Assert.Equal(boSees.OuterHtml, cySees.OuterHtml);
        Assert.DoesNotContain("\n ", cySees.OuterHtml);
        var annSees = (await ann.OpenAsync(id)).Document.GetElementById($"message-{messageId}")!;
        Assert.Null(cySees.QuerySelector($"a[href='{ChatUrls.EditMessage(id, messageId)}']"));
        Assert.NotNull(annSees.QuerySelector($"a[href='{ChatUrls.EditMessage(id, messageId)}']"));

        // Once it has a reaction each viewer sees whose it is, so nobody is shown another's copy.
        await bo.SubmitOnAsync(ChatUrls.Reactions(id, messageId), "main form.reaction-other", new() { ["emoji"] = "👍" });
        var boReaction = (await bo.OpenAsync(id)).Document.QuerySelector($"#message-{messageId} ul.reactions button")!;
        var cyReaction = (await cy.OpenAsync(id)).Document.QuerySelector($"#message-{messageId} ul.reactions button")!;
        Assert.Equal("true", boReaction.GetAttribute("aria-pressed"));
        Assert.Equal("you", boReaction.GetAttribute("title"));
        Assert.Equal("false", cyReaction.GetAttribute("aria-pressed"));
        Assert.Equal("Bo Article", cyReaction.GetAttribute("title"));

        // And when the reaction is taken back, the copy kept before it is right again.
        await bo.Client.PressAsync(await bo.OpenAsync(id), $"#message-{messageId} ul.reactions button");
        Assert.Equal(boSees.OuterHtml, (await cy.OpenAsync(id)).Document.GetElementById($"message-{messageId}")!.OuterHtml);
    }

    [Fact]
    public async Task A_conversation_row_is_rendered_once_and_shown_again_until_it_changes_or_another_conversation_is_open()
    {
        using var ann = await app.NewPersonAsync("Ann Rows");
        using var bo = await app.NewPersonAsync("Bo Rows");
        using var cy = await app.NewPersonAsync("Cy Rows");
        var first = await ann.StartConversationAsync(null, bo);
        var second = await ann.StartConversationAsync(null, cy);
        var rows = app.Services.GetRequiredService<ConversationRows>();
        await ann.OpenAsync(first);
        var before = await ann.OpenAsync(first);
        var rendered = rows.Renders;

        var again = await ann.OpenAsync(first);

        Assert.Equal(rendered, rows.Renders);
        Assert.Equal(SidebarRows(before), SidebarRows(again));
        Assert.Equal("page", LinkOf(again, first).GetAttribute("aria-current"));
        Assert.Null(LinkOf(again, second).GetAttribute("aria-current"));

        // With the other conversation open, the same rows mark that one.
        var other = await ann.OpenAsync(second);
        Assert.Null(LinkOf(other, first).GetAttribute("aria-current"));
        Assert.Equal("page", LinkOf(other, second).GetAttribute("aria-current"));

        // A new message is a new row: its preview and the unread count show at once, here and on the list page.
        await bo.SendAsync(first, "News for the row");
        foreach (var page in new[] { await ann.OpenAsync(second), await ann.Client.GetAsync(ChatUrls.Conversations) })
        {
            var row = page.Document.GetElementById($"conversation-{first}")!;
            Assert.Contains("News for the row", row.QuerySelector(".conversation-preview")!.TextContent);
            Assert.Equal("1", row.GetAttribute("data-unread"));
        }
    }

    [Fact]
    public async Task A_window_s_small_partials_are_rendered_once_and_follow_what_they_show()
    {
        using var ann = await app.NewPersonAsync("Ann Partials");
        using var bo = await app.NewPersonAsync("Bo Partials");
        var id = await ann.StartConversationAsync(null, bo);
        await bo.SendAsync(id, "First");
        var kept = app.Services.GetRequiredService<KeptPartials>();
        await ann.OpenAsync(id);
        var rendered = kept.Renders;

        var again = await ann.OpenAsync(id);

        Assert.Equal(rendered, kept.Renders);
        Assert.Equal("", again.Document.GetElementById("composer-error")!.TextContent);
        Assert.NotNull(again.Document.QuerySelector($"#mention-picker[data-candidates='{ChatUrls.MentionCandidates(id)}']"));
        var firstId = ChatSteps.MessageIds(again.Document)[^1];
        Assert.Equal(firstId, ChatSteps.CursorOf(again.Document).After);

        // A new message moves the cursor: the window shows the new one, not the kept old one.
        await bo.SendAsync(id, "Second");
        var later = await ann.OpenAsync(id);
        var secondId = ChatSteps.MessageIds(later.Document)[^1];
        Assert.NotEqual(firstId, secondId);
        Assert.Equal(secondId, ChatSteps.CursorOf(later.Document).After);
    }

    private static List<string> SidebarRows(Page page) =>
        page.Document.QuerySelectorAll("nav.sidebar li.conversation-row").Select(row => row.OuterHtml).ToList();

    private static AngleSharp.Dom.IElement LinkOf(Page page, long conversationId) =>
        page.Document.QuerySelector($"nav.sidebar #conversation-link-{conversationId}")!;

    private static string Title(Page window) => window.Document.QuerySelector(".chat-header h1")!.TextContent.Trim();

    private async Task ExecuteAsync(string sql, object parameters)
    {
        await using var connection = await app.Services.GetRequiredService<ChatDb>().OpenAsync();
        await connection.ExecuteAsync(sql, parameters);
    }
}

public sealed class CheapWindowTestsOnSqlite(SqliteApp app) : CheapWindowTests<SqliteApp>(app);

public sealed class CheapWindowTestsOnMariaDb(MariaDbApp app) : CheapWindowTests<MariaDbApp>(app);
