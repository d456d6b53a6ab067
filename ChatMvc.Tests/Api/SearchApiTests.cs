using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ChatMvc.Chat;
using ChatMvc.Data;
using ChatMvc.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace ChatMvc.Tests.Api;

public abstract class SearchApiTests<TApp>(TApp app) : IClassFixture<TApp>
    where TApp : ChatAppFactory
{
    private static async Task<JsonElement> FindAsync(ApiUser user, string query) =>
        await (await user.Http.GetAsync("/api/v1/search?" + query)).JsonAsync(HttpStatusCode.OK);

    private static IReadOnlyList<string?> Bodies(JsonElement page) =>
        page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("message").GetProperty("body").GetString()).ToList();

    [Fact]
    public async Task Search_answers_the_messages_with_their_conversation_newest_first()
    {
        using var ann = await app.NewApiUserAsync("Ann Api Search");
        using var bo = await app.NewApiUserAsync("Bo Api Search");
        var id = await ann.StartConversationAsync("Orchard", bo.Id);
        var first = await ann.SendAsync(id, "the apricot harvest");
        await ann.SendAsync(id, "nothing to see");
        var second = await ann.SendAsync(id, "apricot jam later");

        var page = await FindAsync(bo, "q=apricot");

        var items = page.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal([second.GetProperty("id").GetInt64(), first.GetProperty("id").GetInt64()], items.Select(i => i.GetProperty("message").GetProperty("id").GetInt64()).ToList());
        Assert.All(items, i => Assert.Equal(id, i.GetProperty("conversationId").GetInt64()));
        Assert.All(items, i => Assert.Equal("Orchard", i.GetProperty("conversationTitle").GetString()));
        Assert.Equal("Ann Api Search", items[0].GetProperty("message").GetProperty("sender").GetProperty("displayName").GetString());
        Assert.Equal(MessageSearch.DefaultLimit, page.GetProperty("paging").GetProperty("limit").GetInt32());
        Assert.Equal(JsonValueKind.Null, page.GetProperty("paging").GetProperty("next").ValueKind);
    }

    [Fact]
    public async Task The_cursor_pages_through_older_results()
    {
        using var ann = await app.NewApiUserAsync("Ann Api Pager");
        using var bo = await app.NewApiUserAsync("Bo Api Pager");
        var id = await ann.StartConversationAsync(null, bo.Id);
        foreach (var n in new[] { "one", "two", "three" })
        {
            await ann.SendAsync(id, $"quince {n}");
        }

        var first = await FindAsync(bo, "q=quince&limit=2");
        var next = first.GetProperty("paging").GetProperty("next").GetInt64();
        var second = await FindAsync(bo, $"q=quince&limit=2&cursor={next}");

        Assert.Equal(["quince three", "quince two"], Bodies(first));
        Assert.Equal(["quince one"], Bodies(second));
        Assert.Equal(JsonValueKind.Null, second.GetProperty("paging").GetProperty("next").ValueKind);
    }

    [Fact]
    public async Task A_non_member_never_finds_a_conversations_words_and_naming_it_is_404()
    {
        using var ann = await app.NewApiUserAsync("Ann Api Private");
        using var bo = await app.NewApiUserAsync("Bo Api Private");
        using var cy = await app.NewApiUserAsync("Cy Api Outsider");
        var id = await ann.StartConversationAsync(null, bo.Id);
        await ann.SendAsync(id, "the safe code is persimmon");

        Assert.Empty(Bodies(await FindAsync(cy, "q=persimmon")));
        await (await cy.Http.GetAsync($"/api/v1/search?q=persimmon&conversationId={id}")).ProblemAsync(HttpStatusCode.NotFound);
        await (await cy.Http.GetAsync("/api/v1/search?q=persimmon&conversationId=999999999")).ProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(["the safe code is persimmon"], Bodies(await FindAsync(bo, $"q=persimmon&conversationId={id}")));
    }

    [Fact]
    public async Task Deleted_messages_and_words_an_edit_removed_are_not_found()
    {
        using var ann = await app.NewApiUserAsync("Ann Api Delete");
        using var bo = await app.NewApiUserAsync("Bo Api Delete");
        var id = await ann.StartConversationAsync(null, bo.Id);
        var deleted = (await ann.SendAsync(id, "the mango delivery")).GetProperty("id").GetInt64();
        var edited = (await ann.SendAsync(id, "the papaya delivery")).GetProperty("id").GetInt64();

        Assert.Equal(HttpStatusCode.NoContent, (await ann.Http.DeleteAsync($"/api/v1/conversations/{id}/messages/{deleted}")).StatusCode);
        using var edit = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/conversations/{id}/messages/{edited}") { Content = JsonContent.Create(new { body = "the guava delivery" }) };
        await (await ann.Http.SendAsync(edit)).JsonAsync(HttpStatusCode.OK);

        Assert.Empty(Bodies(await FindAsync(bo, "q=mango")));
        Assert.Empty(Bodies(await FindAsync(bo, "q=papaya")));
        Assert.Equal(["the guava delivery"], Bodies(await FindAsync(bo, "q=delivery")));
    }

    [Fact]
    public async Task From_and_time_parameters_narrow_the_results()
    {
        using var ann = await app.NewApiUserAsync("Ann Api Filter");
        using var bo = await app.NewApiUserAsync("Bo Api Filter");
        var id = await ann.StartConversationAsync(null, bo.Id);
        await ann.SendAsync(id, "kumquat from ann");
        await bo.SendAsync(id, "kumquat from bo");
        var tomorrow = DateTime.UtcNow.AddDays(1).ToString("yyyy-MM-dd");
        var anHourAgo = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(-1).ToString("O"));

        Assert.Equal(["kumquat from ann"], Bodies(await FindAsync(bo, $"q=kumquat&from={ann.Id}")));
        Assert.Equal(["kumquat from bo"], Bodies(await FindAsync(bo, "q=kumquat+from:me")));
        Assert.Equal(2, Bodies(await FindAsync(bo, $"q=kumquat&before={tomorrow}&after={anHourAgo}")).Count);
        Assert.Empty(Bodies(await FindAsync(bo, $"q=kumquat&after={tomorrow}")));
    }

    [Theory]
    [InlineData("q=", "q")]
    [InlineData("", "q")]
    [InlineData("q=%22+*+-+%2B", "q")]
    [InlineData("q=plum&limit=0", "limit")]
    [InlineData("q=plum&limit=101", "limit")]
    [InlineData("q=plum&before=soon", "before")]
    [InlineData("q=plum+after:2026-02-30", "after")]
    [InlineData("q=plum&limit=many", "limit")]
    [InlineData("q=plum&cursor=abc", "cursor")]
    public async Task A_search_that_cannot_run_is_a_400_naming_the_field(string query, string field)
    {
        using var bo = await app.NewApiUserAsync("Bo Api Bad");

        var errors = await (await bo.Http.GetAsync("/api/v1/search?" + query)).ValidationErrorsAsync();

        Assert.Contains(errors.Keys, key => key.Equals(field, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A_query_of_a_thousand_characters_is_a_400_naming_the_limit()
    {
        using var bo = await app.NewApiUserAsync("Bo Api Long");

        var problem = await (await bo.Http.GetAsync("/api/v1/search?q=" + new string('a', 1000))).ProblemAsync(HttpStatusCode.BadRequest);

        Assert.Contains($"at most {SearchQuery.MaxLength} characters", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("\"fig")]
    [InlineData("fig*")]
    [InlineData("NEAR(fig")]
    [InlineData("-fig")]
    [InlineData("+fig")]
    [InlineData("@fig")]
    [InlineData("fig\"\"")]
    [InlineData("fig )")]
    public async Task Search_syntax_is_taken_as_plain_words(string q)
    {
        using var ann = await app.NewApiUserAsync("Ann Api Syntax");
        using var bo = await app.NewApiUserAsync("Bo Api Syntax");
        var id = await ann.StartConversationAsync(null, bo.Id);
        await ann.SendAsync(id, "a fig near fig trees");

        Assert.Equal(["a fig near fig trees"], Bodies(await FindAsync(bo, "q=" + Uri.EscapeDataString(q))));
    }

    [Fact]
    public async Task Several_words_find_only_messages_with_all_of_them_newest_first_whatever_their_order()
    {
        using var ann = await app.NewApiUserAsync("Ann Api Words");
        using var bo = await app.NewApiUserAsync("Bo Api Words");
        var id = await ann.StartConversationAsync(null, bo.Id);
        for (var i = 1; i <= 6; i++)
        {
            await ann.SendAsync(id, i % 2 == 0 ? $"tamarind chutney {i}" : $"tamarind alone {i}");
        }

        var pair = await FindAsync(bo, "q=chutney+TAMARIND&limit=2");
        var older = await FindAsync(bo, $"q=tamarind+chutney&limit=2&cursor={pair.GetProperty("paging").GetProperty("next").GetInt64()}");

        Assert.Equal(["tamarind chutney 6", "tamarind chutney 4"], Bodies(pair));
        Assert.Equal(["tamarind chutney 2"], Bodies(older));
        Assert.Equal(6, Bodies(await FindAsync(bo, "q=tamarind")).Count);
        Assert.Empty(Bodies(await FindAsync(bo, "q=tamarind+chutney+nowhere")));
    }

    [Fact]
    public async Task Case_and_accents_are_ignored_and_a_long_word_is_found_whole()
    {
        using var ann = await app.NewApiUserAsync("Ann Api Accents");
        using var bo = await app.NewApiUserAsync("Bo Api Accents");
        var id = await ann.StartConversationAsync(null, bo.Id);
        var token = "q" + new string('7', 45);
        await ann.SendAsync(id, $"Crème brûlée, token {token}");

        Assert.Equal([$"Crème brûlée, token {token}"], Bodies(await FindAsync(bo, "q=CREME+brulee")));
        Assert.Equal([$"Crème brûlée, token {token}"], Bodies(await FindAsync(bo, "q=" + token)));
    }

    [Fact]
    public async Task A_word_in_several_conversations_is_found_only_in_the_searchers_own()
    {
        using var ann = await app.NewApiUserAsync("Ann Api Shared Word");
        using var bo = await app.NewApiUserAsync("Bo Api Shared Word");
        using var cy = await app.NewApiUserAsync("Cy Api Shared Word");
        var secret = await ann.StartConversationAsync("Secret loquats", bo.Id);
        var open = await ann.StartConversationAsync("Open loquats", cy.Id);
        await ann.SendAsync(open, "loquat season opens");
        for (var i = 0; i < 3; i++)
        {
            await ann.SendAsync(secret, $"loquat secret {i}");
        }

        var outsider = await FindAsync(cy, "q=loquat");
        var byCursor = await FindAsync(cy, "q=loquat+season&cursor=999999999999");

        Assert.Equal(["loquat season opens"], Bodies(outsider));
        Assert.Equal(["loquat season opens"], Bodies(byCursor));
        Assert.All(outsider.GetProperty("items").EnumerateArray(), i => Assert.Equal(open, i.GetProperty("conversationId").GetInt64()));
        Assert.Equal(4, Bodies(await FindAsync(ann, "q=loquat")).Count);
        Assert.Empty(Bodies(await FindAsync(cy, "q=loquat+secret")));
    }

    [Fact]
    public async Task An_edit_replaces_the_words_kept_for_the_message_and_a_delete_removes_them_all()
    {
        using var ann = await app.NewApiUserAsync("Ann Api Upkeep");
        using var bo = await app.NewApiUserAsync("Bo Api Upkeep");
        var id = await ann.StartConversationAsync(null, bo.Id);
        var messageId = (await ann.SendAsync(id, "rambutan and lychee crate")).GetProperty("id").GetInt64();

        using var edit = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/conversations/{id}/messages/{messageId}") { Content = JsonContent.Create(new { body = "rambutan and longan crate" }) };
        await (await ann.Http.SendAsync(edit)).JsonAsync(HttpStatusCode.OK);

        Assert.Empty(Bodies(await FindAsync(bo, "q=lychee")));
        Assert.Empty(Bodies(await FindAsync(bo, "q=rambutan+lychee")));
        Assert.Equal(["rambutan and longan crate"], Bodies(await FindAsync(bo, "q=longan+rambutan")));
        if (app.Engine == Engine.MariaDb)
        {
            Assert.Equal(["and", "crate", "longan", "rambutan"], await IndexedWordsAsync(messageId));
        }

        Assert.Equal(HttpStatusCode.NoContent, (await ann.Http.DeleteAsync($"/api/v1/conversations/{id}/messages/{messageId}")).StatusCode);

        Assert.Empty(Bodies(await FindAsync(bo, "q=rambutan")));
        Assert.Empty(Bodies(await FindAsync(bo, "q=longan")));
        if (app.Engine == Engine.MariaDb)
        {
            Assert.Empty(await IndexedWordsAsync(messageId));
        }
    }

    // A message stored without the app (from before the word index, a restore, a bulk load) is indexed when the app
    // next starts: the start runs the migrations and, after them, indexes what the write path did not.
    [Fact]
    public async Task A_message_stored_without_the_app_is_found_after_the_next_start()
    {
        using var ann = await app.NewApiUserAsync("Ann Api Restore");
        using var bo = await app.NewApiUserAsync("Bo Api Restore");
        var id = await ann.StartConversationAsync(null, bo.Id);
        await ann.SendAsync(id, "sapodilla sent through the app");
        await using (var connection = await app.Services.GetRequiredService<ChatDb>().OpenAsync())
        {
            await connection.ExecuteAsync(
                """
                INSERT INTO messages (conversation_id, sender_id, kind, body, created_at) VALUES (@id, @sender, 'text', 'sapodilla restored from a dump', 1);
                INSERT INTO messages (conversation_id, sender_id, kind, body, created_at, deleted_at) VALUES (@id, @sender, 'text', NULL, 2, 3);
                INSERT INTO messages (conversation_id, sender_id, kind, body, created_at) VALUES (@id, NULL, 'system', 'sapodilla joined', 4);
                """,
                new { id, sender = ann.Id });
        }

        await app.Services.GetRequiredService<Migrator>().MigrateAsync();

        Assert.Equal(["sapodilla restored from a dump", "sapodilla sent through the app"], Bodies(await FindAsync(bo, "q=sapodilla")));
        Assert.Equal(["sapodilla restored from a dump"], Bodies(await FindAsync(bo, "q=sapodilla+dump")));
    }

    private async Task<List<string>> IndexedWordsAsync(long messageId)
    {
        await using var connection = await app.Services.GetRequiredService<ChatDb>().OpenAsync();
        return (await connection.QueryAsync<string>("SELECT word FROM message_words WHERE message_id = @messageId ORDER BY word", new { messageId })).ToList();
    }

    [Fact]
    public async Task Search_needs_a_signed_in_caller()
    {
        await (await app.NewApiClient().GetAsync("/api/v1/search?q=fig")).ProblemAsync(HttpStatusCode.Unauthorized);
    }
}

public sealed class SearchApiTestsOnSqlite(SqliteApp app) : SearchApiTests<SqliteApp>(app);

public sealed class SearchApiTestsOnMariaDb(MariaDbApp app) : SearchApiTests<MariaDbApp>(app);
