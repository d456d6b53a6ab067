using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using ChatMvc.Chat;
using ChatMvc.Data;
using ChatMvc.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace ChatMvc.Tests.Chat;

public abstract class ReactionsTests<TApp>(TApp app) : IClassFixture<TApp>
    where TApp : ChatAppFactory
{
    private static readonly HtmlParser Parser = new();

    [Fact]
    public async Task A_member_reacts_from_the_message_menu_without_javascript_and_both_see_who_reacted()
    {
        using var ann = await app.NewPersonAsync("Ann Menu");
        using var bo = await app.NewPersonAsync("Bo Menu");
        var id = await ann.StartConversationAsync(null, bo);
        var messageId = await SendAsync(ann, id, "Ship it?");

        var window = await bo.ReactAsync(id, messageId, "👍");
        var annWindow = await ann.OpenAsync(id);

        Assert.Equal(HttpStatusCode.OK, window.Status);
        Assert.Equal("You reacted with 👍.", window.Document.QuerySelector(".status-message[role=status]")!.TextContent.Trim());
        var mine = Assert.Single(ReactionButtons(window.Document, messageId));
        Assert.Equal("true", mine.GetAttribute("aria-pressed"));
        Assert.Equal("you", mine.GetAttribute("title"));
        Assert.Equal("👍 1 from you", Squeeze(mine.TextContent));
        var theirs = Assert.Single(ReactionButtons(annWindow.Document, messageId));
        Assert.Equal("false", theirs.GetAttribute("aria-pressed"));
        Assert.Equal("👍 1 from Bo Menu", Squeeze(theirs.TextContent));
    }

    [Fact]
    public async Task The_same_button_adds_another_person_s_reaction_and_then_takes_it_back()
    {
        using var ann = await app.NewPersonAsync("Ann Toggle");
        using var bo = await app.NewPersonAsync("Bo Toggle");
        var id = await ann.StartConversationAsync(null, bo);
        var messageId = await SendAsync(ann, id, "Cake in the kitchen");
        await bo.ReactAsync(id, messageId, "🎉");

        var joined = await ann.Client.PressAsync(await ann.OpenAsync(id), $"#message-{messageId} ul.reactions button");
        var both = Assert.Single(ReactionButtons(joined.Document, messageId));
        var left = await ann.Client.PressAsync(joined, $"#message-{messageId} ul.reactions button");

        Assert.Equal("🎉 2 from Bo Toggle and you", Squeeze(both.TextContent));
        Assert.Equal("true", both.GetAttribute("aria-pressed"));
        var after = Assert.Single(ReactionButtons(left.Document, messageId));
        Assert.Equal("🎉 1 from Bo Toggle", Squeeze(after.TextContent));
        Assert.Equal("You removed your reaction 🎉.", left.Document.QuerySelector(".status-message")!.TextContent.Trim());
    }

    [Fact]
    public async Task A_word_typed_on_the_reaction_page_is_a_reaction_and_a_stale_remove_changes_nothing()
    {
        using var ann = await app.NewPersonAsync("Ann Word");
        using var bo = await app.NewPersonAsync("Bo Word");
        var id = await ann.StartConversationAsync(null, bo);
        var messageId = await SendAsync(ann, id, "Deploying now");

        var reactionPage = await bo.OpenReactionPageAsync(id, messageId);
        Assert.Equal(0, await CountReactionsAsync(messageId));
        var window = await bo.Client.SubmitAsync(reactionPage, new() { ["emoji"] = "  ship it " }, "main form.reaction-other");
        var removed = await bo.Client.PressAsync(window, $"#message-{messageId} ul.reactions button");
        var staleAgain = await bo.Client.PressAsync(window, $"#message-{messageId} ul.reactions button");

        Assert.Equal("ship it 1 from you", Squeeze(Assert.Single(ReactionButtons(window.Document, messageId)).TextContent));
        Assert.Empty(ReactionButtons(removed.Document, messageId));
        Assert.Empty(ReactionButtons(staleAgain.Document, messageId));
        Assert.Equal(0, await CountReactionsAsync(messageId));
    }

    [Theory]
    [InlineData("   ", "Choose an emoji or type a short word to react with.")]
    [InlineData("far too long a word", "A reaction can be at most 16 characters; this one has 19.")]
    [InlineData("ok\u0001", "A reaction can only hold text: no control characters (such as NUL) and no bytes that are not UTF-8.")]
    public async Task A_bad_reaction_shows_the_form_again_with_the_reason_and_stores_nothing(string emoji, string expected)
    {
        using var ann = await app.NewPersonAsync("Ann Bad");
        using var bo = await app.NewPersonAsync("Bo Bad");
        var id = await ann.StartConversationAsync(null, bo);
        var messageId = await SendAsync(ann, id, "Try me");

        var page = await bo.Client.SubmitAsync(await bo.OpenReactionPageAsync(id, messageId), new() { ["emoji"] = emoji }, "main form.reaction-other");

        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        Assert.Equal(expected, page.Document.QuerySelector("main [role=alert]")!.TextContent.Trim());
        var field = (IHtmlInputElement)page.Document.QuerySelector($"#reaction-text-{messageId}")!;
        Assert.Equal("true", field.GetAttribute("aria-invalid"));
        Assert.Equal($"reaction-error-{messageId}", field.GetAttribute("aria-describedby"));
        Assert.Equal(0, await CountReactionsAsync(messageId));

        var fixedUp = await bo.Client.SubmitAsync(page, new() { ["emoji"] = "ok" }, "main form.reaction-other");
        Assert.Equal("ok 1 from you", Squeeze(Assert.Single(ReactionButtons(fixedUp.Document, messageId)).TextContent));
    }

    [Fact]
    public async Task A_window_holds_one_antiforgery_token_for_all_its_messages_and_their_buttons_post_through_it()
    {
        using var ann = await app.NewPersonAsync("Ann Token");
        using var bo = await app.NewPersonAsync("Bo Token");
        var id = await ann.StartConversationAsync(null, bo);
        var first = await SendAsync(ann, id, "One");
        await SendAsync(ann, id, "Two");
        await SendAsync(bo, id, "Three");
        await bo.ReactAsync(id, first, "👍");
        await ann.OpenAsync(id);

        var window = (await ann.OpenAsync(id)).Document;
        var fewer = (await ann.Client.GetAsync(ChatUrls.MessageAt(id, first))).Document;

        var messages = window.QuerySelectorAll("article.message");
        Assert.Equal(3, messages.Length);
        Assert.All(messages, m => Assert.Empty(m.QuerySelectorAll("input[name=__RequestVerificationToken]")));
        var actions = (IHtmlFormElement)window.GetElementById(MessageItem.ActionsFormId)!;
        Assert.Single(actions.QuerySelectorAll("input[name=__RequestVerificationToken]"));
        var buttons = window.QuerySelectorAll("article.message button[type=submit][formaction]").Cast<IHtmlButtonElement>().ToList();
        Assert.Single(buttons);
        Assert.All(buttons, b => Assert.Same(actions, b.Form));
        // The page's other forms (the composer, the notification level, signing out) hold theirs; none comes per message.
        Assert.Equal(4, window.QuerySelectorAll("input[name=__RequestVerificationToken]").Length);
        // A window of history has no composer and no notification level: one token for its messages, one to sign out.
        Assert.Equal(
            ["", MessageItem.ActionsFormId],
            fewer.QuerySelectorAll("input[name=__RequestVerificationToken]").Select(t => t.Closest("form")!.Id ?? "").Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_window_s_menus_link_to_the_reaction_page_which_answers_htmx_with_the_picker_alone_for_members_of_messages_still_there()
    {
        using var ann = await app.NewPersonAsync("Ann Lazy");
        using var bo = await app.NewPersonAsync("Bo Lazy");
        using var eve = await app.NewPersonAsync("Eve Lazy");
        var id = await ann.StartConversationAsync(null, bo);
        var messageId = await SendAsync(ann, id, "Light menus");
        var gone = await SendAsync(ann, id, "Gone soon");
        await ann.DeleteMessageAsync(id, gone);

        var window = (await bo.OpenAsync(id)).Document;
        using var picker = await bo.Client.Http.SendAsync(HtmxGet(ChatUrls.Reactions(id, messageId)));
        var fragment = Parser.ParseDocument(await picker.Content.ReadAsStringAsync());
        using var stranger = await eve.Client.Http.SendAsync(HtmxGet(ChatUrls.Reactions(id, messageId)));
        using var deleted = await bo.Client.Http.SendAsync(HtmxGet(ChatUrls.Reactions(id, gone)));

        // The window carries no picker, only the link that becomes one.
        Assert.Empty(window.QuerySelectorAll(".reaction-picker"));
        var link = window.QuerySelector($"#message-{messageId} details.message-menu a.reaction-link")!;
        Assert.Equal(ChatUrls.Reactions(id, messageId), link.GetAttribute("href"));
        // Nothing in any menu carries script attributes of its own (message-actions.js finds the links by class).
        var own = (await ann.OpenAsync(id)).Document;
        Assert.NotNull(own.QuerySelector($"#message-{messageId} details.message-menu a.edit-link"));
        Assert.NotNull(own.QuerySelector($"#message-{messageId} details.message-menu form.delete-form"));
        var menus = window.QuerySelectorAll("details.message-menu").Concat(own.QuerySelectorAll("details.message-menu")).ToList();
        Assert.DoesNotContain(menus.SelectMany(m => m.QuerySelectorAll("*")).SelectMany(e => e.Attributes), a => a.Name.StartsWith("data-hx-", StringComparison.Ordinal));
        Assert.Equal("React to this message", Squeeze(link.TextContent));

        // The picker's choices post through the window's one token form, with htmx putting the message back in place.
        Assert.Equal(HttpStatusCode.OK, picker.StatusCode);
        Assert.Contains("HX-Request", picker.Headers.Vary);
        Assert.Null(fragment.QuerySelector("main"));
        var choices = fragment.QuerySelectorAll(".reaction-picker .reaction-choices button").Cast<IHtmlButtonElement>().ToList();
        Assert.Equal(MessageReactions.CommonChoices, choices.Select(b => b.Value));
        Assert.All(choices, b => Assert.Equal(MessageItem.ActionsFormId, b.GetAttribute("form")));
        Assert.All(choices, b => Assert.Equal(ChatUrls.Reactions(id, messageId), b.GetAttribute("data-hx-post")));
        Assert.Equal("closest article", fragment.QuerySelector(".reaction-choices")!.GetAttribute("data-hx-target"));
        Assert.Empty(fragment.QuerySelectorAll("input[name=__RequestVerificationToken]"));
        Assert.Equal(HttpStatusCode.NotFound, stranger.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, deleted.StatusCode);
    }

    [Fact]
    public async Task The_reaction_page_offers_the_common_choices_without_javascript()
    {
        using var ann = await app.NewPersonAsync("Ann Page");
        using var bo = await app.NewPersonAsync("Bo Page");
        var id = await ann.StartConversationAsync(null, bo);
        var messageId = await SendAsync(ann, id, "Pick one");

        var page = await bo.Client.GetAsync(ChatUrls.Reactions(id, messageId));
        var window = await bo.Client.SubmitAsync(page, [], "main form.reaction-choices", submitter: "button[value='❤️']");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("Pick one", page.MainText);
        Assert.Equal(MessageReactions.CommonChoices, page.Document.QuerySelectorAll("form.reaction-choices button").Select(b => b.GetAttribute("value")!));
        Assert.Equal("❤️ 1 from you", Squeeze(Assert.Single(ReactionButtons(window.Document, messageId)).TextContent));
    }

    [Fact]
    public async Task With_htmx_the_message_comes_back_in_place_and_the_change_is_announced()
    {
        using var ann = await app.NewPersonAsync("Ann Htmx");
        using var bo = await app.NewPersonAsync("Bo Htmx");
        var id = await ann.StartConversationAsync(null, bo);
        var messageId = await SendAsync(ann, id, "Swap me");
        var window = await bo.OpenAsync(id);

        using var response = await PostHtmxAsync(bo, window, id, messageId, new() { ["emoji"] = "👀" });
        var fragment = Parser.ParseDocument(await response.Content.ReadAsStringAsync());
        using var refused = await PostHtmxAsync(bo, window, id, messageId, new() { ["emoji"] = "" });
        var refusedFragment = Parser.ParseDocument(await refused.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"message-{messageId}", fragment.QuerySelector("article.message")!.Id);
        var button = Assert.Single(ReactionButtons(fragment, messageId));
        var trigger = response.Headers.GetValues("HX-Trigger-After-Settle").Single();
        Assert.Contains("reaction-changed", trigger);
        Assert.Contains(button.Id!, trigger);
        Assert.Contains("You reacted with", trigger);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.NotNull(refusedFragment.QuerySelector($"#message-{messageId} details.message-menu[open]"));
        Assert.Equal("Choose an emoji or type a short word to react with.", refusedFragment.QuerySelector("[role=alert]")!.TextContent.Trim());
    }

    [Fact]
    public async Task A_reaction_reaches_the_other_member_through_the_poll_and_the_next_idle_poll_runs_no_sql()
    {
        using var ann = await app.NewPersonAsync("Ann Poll");
        using var bo = await app.NewPersonAsync("Bo Poll");
        var id = await ann.StartConversationAsync(null, bo);
        var messageId = await SendAsync(ann, id, "Anyone?");
        var (after, v) = ChatSteps.CursorOf((await ann.OpenAsync(id)).Document);

        await bo.ReactAsync(id, messageId, "🙏");
        var poll = await ann.PollAsync(id, after, v);

        Assert.Equal(HttpStatusCode.OK, poll.Status);
        var changed = poll.Fragment.QuerySelector($"article#message-{messageId}")!;
        Assert.Equal("true", changed.GetAttribute("data-hx-swap-oob"));
        Assert.Equal("🙏 1 from Bo Poll", Squeeze(Assert.Single(ReactionButtons(poll.Fragment, messageId)).TextContent));
        Assert.True(poll.V > v);

        Assert.Equal(HttpStatusCode.NoContent, (await ann.PollAsync(id, poll.After, poll.V)).Status);
        var db = app.Services.GetRequiredService<ChatDb>();
        var opened = db.OpenCount;
        Assert.Equal(HttpStatusCode.NoContent, (await ann.PollAsync(id, poll.After, poll.V)).Status);
        Assert.Equal(opened, db.OpenCount);
    }

    [Fact]
    public async Task A_non_member_gets_404_for_the_reaction_page_and_the_post_and_nothing_is_stored()
    {
        using var ann = await app.NewPersonAsync("Ann Closed");
        using var bo = await app.NewPersonAsync("Bo Closed");
        using var eve = await app.NewPersonAsync("Eve Closed");
        var id = await ann.StartConversationAsync(null, bo);
        var messageId = await SendAsync(ann, id, "Private");

        var page = await eve.Client.GetAsync(ChatUrls.Reactions(id, messageId));
        using var post = await eve.PostWithTokenAsync(ChatUrls.Reactions(id, messageId), new() { ["emoji"] = "👍" });

        Assert.Equal(HttpStatusCode.NotFound, page.Status);
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        Assert.Equal(0, await CountReactionsAsync(messageId));
    }

    [Fact]
    public async Task A_deleted_message_offers_no_reactions_and_refuses_one_with_404()
    {
        using var ann = await app.NewPersonAsync("Ann Deleted");
        using var bo = await app.NewPersonAsync("Bo Deleted");
        var id = await ann.StartConversationAsync(null, bo);
        var messageId = await SendAsync(ann, id, "Soon gone");
        await bo.ReactAsync(id, messageId, "👍");
        await ann.DeleteMessageAsync(id, messageId);

        var window = await bo.OpenAsync(id);
        var page = await bo.Client.GetAsync(ChatUrls.Reactions(id, messageId));
        using var post = await bo.PostWithTokenAsync(ChatUrls.Reactions(id, messageId), new() { ["emoji"] = "🎉" });

        Assert.Empty(ReactionButtons(window.Document, messageId));
        Assert.Null(window.Document.QuerySelector($"#message-{messageId} .reaction-picker"));
        Assert.Equal(HttpStatusCode.NotFound, page.Status);
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
    }

    private static IReadOnlyList<IElement> ReactionButtons(IDocument document, long messageId) =>
        document.QuerySelectorAll($"#message-{messageId} ul.reactions button.reaction").ToList();

    private static string Squeeze(string text) => string.Join(' ', text.Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries));

    private static async Task<long> SendAsync(Participant person, long conversationId, string body)
    {
        var window = await person.SendAsync(conversationId, body);
        return ChatSteps.MessageIds(window.Document)[^1];
    }

    private static HttpRequestMessage HtmxGet(string url)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("HX-Request", "true");
        return request;
    }

    private static Task<HttpResponseMessage> PostHtmxAsync(Participant person, Page window, long conversationId, long messageId, Dictionary<string, string> values)
    {
        var token = window.Document.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var request = new HttpRequestMessage(HttpMethod.Post, ChatUrls.Reactions(conversationId, messageId))
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>(values) { ["__RequestVerificationToken"] = token }),
        };
        request.Headers.Add("HX-Request", "true");
        return person.Client.Http.SendAsync(request);
    }

    private async Task<long> CountReactionsAsync(long messageId)
    {
        await using var connection = await app.Services.GetRequiredService<ChatDb>().OpenAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM message_reactions WHERE message_id = @messageId", new { messageId });
    }
}

public sealed class ReactionsTestsOnSqlite(SqliteApp app) : ReactionsTests<SqliteApp>(app);

public sealed class ReactionsTestsOnMariaDb(MariaDbApp app) : ReactionsTests<MariaDbApp>(app);
