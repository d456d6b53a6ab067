using System.Net;
using AngleSharp.Dom;
using ChatMvc.Chat;
using ChatMvc.Data;
using ChatMvc.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace ChatMvc.Tests.Chat;

// The search page as a person without JavaScript uses it: a GET form, results as links into the conversation.
public abstract class SearchTests<TApp>(TApp app) : IClassFixture<TApp>
    where TApp : ChatAppFactory
{
    private static IReadOnlyList<IElement> Hits(Page page) => page.Document.QuerySelectorAll("li.search-hit").ToList();

    private static IReadOnlyList<string> HitTexts(Page page) =>
        Hits(page).Select(h => h.QuerySelector(".search-hit-body")!.TextContent.Trim()).ToList();

    private static Task<Page> SearchAsync(Participant person, string q) => person.Client.GetAsync(SearchUrls.Search + "?q=" + Uri.EscapeDataString(q));

    private async Task<long> LastMessageIdAsync(long conversationId)
    {
        await using var connection = await app.Services.GetRequiredService<ChatDb>().OpenAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT MAX(id) FROM messages WHERE conversation_id = @conversationId", new { conversationId });
    }

    [Fact]
    public async Task A_word_finds_the_message_with_its_sender_conversation_time_and_the_word_marked()
    {
        using var ann = await app.NewPersonAsync("Ann Finder");
        using var bo = await app.NewPersonAsync("Bo Finder");
        var id = await ann.StartConversationAsync("Budget planning", bo);
        await ann.SendAsync(id, "The quarterly budget review is on Friday");
        await ann.SendAsync(id, "Something else entirely");
        var messageId = await LastMessageIdAsync(id) - 1;

        var page = await SearchAsync(bo, "BUDGET");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        var hit = Assert.Single(Hits(page));
        Assert.Equal("The quarterly budget review is on Friday", hit.QuerySelector(".search-hit-body")!.TextContent.Trim());
        Assert.Equal(["budget"], hit.QuerySelectorAll("mark").Select(m => m.TextContent).ToList());
        var link = hit.QuerySelector(".search-hit-meta a")!;
        Assert.Equal(ChatUrls.MessageAt(id, messageId), link.GetAttribute("href"));
        Assert.Contains("Ann Finder", link.TextContent);
        Assert.Contains("Budget planning", link.TextContent);
        Assert.NotNull(link.QuerySelector("time[datetime]"));
    }

    [Fact]
    public async Task Text_people_typed_is_encoded_inside_the_marks()
    {
        using var ann = await app.NewPersonAsync("Ann Markup");
        using var bo = await app.NewPersonAsync("Bo Markup");
        var id = await ann.StartConversationAsync(null, bo);
        await ann.SendAsync(id, "<b>tangerine</b> & <script>alert(1)</script>");

        var page = await SearchAsync(bo, "tangerine");

        var hit = Assert.Single(Hits(page));
        Assert.Equal("<b>tangerine</b> & <script>alert(1)</script>", hit.QuerySelector(".search-hit-body")!.TextContent.Trim());
        Assert.Empty(hit.QuerySelectorAll(".search-hit-body b, .search-hit-body script"));
        Assert.Equal(["tangerine"], hit.QuerySelectorAll("mark").Select(m => m.TextContent).ToList());
    }

    // Porter stemming on SQLite; InnoDB FULLTEXT has no stemmer, so on MariaDB a word finds only itself.
    [Fact]
    public async Task Another_form_of_a_word_is_found_with_porter_stemming_on_sqlite_and_only_the_same_word_on_mariadb()
    {
        using var ann = await app.NewPersonAsync("Ann Stem");
        using var bo = await app.NewPersonAsync("Bo Stem");
        var id = await ann.StartConversationAsync(null, bo);
        await ann.SendAsync(id, "We keep rescheduling meetings");

        var page = await SearchAsync(bo, "meeting rescheduled");
        var same = await SearchAsync(bo, "meetings rescheduling");

        Assert.Single(Hits(same));
        if (app.Engine == Engine.Sqlite)
        {
            var hit = Assert.Single(Hits(page));
            Assert.Equal(["rescheduling", "meetings"], hit.QuerySelectorAll("mark").Select(m => m.TextContent).ToList());
        }
        else
        {
            Assert.Empty(Hits(page));
        }
    }

    [Fact]
    public async Task A_non_member_never_finds_the_words_of_a_conversation_they_are_not_in()
    {
        using var ann = await app.NewPersonAsync("Ann Private");
        using var bo = await app.NewPersonAsync("Bo Private");
        using var cy = await app.NewPersonAsync("Cy Outsider");
        var secret = await ann.StartConversationAsync("Secret plans", bo);
        var shared = await ann.StartConversationAsync("Shared plans", cy);
        await ann.SendAsync(secret, "The password is marmalade");
        await ann.SendAsync(shared, "Nothing about preserves here");

        var outsider = await SearchAsync(cy, "marmalade");
        var byTitle = await SearchAsync(cy, "marmalade in:\"Secret plans\"");
        var byId = await cy.Client.GetAsync($"{SearchUrls.Search}?q=marmalade&conversationId={secret}");
        var member = await SearchAsync(bo, "marmalade");

        Assert.Equal(HttpStatusCode.OK, outsider.Status);
        Assert.Empty(Hits(outsider));
        Assert.Equal(HttpStatusCode.BadRequest, byTitle.Status);
        Assert.Contains("None of your conversations is called", byTitle.MainText);
        Assert.Equal(HttpStatusCode.NotFound, byId.Status);
        Assert.Single(Hits(member));
    }

    [Fact]
    public async Task A_deleted_message_is_never_found_and_an_edit_replaces_the_words_found()
    {
        using var ann = await app.NewPersonAsync("Ann Deleter");
        using var bo = await app.NewPersonAsync("Bo Deleter");
        var id = await ann.StartConversationAsync(null, bo);
        await ann.SendAsync(id, "Remember the pineapple order");
        var deleted = await LastMessageIdAsync(id);
        await ann.SendAsync(id, "Bring the walnut cake");
        var edited = await LastMessageIdAsync(id);
        Assert.Single(Hits(await SearchAsync(bo, "pineapple")));

        await ann.DeleteMessageAsync(id, deleted);
        await ann.SubmitOnAsync(ChatUrls.EditMessage(id, edited), "main form", new() { ["body"] = "Bring the almond cake" });

        Assert.Empty(Hits(await SearchAsync(bo, "pineapple")));
        Assert.Empty(Hits(await SearchAsync(bo, "order")));
        Assert.Empty(Hits(await SearchAsync(bo, "walnut")));
        Assert.Equal(["Bring the almond cake"], HitTexts(await SearchAsync(bo, "almond")));
    }

    [Fact]
    public async Task Results_come_newest_first_a_page_at_a_time_with_a_link_to_older_results()
    {
        using var ann = await app.NewPersonAsync("Ann Pager");
        using var bo = await app.NewPersonAsync("Bo Pager");
        var id = await ann.StartConversationAsync(null, bo);
        for (var i = 1; i <= MessageSearch.DefaultLimit + 3; i++)
        {
            await ann.SendAsync(id, $"sprocket number {i}");
        }

        var first = await SearchAsync(bo, "sprocket");
        var older = await bo.Client.GetAsync(first.Document.QuerySelector("#search-older")!.GetAttribute("href")!);

        Assert.Equal(Enumerable.Range(4, MessageSearch.DefaultLimit).Reverse().Select(i => $"sprocket number {i}").ToList(), HitTexts(first));
        Assert.Equal(["sprocket number 3", "sprocket number 2", "sprocket number 1"], HitTexts(older));
        Assert.Null(older.Document.QuerySelector("#search-older"));
    }

    [Fact]
    public async Task Filters_typed_in_the_query_or_chosen_in_the_form_narrow_the_results()
    {
        using var ann = await app.NewPersonAsync("Ann Filter");
        using var bo = await app.NewPersonAsync("Bo Filter");
        using var cy = await app.NewPersonAsync("Cy Filter");
        var group = await ann.StartConversationAsync("Harbour crew", bo, cy);
        var direct = await ann.StartConversationAsync(null, bo);
        await ann.SendAsync(group, "lighthouse from ann in the group");
        await bo.SendAsync(group, "lighthouse from bo in the group");
        await ann.SendAsync(direct, "lighthouse from ann directly");
        var old = await LastMessageIdAsync(direct);
        await using (var connection = await app.Services.GetRequiredService<ChatDb>().OpenAsync())
        {
            await connection.ExecuteAsync(
                "UPDATE messages SET created_at = @at WHERE id = @old",
                new { old, at = Clock.ToUnixMs(new DateTimeOffset(2025, 1, 10, 12, 0, 0, TimeSpan.Zero)) });
        }

        Assert.Equal(3, Hits(await SearchAsync(bo, "lighthouse")).Count);
        Assert.Equal(
            ["lighthouse from ann directly", "lighthouse from ann in the group"],
            HitTexts(await SearchAsync(bo, "lighthouse from:\"Ann Filter\"")));
        Assert.Equal(["lighthouse from bo in the group"], HitTexts(await SearchAsync(bo, "from:me lighthouse")));
        Assert.Equal(
            ["lighthouse from bo in the group", "lighthouse from ann in the group"],
            HitTexts(await SearchAsync(bo, "lighthouse in:harbour")));
        Assert.Equal(["lighthouse from ann directly"], HitTexts(await SearchAsync(bo, "lighthouse before:2025-01-11")));
        Assert.Empty(Hits(await SearchAsync(bo, "lighthouse before:2025-01-10")));
        Assert.Equal(2, Hits(await SearchAsync(bo, "lighthouse after:2025-01-10")).Count);
        Assert.Equal(["lighthouse from ann in the group"], HitTexts(await SearchAsync(bo, "IN:Harbour lighthouse FROM:ann")));

        var form = await bo.Client.GetAsync(SearchUrls.Search);
        var filtered = await bo.Client.SubmitAsync(
            form, new() { ["q"] = "lighthouse", ["conversationId"] = direct.ToString(), ["from"] = "Ann Filter", ["after"] = "2025-01-01" }, "form.search-form");
        Assert.Equal(["lighthouse from ann directly"], HitTexts(filtered));
    }

    [Theory]
    [InlineData("\"plum", "plum")]
    [InlineData("plum*", "plum")]
    [InlineData("NEAR(plum", "plum")]
    [InlineData("-plum", "plum")]
    [InlineData("+plum", "plum")]
    [InlineData("@plum", "plum")]
    [InlineData("plum OR nothing", "plum")]
    [InlineData("body:plum", "plum")]
    [InlineData("^plum AND", "plum")]
    public async Task Search_syntax_typed_in_the_box_is_taken_as_plain_words(string q, string marked)
    {
        using var ann = await app.NewPersonAsync("Ann Syntax");
        using var bo = await app.NewPersonAsync("Bo Syntax");
        var id = await ann.StartConversationAsync(null, bo);
        await ann.SendAsync(id, "plum OR nothing AND near plum, body: plum");
        await ann.SendAsync(id, "an unrelated damson");

        var page = await SearchAsync(bo, q);

        Assert.Equal(HttpStatusCode.OK, page.Status);
        var hit = Assert.Single(Hits(page));
        Assert.Contains(marked, string.Join(' ', hit.QuerySelectorAll("mark").Select(m => m.TextContent.ToLowerInvariant())));
    }

    [Theory]
    [InlineData("", "Type something to search for.")]
    [InlineData("   ", "Type something to search for.")]
    [InlineData("\" * - + @ ( ) ^ ~ :", "Type at least one word")]
    [InlineData("from:me in:x", "Type at least one word")]
    [InlineData("plum before:yesterday", "before: takes a date")]
    [InlineData("plum after:", "after: needs a value")]
    [InlineData("plum from:nobody-is-called-this", "No one is called")]
    public async Task A_search_that_cannot_run_gets_the_form_again_with_a_message(string q, string message)
    {
        using var bo = await app.NewPersonAsync("Bo Bad");

        var page = await bo.Client.GetAsync(SearchUrls.Search + "?q=" + Uri.EscapeDataString(q));

        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        Assert.Contains(message, page.Document.QuerySelector("#search-errors")!.TextContent);
        Assert.Equal(string.IsNullOrWhiteSpace(q) ? null : q, page.Document.QuerySelector("#search-q")!.GetAttribute("value"));
    }

    [Theory]
    [InlineData(SearchQuery.MaxLength + 1)]
    [InlineData(1000)]
    [InlineData(5000)]
    public async Task A_search_over_the_length_limit_gets_a_message_naming_the_limit(int length)
    {
        using var bo = await app.NewPersonAsync("Bo Long");

        var page = await SearchAsync(bo, string.Concat(Enumerable.Repeat("word ", length))[..length]);

        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        Assert.Contains($"at most {SearchQuery.MaxLength} characters", page.Document.QuerySelector("#search-errors")!.TextContent);
    }

    [Fact]
    public async Task The_header_has_a_search_box_that_opens_the_search_page()
    {
        using var bo = await app.NewPersonAsync("Bo Header");
        using var ann = await app.NewPersonAsync("Ann Header");
        var id = await ann.StartConversationAsync(null, bo);
        await ann.SendAsync(id, "gooseberry fool");

        var home = await bo.Client.GetAsync(ChatUrls.Conversations);
        var form = home.Document.QuerySelector("header form.site-search")!;
        Assert.Equal("get", form.GetAttribute("method"));
        Assert.Null(form.QuerySelector("input[name=__RequestVerificationToken]"));
        Assert.NotNull(home.Document.QuerySelector($"label[for={form.QuerySelector("input[name=q]")!.Id}]"));
        var results = await bo.Client.SubmitAsync(home, new() { ["q"] = "gooseberry" }, "header form.site-search");

        Assert.Equal(SearchUrls.Search, results.Path);
        Assert.Equal(["gooseberry fool"], HitTexts(results));
    }

    [Fact]
    public async Task A_result_link_opens_the_window_around_the_message_with_older_and_newer_pages()
    {
        using var ann = await app.NewPersonAsync("Ann Window");
        using var bo = await app.NewPersonAsync("Bo Window");
        var id = await ann.StartConversationAsync(null, bo);
        for (var i = 1; i <= 60; i++)
        {
            await ann.SendAsync(id, i == 30 ? "the elderflower one" : $"filler {i}");
        }

        var search = await SearchAsync(bo, "elderflower");
        var window = await bo.Client.GetAsync(Hits(search)[0].QuerySelector("a")!.GetAttribute("href")!);

        Assert.Equal(HttpStatusCode.OK, window.Status);
        var texts = ChatSteps.MessageTexts(window.Document);
        Assert.Contains("the elderflower one", texts);
        Assert.Equal("filler 11", texts[0]);
        Assert.Equal("filler 50", texts[^1]);
        var older = await bo.Client.GetAsync(window.Document.QuerySelector("#load-older")!.GetAttribute("href")!);
        Assert.Equal("filler 10", ChatSteps.MessageTexts(older.Document)[^1]);
        var newer = await bo.Client.GetAsync(window.Document.QuerySelector("#load-newer")!.GetAttribute("href")!);
        Assert.Equal(Enumerable.Range(51, 10).Select(i => $"filler {i}").ToList(), ChatSteps.MessageTexts(newer.Document));
        Assert.Null(newer.Document.QuerySelector("#load-newer"));
        Assert.NotNull(newer.Document.QuerySelector($"a[href='{ChatUrls.Conversation(id)}']"));
    }

    [Fact]
    public async Task The_window_around_a_message_is_404_for_a_non_member_and_for_a_message_of_another_conversation()
    {
        using var ann = await app.NewPersonAsync("Ann Around");
        using var bo = await app.NewPersonAsync("Bo Around");
        using var cy = await app.NewPersonAsync("Cy Around");
        var id = await ann.StartConversationAsync(null, bo);
        var other = await ann.StartConversationAsync(null, cy);
        await ann.SendAsync(id, "hello bo");
        var messageId = await LastMessageIdAsync(id);
        await ann.SendAsync(other, "hello cy");
        var otherMessageId = await LastMessageIdAsync(other);

        Assert.Equal(HttpStatusCode.OK, (await bo.Client.GetAsync(ChatUrls.MessageAt(id, messageId))).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await cy.Client.GetAsync(ChatUrls.MessageAt(id, messageId))).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await bo.Client.GetAsync(ChatUrls.MessageAt(id, otherMessageId))).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await cy.Client.GetAsync(ChatUrls.NewerHistory(id, 0))).Status);
    }
}

public sealed class SearchTestsOnSqlite(SqliteApp app) : SearchTests<SqliteApp>(app);

public sealed class SearchTestsOnMariaDb(MariaDbApp app) : SearchTests<MariaDbApp>(app);
