using System.Net;
using ChatMvc.Chat;
using ChatMvc.Data;
using ChatMvc.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace ChatMvc.Tests.Chat;

public abstract class ChatTests<TApp>(TApp app) : IClassFixture<TApp>
    where TApp : ChatAppFactory
{
    [Fact]
    public async Task Two_people_starting_a_direct_conversation_at_the_same_moment_end_up_in_one()
    {
        using var ann = await app.NewPersonAsync("Ann");
        using var bo = await app.NewPersonAsync("Bo");

        var ids = await Task.WhenAll(
            ann.StartConversationAsync(null, bo),
            bo.StartConversationAsync(null, ann),
            ann.StartConversationAsync(null, bo));

        Assert.Single(ids.Distinct());
        var db = app.Services.GetRequiredService<ChatDb>();
        await using var connection = await db.OpenAsync();
        Assert.Equal(2, await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM conversation_members WHERE conversation_id = @id", new { id = ids[0] }));
    }

    [Fact]
    public async Task A_group_is_created_with_its_title_and_members()
    {
        using var ann = await app.NewPersonAsync("Ann Group");
        using var bo = await app.NewPersonAsync("Bo Group");
        using var cy = await app.NewPersonAsync("Cy Group");

        var id = await ann.StartConversationAsync("Release planning", bo, cy);

        var window = await cy.OpenAsync(id);
        Assert.Equal("Release planning", window.Document.QuerySelector("main h1")!.TextContent.Trim());
        var members = window.Document.QuerySelector(".chat-members")!.TextContent;
        Assert.Contains("Ann Group", members);
        Assert.Contains("Bo Group", members);
        Assert.Contains("Cy Group", members);
    }

    [Fact]
    public async Task A_group_without_a_title_is_refused_with_a_message()
    {
        using var ann = await app.NewPersonAsync("Ann");
        using var bo = await app.NewPersonAsync("Bo");
        using var cy = await app.NewPersonAsync("Cy");

        var page = await ann.Client.GetAsync($"/conversations/new?selected={bo.Id}&selected={cy.Id}");
        var result = await ann.Client.SubmitAsync(page, new Dictionary<string, string>(), "form.new-conversation");

        Assert.Equal(HttpStatusCode.BadRequest, result.Status);
        Assert.Equal("A group needs a title.", result.Document.QuerySelector("[role=alert]")!.TextContent.Trim());
        Assert.Equal(2, result.Document.QuerySelectorAll("#people-picker input[name=selected][checked]").Length);
    }

    [Fact]
    public async Task The_directory_finds_people_by_part_of_a_name_or_a_whole_email_without_javascript()
    {
        using var ann = await app.NewPersonAsync("Ann Finder");
        using var bo = await app.NewPersonAsync("Bolette Quixote");

        var byName = await ann.Client.GetAsync("/conversations/new?q=quixote");
        var byEmail = await ann.Client.GetAsync($"/conversations/new?q={Uri.EscapeDataString(bo.User.Email.ToUpperInvariant())}");
        var byPartOfEmail = await ann.Client.GetAsync($"/conversations/new?q={Uri.EscapeDataString(bo.User.Email[..10])}");

        Assert.Contains("Bolette Quixote", byName.Document.QuerySelector("#people-picker")!.TextContent);
        Assert.Contains("Bolette Quixote", byEmail.Document.QuerySelector("#people-picker")!.TextContent);
        Assert.DoesNotContain("Bolette Quixote", byPartOfEmail.Document.QuerySelector("#people-picker")!.TextContent);
        Assert.DoesNotContain("Ann Finder", byName.Document.QuerySelector("#people-picker")!.TextContent);
    }

    [Fact]
    public async Task The_people_picker_and_the_members_page_show_no_one_s_email()
    {
        using var ann = await app.NewPersonAsync("Ann Picker");
        using var bo = await app.NewPersonAsync("Bo Picked");
        using var cy = await app.NewPersonAsync("Cy Candidate");
        var id = await ann.StartConversationAsync("Picker group", bo);

        var picker = await ann.Client.GetAsync($"/conversations/new?q=Bo%20Picked&selected={cy.Id}");
        var fragment = await ann.Client.Http.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/conversations/new?q=Picked") { Headers = { { "HX-Request", "true" } } });
        var members = await ann.Client.GetAsync($"/conversations/{id}/members?q=Cy%20Candidate");

        Assert.Contains("Bo Picked", picker.Document.QuerySelector("#people-picker")!.TextContent);
        Assert.Contains("Cy Candidate", members.Document.QuerySelector(".add-members")!.TextContent);
        foreach (var html in new[] { picker.Document.DocumentElement.OuterHtml, await fragment.Content.ReadAsStringAsync(), members.Document.DocumentElement.OuterHtml })
        {
            Assert.DoesNotContain(bo.User.Email, html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(cy.User.Email, html, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task A_message_sent_by_one_member_reaches_the_other_through_the_poll()
    {
        using var ann = await app.NewPersonAsync("Ann");
        using var bo = await app.NewPersonAsync("Bo");
        var id = await ann.StartConversationAsync(null, bo);
        var (after, v) = ChatSteps.CursorOf((await bo.OpenAsync(id)).Document);

        await ann.SendAsync(id, "Lunch at noon?");
        var poll = await bo.PollAsync(id, after, v);

        Assert.Equal(HttpStatusCode.OK, poll.Status);
        Assert.Equal(["Lunch at noon?"], ChatSteps.MessageTexts(poll.Fragment));
        Assert.Contains("Ann", poll.Fragment.QuerySelector("article.message .message-sender")!.TextContent);
        Assert.NotNull(poll.Fragment.QuerySelector("article.message time[datetime]"));
        Assert.True(poll.After > after);
        Assert.Equal(HttpStatusCode.NoContent, (await bo.PollAsync(id, poll.After, poll.V)).Status);
    }

    [Fact]
    public async Task An_idle_poll_answers_204_without_running_any_sql()
    {
        using var ann = await app.NewPersonAsync("Ann");
        using var bo = await app.NewPersonAsync("Bo");
        var id = await ann.StartConversationAsync(null, bo);
        await ann.SendAsync(id, "Warm the cache");
        var (after, v) = ChatSteps.CursorOf((await bo.OpenAsync(id)).Document);
        Assert.Equal(HttpStatusCode.NoContent, (await bo.PollAsync(id, after, v)).Status);
        var db = app.Services.GetRequiredService<ChatDb>();

        var before = db.OpenCount;
        var polls = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            polls.Add((await bo.PollAsync(id, after, v)).Status);
        }

        Assert.All(polls, status => Assert.Equal(HttpStatusCode.NoContent, status));
        Assert.Equal(before, db.OpenCount);
    }

    [Fact]
    public async Task A_window_opened_on_a_warm_cache_reads_its_messages_from_the_cache()
    {
        using var ann = await app.NewPersonAsync("Ann");
        using var bo = await app.NewPersonAsync("Bo");
        var id = await ann.StartConversationAsync(null, bo);
        await ann.SendAsync(id, "As sent");
        await bo.OpenAsync(id);

        // Changed behind the app's back: only a window that reads the database would show it.
        var db = app.Services.GetRequiredService<ChatDb>();
        await using (var connection = await db.OpenAsync())
        {
            await connection.ExecuteAsync("UPDATE messages SET body = 'Changed in the database' WHERE conversation_id = @id", new { id });
        }

        Assert.Equal(["As sent"], ChatSteps.MessageTexts((await bo.OpenAsync(id)).Document));
    }

    [Fact]
    public async Task Paging_back_over_200_messages_returns_each_exactly_once_in_order()
    {
        using var ann = await app.NewPersonAsync("Ann");
        using var bo = await app.NewPersonAsync("Bo");
        var id = await ann.StartConversationAsync(null, bo);
        var window = await ann.OpenAsync(id);
        var token = window.Document.QuerySelector("#composer input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        for (var i = 1; i <= 200; i++)
        {
            var response = await ann.Client.Http.PostAsync($"/conversations/{id}/messages", new FormUrlEncodedContent(
                new Dictionary<string, string> { ["Body"] = $"Message {i}", ["__RequestVerificationToken"] = token }));
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        }

        // Bo reads them first: with 200 unread his window would open at the first of them instead of the newest page.
        await ReadAllAsync(bo, id);
        var seen = new List<string>();
        var page = await bo.OpenAsync(id);
        Assert.Equal(40, ChatSteps.MessageTexts(page.Document).Count);
        while (true)
        {
            seen.InsertRange(0, ChatSteps.MessageTexts(page.Document));
            var older = page.Document.QuerySelector("a#load-older");
            if (older is null)
            {
                break;
            }

            page = await bo.Client.GetAsync(older.GetAttribute("href")!);
        }

        Assert.Equal(Enumerable.Range(1, 200).Select(i => $"Message {i}"), seen);
    }

    [Fact]
    public async Task Loading_older_messages_with_htmx_returns_only_the_older_page()
    {
        using var ann = await app.NewPersonAsync("Ann");
        using var bo = await app.NewPersonAsync("Bo");
        var id = await ann.StartConversationAsync(null, bo);
        for (var i = 1; i <= 45; i++)
        {
            await ann.SendAsync(id, $"Note {i}");
        }

        await ReadAllAsync(bo, id);
        var window = await bo.OpenAsync(id);
        var href = window.Document.QuerySelector("a#load-older")!.GetAttribute("data-hx-get")!;
        using var request = new HttpRequestMessage(HttpMethod.Get, href);
        request.Headers.Add("HX-Request", "true");
        var response = await bo.Client.Http.SendAsync(request);
        var fragment = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());

        Assert.Equal(Enumerable.Range(1, 5).Select(i => $"Note {i}"), ChatSteps.MessageTexts(fragment));
        Assert.Null(fragment.QuerySelector("a#load-older"));
        Assert.Contains("Vary", response.Headers.Select(h => h.Key));
    }

    [Fact]
    public async Task A_page_of_older_messages_tells_the_window_it_was_loaded_after_the_swap()
    {
        using var ann = await app.NewPersonAsync("Ann");
        using var bo = await app.NewPersonAsync("Bo");
        var id = await ann.StartConversationAsync(null, bo);
        for (var i = 1; i <= 41; i++)
        {
            await ann.SendAsync(id, $"Note {i}");
        }

        await ReadAllAsync(bo, id);
        var window = await bo.OpenAsync(id);
        using var request = new HttpRequestMessage(HttpMethod.Get, window.Document.QuerySelector("a#load-older")!.GetAttribute("data-hx-get")!);
        request.Headers.Add("HX-Request", "true");
        using var response = await bo.Client.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("older-loaded", response.Headers.GetValues("HX-Trigger-After-Swap").Single());
    }

    [Fact]
    public async Task A_repeated_client_message_id_stores_one_message()
    {
        using var ann = await app.NewPersonAsync("Ann");
        using var bo = await app.NewPersonAsync("Bo");
        var id = await ann.StartConversationAsync(null, bo);
        var clientId = Guid.NewGuid().ToString("N");

        await ann.SendAsync(id, "Only once", clientId);
        await ann.SendAsync(id, "Only once", clientId);

        Assert.Equal(1, await app.CountMessagesAsync(id));
        Assert.Equal(["Only once"], ChatSteps.MessageTexts((await bo.OpenAsync(id)).Document));
    }

    [Fact]
    public async Task The_same_client_message_id_in_two_conversations_stores_a_message_in_each()
    {
        using var ann = await app.NewPersonAsync("Ann");
        using var bo = await app.NewPersonAsync("Bo");
        using var cy = await app.NewPersonAsync("Cy");
        var withBo = await ann.StartConversationAsync(null, bo);
        var withCy = await ann.StartConversationAsync(null, cy);
        var clientId = Guid.NewGuid().ToString("N");

        await ann.SendAsync(withBo, "To Bo", clientId);
        await ann.SendAsync(withCy, "To Cy", clientId);
        await ann.SendAsync(withCy, "To Cy", clientId);

        Assert.Equal(["To Bo"], ChatSteps.MessageTexts((await bo.OpenAsync(withBo)).Document));
        Assert.Equal(["To Cy"], ChatSteps.MessageTexts((await cy.OpenAsync(withCy)).Document));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n  ")]
    public async Task An_empty_message_is_refused_next_to_the_composer_and_nothing_is_stored(string body)
    {
        using var ann = await app.NewPersonAsync("Ann");
        using var bo = await app.NewPersonAsync("Bo");
        var id = await ann.StartConversationAsync(null, bo);

        var page = await ann.SendAsync(id, body);

        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        Assert.Equal("Write a message before sending.", page.Document.QuerySelector("#composer #composer-error")!.TextContent.Trim());
        Assert.Equal(0, await app.CountMessagesAsync(id));
    }

    [Fact]
    public async Task A_message_over_4000_characters_is_refused_and_the_text_is_kept()
    {
        using var ann = await app.NewPersonAsync("Ann");
        using var bo = await app.NewPersonAsync("Bo");
        var id = await ann.StartConversationAsync(null, bo);
        var text = new string('x', 4001);

        var page = await ann.SendAsync(id, text);

        Assert.Contains("at most 4000 characters", page.Document.QuerySelector("#composer-error")!.TextContent);
        Assert.Equal(text, page.Document.QuerySelector("#message-body")!.TextContent);
        Assert.Equal(0, await app.CountMessagesAsync(id));
        await ann.SendAsync(id, new string('y', 4000));
        Assert.Equal(1, await app.CountMessagesAsync(id));
    }

    [Fact]
    public async Task A_script_tag_in_a_message_is_shown_as_text()
    {
        using var ann = await app.NewPersonAsync("Ann");
        using var bo = await app.NewPersonAsync("Bo");
        var id = await ann.StartConversationAsync(null, bo);

        await ann.SendAsync(id, "<script>alert('x')</script>\nsecond line https://example.test/a?b=1");
        var window = await bo.OpenAsync(id);

        var body = window.Document.QuerySelector("article.message .message-body")!;
        Assert.Empty(window.Document.QuerySelectorAll("#messages script"));
        Assert.Contains("<script>alert('x')</script>", body.TextContent);
        Assert.Single(body.QuerySelectorAll("br"));
        Assert.Equal("https://example.test/a?b=1", body.QuerySelector("a")!.GetAttribute("href"));
    }

    [Fact]
    public async Task A_non_member_gets_404_on_the_window_poll_send_and_older_pages()
    {
        using var ann = await app.NewPersonAsync("Ann");
        using var bo = await app.NewPersonAsync("Bo");
        using var eve = await app.NewPersonAsync("Eve");
        var id = await ann.StartConversationAsync(null, bo);
        await ann.SendAsync(id, "Private");
        var eveToken = (await eve.Client.GetAsync("/conversations/new")).Document
            .QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;

        foreach (var conversation in new[] { id, 987654321 })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await eve.Client.GetAsync($"/conversations/{conversation}")).Status);
            Assert.Equal(HttpStatusCode.NotFound, (await eve.PollAsync(conversation, 0, 0)).Status);
            Assert.Equal(HttpStatusCode.NotFound, (await eve.Client.GetAsync($"/conversations/{conversation}?before=999999")).Status);
            var older = new HttpRequestMessage(HttpMethod.Get, $"/conversations/{conversation}/messages?before=999999");
            older.Headers.Add("HX-Request", "true");
            Assert.Equal(HttpStatusCode.NotFound, (await eve.Client.Http.SendAsync(older)).StatusCode);
            var send = await eve.Client.Http.PostAsync($"/conversations/{conversation}/messages", new FormUrlEncodedContent(
                new Dictionary<string, string> { ["Body"] = "intrusion", ["__RequestVerificationToken"] = eveToken }));
            Assert.Equal(HttpStatusCode.NotFound, send.StatusCode);
        }

        Assert.Equal(1, await app.CountMessagesAsync(id));
    }

    [Fact]
    public async Task The_conversation_list_shows_title_preview_and_unread_count_and_its_poll_follows_changes()
    {
        using var ann = await app.NewPersonAsync("Ann Lister");
        using var bo = await app.NewPersonAsync("Bo Lister");
        var empty = await bo.Client.GetAsync("/");
        Assert.Contains("You have no conversations yet", empty.MainText);
        var version = long.Parse(empty.Document.QuerySelector("#conversation-list")!.GetAttribute("data-hx-get")!.Split("v=")[1]);

        var id = await ann.StartConversationAsync(null, bo);
        await ann.SendAsync(id, "First");
        await ann.SendAsync(id, "Second, and a longer line of text");

        using var poll = new HttpRequestMessage(HttpMethod.Get, $"/conversations/poll?v={version}");
        poll.Headers.Add("HX-Request", "true");
        var changed = await bo.Client.Http.SendAsync(poll);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        var list = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await changed.Content.ReadAsStringAsync());
        var row = list.QuerySelector($"#conversation-{id}")!;
        Assert.Equal("Ann Lister", row.QuerySelector(".conversation-title")!.TextContent.Trim());
        Assert.Equal("2 unread messages", row.QuerySelector(".conversation-unread")!.TextContent.Trim());
        Assert.Contains("Second, and a longer line of text", row.QuerySelector(".conversation-preview")!.TextContent);
        Assert.Equal($"/conversations/{id}", row.QuerySelector("a")!.GetAttribute("href"));

        var newVersion = list.QuerySelector("#conversation-list")!.GetAttribute("data-hx-get")!.Split("v=")[1];
        using var idle = new HttpRequestMessage(HttpMethod.Get, $"/conversations/poll?v={newVersion}");
        Assert.Equal(HttpStatusCode.NoContent, (await bo.Client.Http.SendAsync(idle)).StatusCode);

        await bo.OpenAsync(id);
        var afterReading = await bo.Client.GetAsync("/");
        Assert.Equal(string.Empty, afterReading.Document.QuerySelector($"#conversation-{id} .conversation-unread")!.TextContent.Trim());
    }

    [Fact]
    public async Task Opening_a_window_shows_a_new_messages_divider_before_the_first_unread_message()
    {
        using var ann = await app.NewPersonAsync("Ann");
        using var bo = await app.NewPersonAsync("Bo");
        var id = await ann.StartConversationAsync(null, bo);
        await ann.SendAsync(id, "Read one");
        await bo.OpenAsync(id);
        await ann.SendAsync(id, "Unread one");
        await ann.SendAsync(id, "Unread two");

        var window = await bo.OpenAsync(id);

        var divider = window.Document.QuerySelector("#messages #unread-divider")!;
        Assert.Equal("New messages", divider.TextContent.Trim());
        Assert.Equal("Unread one", divider.NextElementSibling!.QuerySelector(".message-body")!.TextContent.Trim());
        Assert.Null((await bo.OpenAsync(id)).Document.QuerySelector("#unread-divider"));
    }

    [Fact]
    public async Task The_log_is_a_labelled_live_region_in_the_first_render()
    {
        using var ann = await app.NewPersonAsync("Ann");
        using var bo = await app.NewPersonAsync("Bo Logger");
        var id = await ann.StartConversationAsync(null, bo);

        var window = await ann.OpenAsync(id);

        var log = window.Document.QuerySelector("#messages")!;
        Assert.Equal("log", log.GetAttribute("role"));
        Assert.Equal("Messages in Bo Logger", log.GetAttribute("aria-label"));
        Assert.NotNull(window.Document.QuerySelector("label[for=message-body]"));
        // A link to the page itself (plus a changing query, so following it reloads rather than only scrolling).
        var check = new Uri(new Uri("http://localhost"), window.Document.QuerySelector("a.check-link")!.GetAttribute("href"));
        Assert.Equal($"/conversations/{id}", check.AbsolutePath);
        Assert.Equal("#composer", check.Fragment);
    }

    [Fact]
    public async Task Sending_with_htmx_answers_the_new_message_and_a_fresh_client_message_id()
    {
        using var ann = await app.NewPersonAsync("Ann");
        using var bo = await app.NewPersonAsync("Bo");
        var id = await ann.StartConversationAsync(null, bo);
        var window = await ann.OpenAsync(id);
        var (after, v) = ChatSteps.CursorOf(window.Document);
        var form = window.Document.QuerySelector("#composer")!;
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/conversations/{id}/messages")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Body"] = "Via htmx",
                ["ClientMessageId"] = form.QuerySelector("#client-message-id")!.GetAttribute("value")!,
                ["after"] = after.ToString(),
                ["v"] = v.ToString(),
            }),
        };
        request.Headers.Add("HX-Request", "true");
        request.Headers.Add("RequestVerificationToken", form.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value"));

        var response = await ann.Client.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("message-sent", response.Headers.GetValues("HX-Trigger").Single());
        var fragment = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
        Assert.Equal(["Via htmx"], ChatSteps.MessageTexts(fragment));
        Assert.NotEqual(
            form.QuerySelector("#client-message-id")!.GetAttribute("value"),
            fragment.QuerySelector("#client-message-id")!.GetAttribute("value"));
    }

    [Fact]
    public async Task A_send_showing_others_earlier_messages_marks_them_read_in_its_own_write()
    {
        using var ann = await app.NewPersonAsync("Ann Reads On Send");
        using var bo = await app.NewPersonAsync("Bo Reads On Send");
        var id = await ann.StartConversationAsync(null, bo);
        var window = await bo.OpenAsync(id);
        var db = app.Services.GetRequiredService<ChatDb>();
        var cursor = ChatSteps.CursorOf(window.Document);
        async Task<(IReadOnlyList<string> Texts, long Opens)> SendAsync(string body)
        {
            var before = db.OpenCount;
            var fragment = await bo.SendWithHtmxAsync(window, body, cursor.After, cursor.V);
            var opens = db.OpenCount - before;
            cursor = ChatSteps.CursorOf(fragment);
            return (ChatSteps.MessageTexts(fragment), opens);
        }

        await SendAsync("Warming up");
        var alone = await SendAsync("Nothing new from Ann");
        await ann.SendAsync(id, "Written while Bo typed");
        var withAnns = await SendAsync("Bo's answer");

        // The update shows Ann's message, which Bo has now read: the send's own write moved his marker past it, so
        // the update opens no second connection to move it again.
        Assert.Equal(["Nothing new from Ann"], alone.Texts);
        Assert.Equal(["Written while Bo typed", "Bo's answer"], withAnns.Texts);
        Assert.Equal(alone.Opens, withAnns.Opens);
        await using var connection = await db.OpenAsync();
        Assert.Equal(
            await connection.ExecuteScalarAsync<long>("SELECT MAX(id) FROM messages WHERE conversation_id = @id", new { id }),
            await connection.ExecuteScalarAsync<long>(
                "SELECT last_read_message_id FROM conversation_members WHERE conversation_id = @id AND user_id = @userId", new { id, userId = bo.Id }));
        var list = await bo.Client.GetAsync(ChatUrls.Conversations);
        Assert.Equal(string.Empty, list.Document.QuerySelector($"#conversation-{id} .conversation-unread")!.TextContent.Trim());
    }

    // Opens the window until nothing is left unread (each opening shows up to one window of unread messages).
    private static async Task ReadAllAsync(Participant person, long conversationId)
    {
        while ((await person.OpenAsync(conversationId)).Document.QuerySelector("a.more-unread") is not null)
        {
        }
    }
}

public sealed class ChatTestsOnSqlite(SqliteApp app) : ChatTests<SqliteApp>(app);

public sealed class ChatTestsOnMariaDb(MariaDbApp app) : ChatTests<MariaDbApp>(app);
