using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using ChatMvc.Chat;
using ChatMvc.Data;
using ChatMvc.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace ChatMvc.Tests.Chat;

// @mentions through the pages, as a browser without JavaScript uses them: "@Full Name" typed in full.
public abstract class MentionsTests<TApp>(TApp app) : IClassFixture<TApp>
    where TApp : ChatAppFactory
{
    private static readonly HtmlParser Parser = new();

    private async Task<long> LastMessageIdAsync(long conversationId)
    {
        await using var connection = await app.Services.GetRequiredService<ChatDb>().OpenAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT MAX(id) FROM messages WHERE conversation_id = @conversationId", new { conversationId });
    }

    private async Task<IReadOnlyList<long>> StoredMentionsAsync(long messageId)
    {
        await using var connection = await app.Services.GetRequiredService<ChatDb>().OpenAsync();
        return (await connection.QueryAsync<long>(
            "SELECT user_id FROM message_mentions WHERE message_id = @messageId ORDER BY user_id", new { messageId })).ToList();
    }

    private static IElement MessageIn(Page page, long messageId) =>
        page.Document.QuerySelector($"#message-{messageId}") ?? throw new InvalidOperationException($"No message {messageId} on {page.Url}.");

    private static IElement? RowOf(Page list, long conversationId) => list.Document.QuerySelector($"#conversation-{conversationId}");

    private static string? MentionMark(Page list, long conversationId) =>
        RowOf(list, conversationId)?.QuerySelector(".conversation-mention")?.TextContent.Trim();

    private static string? UnreadText(Page list, long conversationId) =>
        RowOf(list, conversationId)?.QuerySelector(".conversation-unread")?.TextContent.Trim();

    [Fact]
    public async Task A_full_name_after_an_at_mentions_that_member_and_is_highlighted_with_words_a_screen_reader_hears()
    {
        using var ann = await app.NewPersonAsync("Ann Mention");
        using var bo = await app.NewPersonAsync("Bo Mention");
        using var cy = await app.NewPersonAsync("Cy Mention");
        var id = await ann.StartConversationAsync("Mention team", bo, cy);

        await ann.SendAsync(id, "Hi @bo mention, can you look? mail ann@Bo Mention is not one");
        var messageId = await LastMessageIdAsync(id);

        Assert.Equal([bo.Id], await StoredMentionsAsync(messageId));
        var seenByBo = MessageIn(await bo.OpenAsync(id), messageId);
        var mark = Assert.Single(seenByBo.QuerySelectorAll("mark.mention"));
        Assert.Equal("@bo mention (mention)", mark.TextContent);
        Assert.Equal(" (mention)", mark.QuerySelector(".visually-hidden")!.TextContent);
        Assert.Contains("message-mentions-me", seenByBo.ClassList);
        Assert.Contains(", mentions you", seenByBo.QuerySelector(".message-meta")!.TextContent);
        var seenByCy = MessageIn(await cy.OpenAsync(id), messageId);
        Assert.Single(seenByCy.QuerySelectorAll("mark.mention"));
        Assert.DoesNotContain("message-mentions-me", seenByCy.ClassList);
        Assert.DoesNotContain("mentions you", seenByCy.QuerySelector(".message-meta")!.TextContent);
    }

    [Fact]
    public async Task A_name_of_someone_outside_the_conversation_mentions_nobody()
    {
        using var ann = await app.NewPersonAsync("Ann Outside");
        using var bo = await app.NewPersonAsync("Bo Outside");
        using var dee = await app.NewPersonAsync("Dee Outside");
        var id = await ann.StartConversationAsync(null, bo);
        await dee.StartConversationAsync(null, ann);

        await ann.SendAsync(id, "Has anyone told @Dee Outside about this?");
        var messageId = await LastMessageIdAsync(id);

        Assert.Empty(await StoredMentionsAsync(messageId));
        Assert.Empty(MessageIn(await bo.OpenAsync(id), messageId).QuerySelectorAll("mark"));
        var deeList = await dee.Client.GetAsync(ChatUrls.Conversations);
        Assert.Null(RowOf(deeList, id));
        Assert.DoesNotContain("@", deeList.Document.Title);
    }

    [Fact]
    public async Task The_mentioned_persons_list_row_and_tab_title_show_a_mark_until_they_read_the_conversation()
    {
        using var ann = await app.NewPersonAsync("Ann Mark");
        using var bo = await app.NewPersonAsync("Bo Mark");
        using var cy = await app.NewPersonAsync("Cy Mark");
        var id = await ann.StartConversationAsync("Mark team", bo, cy);
        await ann.SendAsync(id, "@Bo Mark please review");

        var boList = await bo.Client.GetAsync(ChatUrls.Conversations);
        var cyList = await cy.Client.GetAsync(ChatUrls.Conversations);

        Assert.Equal("@1 unread mention", MentionMark(boList, id));
        Assert.Contains("@ Conversations", boList.Document.Title);
        Assert.Equal("true", boList.Document.QuerySelector("#conversation-list")!.GetAttribute("data-mentioned"));
        Assert.Null(MentionMark(cyList, id));
        Assert.DoesNotContain("@", cyList.Document.Title);

        await bo.OpenAsync(id);
        var afterReading = await bo.Client.GetAsync(ChatUrls.Conversations);
        Assert.Null(MentionMark(afterReading, id));
        Assert.DoesNotContain("@", afterReading.Document.Title);
    }

    [Fact]
    public async Task Editing_a_message_replaces_its_mentions_and_deleting_it_removes_them()
    {
        using var ann = await app.NewPersonAsync("Ann Edit");
        using var bo = await app.NewPersonAsync("Bo Edit");
        using var cy = await app.NewPersonAsync("Cy Edit");
        var id = await ann.StartConversationAsync("Edit team", bo, cy);
        await ann.SendAsync(id, "@Bo Edit can you do it?");
        var messageId = await LastMessageIdAsync(id);

        var edited = await ann.SubmitOnAsync(
            ChatUrls.EditMessage(id, messageId), "main form.message-editor", new() { ["body"] = "@Cy Edit can you do it?" });

        Assert.Equal(HttpStatusCode.OK, edited.Status);
        Assert.Equal([cy.Id], await StoredMentionsAsync(messageId));
        Assert.Null(MentionMark(await bo.Client.GetAsync(ChatUrls.Conversations), id));
        Assert.NotNull(MentionMark(await cy.Client.GetAsync(ChatUrls.Conversations), id));
        Assert.Equal("@Cy Edit (mention)", MessageIn(edited, messageId).QuerySelector("mark.mention")!.TextContent);

        await ann.DeleteMessageAsync(id, messageId);

        Assert.Empty(await StoredMentionsAsync(messageId));
        Assert.Null(MentionMark(await cy.Client.GetAsync(ChatUrls.Conversations), id));
    }

    [Fact]
    public async Task At_everyone_in_a_group_mentions_every_other_member_until_the_owner_keeps_it_to_owners()
    {
        using var ann = await app.NewPersonAsync("Ann Everyone");
        using var bo = await app.NewPersonAsync("Bo Everyone");
        using var cy = await app.NewPersonAsync("Cy Everyone");
        var id = await ann.StartConversationAsync("Everyone team", bo, cy);

        await bo.SendAsync(id, "@everyone standup in five");
        var first = await LastMessageIdAsync(id);
        Assert.Equal(new[] { ann.Id, cy.Id }.Order().ToList(), await StoredMentionsAsync(first));
        Assert.Equal("@everyone (mention)", MessageIn(await cy.OpenAsync(id), first).QuerySelector("mark.mention")!.TextContent);

        var members = await ann.SubmitOnAsync(ChatUrls.Members(id), $"form[action='{ChatUrls.EveryoneMentions(id)}']", new() { ["ownersOnly"] = "true" });
        Assert.Equal(HttpStatusCode.OK, members.Status);
        Assert.True(((AngleSharp.Html.Dom.IHtmlInputElement)members.Document.QuerySelector("#everyone-owners-only")!).IsChecked);

        await bo.SendAsync(id, "@everyone again");
        var second = await LastMessageIdAsync(id);
        Assert.Empty(await StoredMentionsAsync(second));
        Assert.Empty(MessageIn(await cy.OpenAsync(id), second).QuerySelectorAll("mark"));

        await ann.SendAsync(id, "@everyone from the owner");
        Assert.Equal(new[] { bo.Id, cy.Id }.Order().ToList(), await StoredMentionsAsync(await LastMessageIdAsync(id)));
    }

    [Fact]
    public async Task At_everyone_in_a_direct_conversation_is_plain_text_and_only_owners_may_restrict_it()
    {
        using var ann = await app.NewPersonAsync("Ann Plain");
        using var bo = await app.NewPersonAsync("Bo Plain");
        using var cy = await app.NewPersonAsync("Cy Plain");
        var direct = await ann.StartConversationAsync(null, bo);
        var group = await ann.StartConversationAsync("Plain team", bo, cy);

        await ann.SendAsync(direct, "@everyone hello");

        Assert.Empty(await StoredMentionsAsync(await LastMessageIdAsync(direct)));
        Assert.Equal(HttpStatusCode.Forbidden, (await bo.PostWithTokenAsync(ChatUrls.EveryoneMentions(group), new() { ["ownersOnly"] = "true" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bo.PostWithTokenAsync(ChatUrls.EveryoneMentions(direct + group + 1000), new() { ["ownersOnly"] = "true" })).StatusCode);
        Assert.Null((await bo.Client.GetAsync(ChatUrls.Members(group))).Document.QuerySelector("#everyone-owners-only"));
    }

    [Fact]
    public async Task The_picker_offers_the_other_members_whose_names_match_and_is_404_for_non_members()
    {
        using var ann = await app.NewPersonAsync("Ann Picker");
        using var bo = await app.NewPersonAsync("Bo Picker");
        using var bob = await app.NewPersonAsync("Bob Pickering");
        using var cy = await app.NewPersonAsync("Cy Picker");
        using var outsider = await app.NewPersonAsync("Bo Outsider Picker");
        var id = await ann.StartConversationAsync("Picker team", bo, bob, cy);

        var options = await CandidatesAsync(ann, id, "bo");
        var all = await CandidatesAsync(ann, id, "");
        var none = await CandidatesAsync(ann, id, "zz");

        Assert.Equal(HttpStatusCode.OK, options.Status);
        var listbox = options.Document.QuerySelector("ul[role=listbox]#mention-listbox")!;
        Assert.Equal(["Bo Picker", "Bob Pickering"], listbox.QuerySelectorAll("li[role=option]").Select(o => o.GetAttribute("data-mention")).ToList());
        Assert.All(listbox.QuerySelectorAll("li[role=option]"), o => Assert.Equal("false", o.GetAttribute("aria-selected")));
        Assert.Equal(
            ["Bo Picker", "Bob Pickering", "Cy Picker", Mentions.Everyone],
            all.Document.QuerySelectorAll("li[role=option]").Select(o => o.GetAttribute("data-mention")).ToList());
        Assert.Null(none.Document.QuerySelector("[role=listbox]"));
        Assert.Contains("zz", none.Document.QuerySelector("#mention-empty")!.TextContent);
        Assert.Equal(HttpStatusCode.NotFound, (await CandidatesAsync(outsider, id, "bo")).Status);
    }

    private static async Task<(HttpStatusCode Status, AngleSharp.Html.Dom.IHtmlDocument Document)> CandidatesAsync(Participant person, long id, string q)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, ChatUrls.MentionCandidates(id) + "?q=" + Uri.EscapeDataString(q));
        request.Headers.Add("HX-Request", "true");
        var response = await person.Client.Http.SendAsync(request);
        return (response.StatusCode, Parser.ParseDocument(await response.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task A_group_counts_only_mentions_by_default_a_direct_conversation_everything_and_the_level_changes_both()
    {
        using var ann = await app.NewPersonAsync("Ann Level");
        using var bo = await app.NewPersonAsync("Bo Level");
        using var cy = await app.NewPersonAsync("Cy Level");
        var group = await ann.StartConversationAsync("Level team", bo, cy);
        var direct = await ann.StartConversationAsync(null, bo);

        var window = await bo.OpenAsync(group);
        Assert.Equal("mentions", SelectedLevel(window));
        Assert.Equal("all", SelectedLevel(await bo.OpenAsync(direct)));
        await ann.SendAsync(group, "one");
        await ann.SendAsync(group, "two");
        await ann.SendAsync(group, "@Bo Level three");
        await ann.SendAsync(direct, "four");
        await ann.SendAsync(direct, "five");

        var list = await bo.Client.GetAsync(ChatUrls.Conversations);
        Assert.Equal("1 unread message", UnreadText(list, group));
        Assert.Equal("2 unread messages", UnreadText(list, direct));

        var saved = await bo.Client.SubmitAsync(window, new() { ["level"] = "all" }, "form#notification-level");
        Assert.Equal(ChatUrls.Conversation(group), saved.Path);
        Assert.Equal("all", SelectedLevel(saved));
        Assert.Contains("Notifications: everything.", saved.Document.Body!.TextContent);
        await ann.SendAsync(group, "six");
        await ann.SendAsync(group, "@Bo Level seven");
        Assert.Equal("2 unread messages", UnreadText(await bo.Client.GetAsync(ChatUrls.Conversations), group));

        Assert.Equal(HttpStatusCode.Redirect, (await bo.PostWithTokenAsync(ChatUrls.Notifications(group), new() { ["level"] = "none" })).StatusCode);
        var quiet = await bo.Client.GetAsync(ChatUrls.Conversations);
        Assert.Equal(string.Empty, UnreadText(quiet, group));
        Assert.Null(MentionMark(quiet, group));
        Assert.DoesNotContain("@", quiet.Document.Title);

        Assert.Equal(HttpStatusCode.Redirect, (await bo.PostWithTokenAsync(ChatUrls.Notifications(group), new() { ["level"] = "mentions" })).StatusCode);
        var mentionsOnly = await bo.Client.GetAsync(ChatUrls.Conversations);
        Assert.Equal("1 unread message", UnreadText(mentionsOnly, group));
        Assert.NotNull(MentionMark(mentionsOnly, group));
    }

    private static string? SelectedLevel(Page page) =>
        page.Document.QuerySelector("form#notification-level select[name=level] option[selected]")?.GetAttribute("value");

    [Fact]
    public async Task A_level_that_is_not_offered_is_refused_and_a_non_member_gets_404()
    {
        using var ann = await app.NewPersonAsync("Ann Refused");
        using var bo = await app.NewPersonAsync("Bo Refused");
        using var cy = await app.NewPersonAsync("Cy Refused");
        var id = await ann.StartConversationAsync(null, bo);

        var loud = await bo.PostWithTokenAsync(ChatUrls.Notifications(id), new() { ["level"] = "loud" });
        var stranger = await cy.PostWithTokenAsync(ChatUrls.Notifications(id), new() { ["level"] = "none" });

        Assert.Equal(HttpStatusCode.BadRequest, loud.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, stranger.StatusCode);
        Assert.Equal("all", SelectedLevel(await bo.OpenAsync(id)));
    }

    [Fact]
    public async Task A_poll_brings_a_mention_marked_for_the_mentioned_person_and_an_idle_poll_stays_empty()
    {
        using var ann = await app.NewPersonAsync("Ann Poll");
        using var bo = await app.NewPersonAsync("Bo Poll");
        var id = await ann.StartConversationAsync(null, bo);
        var (after, v) = ChatSteps.CursorOf((await bo.OpenAsync(id)).Document);

        await ann.SendAsync(id, "@Bo Poll are you there?");
        var poll = await bo.PollAsync(id, after, v);
        var idle = await bo.PollAsync(id, poll.After, poll.V);

        Assert.Equal(HttpStatusCode.OK, poll.Status);
        var message = Assert.Single(poll.Fragment.QuerySelectorAll("article.message"));
        Assert.Contains("message-mentions-me", message.ClassList);
        Assert.Equal("@Bo Poll (mention)", message.QuerySelector("mark.mention")!.TextContent);
        Assert.Equal(HttpStatusCode.NoContent, idle.Status);
    }
}

public sealed class MentionsTestsOnSqlite(SqliteApp app) : MentionsTests<SqliteApp>(app);

public sealed class MentionsTestsOnMariaDb(MariaDbApp app) : MentionsTests<MariaDbApp>(app);
