using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ChatMvc.Data;
using ChatMvc.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace ChatMvc.Tests.Api;

public abstract class ReactionsApiTests<TApp>(TApp app) : IClassFixture<TApp>
    where TApp : ChatAppFactory
{
    [Fact]
    public async Task Adding_a_reaction_answers_the_message_with_its_count_and_mine_for_the_caller_only()
    {
        using var ann = await app.NewApiUserAsync("Ann Reacts");
        using var bo = await app.NewApiUserAsync("Bo Reacts");
        var id = await ann.StartConversationAsync(null, bo.Id);
        var messageId = (await ann.SendAsync(id, "Ship it?")).GetProperty("id").GetInt64();

        var added = await (await bo.Http.PostAsJsonAsync(Url(id, messageId), new { emoji = " 👍 " })).JsonAsync(HttpStatusCode.OK);
        var again = await (await bo.Http.PostAsJsonAsync(Url(id, messageId), new { emoji = "👍" })).JsonAsync(HttpStatusCode.OK);
        var seenByAnn = await (await ann.Http.GetAsync($"/api/v1/conversations/{id}/messages")).JsonAsync(HttpStatusCode.OK);

        Assert.Equal([("👍", 1, true)], Reactions(added));
        Assert.Equal([("👍", 1, true)], Reactions(again));
        Assert.Equal([("👍", 1, false)], Reactions(seenByAnn.GetProperty("items")[0]));
    }

    [Fact]
    public async Task Deleting_a_reaction_takes_it_away_and_deleting_it_again_changes_nothing()
    {
        using var ann = await app.NewApiUserAsync("Ann Unreacts");
        using var bo = await app.NewApiUserAsync("Bo Unreacts");
        var id = await ann.StartConversationAsync(null, bo.Id);
        var messageId = (await ann.SendAsync(id, "Lunch?")).GetProperty("id").GetInt64();
        await (await ann.Http.PostAsJsonAsync(Url(id, messageId), new { emoji = "🎉" })).JsonAsync(HttpStatusCode.OK);
        await (await bo.Http.PostAsJsonAsync(Url(id, messageId), new { emoji = "🎉" })).JsonAsync(HttpStatusCode.OK);

        var removed = await (await bo.Http.SendJsonAsync(HttpMethod.Delete, Url(id, messageId), new { emoji = "🎉" })).JsonAsync(HttpStatusCode.OK);
        var removedAgain = await (await bo.Http.SendJsonAsync(HttpMethod.Delete, Url(id, messageId), new { emoji = "🎉" })).JsonAsync(HttpStatusCode.OK);

        Assert.Equal([("🎉", 1, false)], Reactions(removed));
        Assert.Equal([("🎉", 1, false)], Reactions(removedAgain));
    }

    [Fact]
    public async Task The_same_word_typed_in_two_unicode_forms_counts_once_and_different_emoji_stay_apart()
    {
        using var ann = await app.NewApiUserAsync("Ann Forms");
        using var bo = await app.NewApiUserAsync("Bo Forms");
        var id = await ann.StartConversationAsync(null, bo.Id);
        var messageId = (await ann.SendAsync(id, "Coffee?")).GetProperty("id").GetInt64();

        await (await ann.Http.PostAsJsonAsync(Url(id, messageId), new { emoji = "caf\u00e9" })).JsonAsync(HttpStatusCode.OK);
        await (await bo.Http.PostAsJsonAsync(Url(id, messageId), new { emoji = "cafe\u0301" })).JsonAsync(HttpStatusCode.OK);
        await (await bo.Http.PostAsJsonAsync(Url(id, messageId), new { emoji = "😀" })).JsonAsync(HttpStatusCode.OK);
        var last = await (await bo.Http.PostAsJsonAsync(Url(id, messageId), new { emoji = "😃" })).JsonAsync(HttpStatusCode.OK);

        Assert.Equal([("caf\u00e9", 2, true), ("😀", 1, true), ("😃", 1, true)], Reactions(last));
    }

    [Theory]
    [InlineData("", "Choose an emoji")]
    [InlineData("   ", "Choose an emoji")]
    [InlineData("seventeen letters", "at most 16 characters")]
    [InlineData("ok\u0007", "control characters")]
    [InlineData("ok\u202Eko", "direction")]
    public async Task A_reaction_that_is_empty_too_long_or_not_plain_text_is_refused_naming_emoji(string emoji, string expected)
    {
        using var ann = await app.NewApiUserAsync("Ann Refused");
        using var bo = await app.NewApiUserAsync("Bo Refused");
        var id = await ann.StartConversationAsync(null, bo.Id);
        var messageId = (await ann.SendAsync(id, "React to me")).GetProperty("id").GetInt64();

        var errors = await (await bo.Http.PostAsJsonAsync(Url(id, messageId), new { emoji })).ValidationErrorsAsync();

        Assert.Contains(expected, Assert.Single(errors["emoji"]));
        Assert.Equal(0, await CountReactionsAsync(messageId));
    }

    [Fact]
    public async Task Sixteen_characters_as_a_reader_counts_them_are_taken_even_when_each_emoji_is_several_code_units()
    {
        using var ann = await app.NewApiUserAsync("Ann Long");
        using var bo = await app.NewApiUserAsync("Bo Long");
        var id = await ann.StartConversationAsync(null, bo.Id);
        var messageId = (await ann.SendAsync(id, "Family?")).GetProperty("id").GetInt64();
        var family = "👨‍👩‍👧‍👦";

        var added = await (await bo.Http.PostAsJsonAsync(Url(id, messageId), new { emoji = family })).JsonAsync(HttpStatusCode.OK);
        var word = await (await bo.Http.PostAsJsonAsync(Url(id, messageId), new { emoji = "sixteen letters!" })).JsonAsync(HttpStatusCode.OK);

        Assert.Equal([(family, 1, true), ("sixteen letters!", 1, true)], Reactions(word));
        Assert.Single(Reactions(added));
    }

    [Fact]
    public async Task One_person_can_add_at_most_twenty_reactions_to_one_message()
    {
        using var ann = await app.NewApiUserAsync("Ann Many");
        using var bo = await app.NewApiUserAsync("Bo Many");
        var id = await ann.StartConversationAsync(null, bo.Id);
        var messageId = (await ann.SendAsync(id, "Pile on")).GetProperty("id").GetInt64();
        for (var i = 0; i < ReactionQueries.MaxPerPersonAndMessage; i++)
        {
            await (await bo.Http.PostAsJsonAsync(Url(id, messageId), new { emoji = $"w{i}" })).JsonAsync(HttpStatusCode.OK);
        }

        var errors = await (await bo.Http.PostAsJsonAsync(Url(id, messageId), new { emoji = "one more" })).ValidationErrorsAsync();

        Assert.Contains("at most 20 reactions", Assert.Single(errors["emoji"]));
        Assert.Equal(ReactionQueries.MaxPerPersonAndMessage, await CountReactionsAsync(messageId));
    }

    [Fact]
    public async Task A_non_member_gets_404_for_adding_and_removing_and_nothing_is_stored()
    {
        using var ann = await app.NewApiUserAsync("Ann Private");
        using var bo = await app.NewApiUserAsync("Bo Private");
        using var eve = await app.NewApiUserAsync("Eve Outside");
        var id = await ann.StartConversationAsync(null, bo.Id);
        var messageId = (await ann.SendAsync(id, "Only for Bo")).GetProperty("id").GetInt64();
        await (await bo.Http.PostAsJsonAsync(Url(id, messageId), new { emoji = "👀" })).JsonAsync(HttpStatusCode.OK);

        await (await eve.Http.PostAsJsonAsync(Url(id, messageId), new { emoji = "👍" })).ProblemAsync(HttpStatusCode.NotFound);
        await (await eve.Http.SendJsonAsync(HttpMethod.Delete, Url(id, messageId), new { emoji = "👀" })).ProblemAsync(HttpStatusCode.NotFound);

        Assert.Equal(1, await CountReactionsAsync(messageId));
    }

    [Fact]
    public async Task A_message_of_another_conversation_or_a_deleted_one_takes_no_reaction()
    {
        using var ann = await app.NewApiUserAsync("Ann Elsewhere");
        using var bo = await app.NewApiUserAsync("Bo Elsewhere");
        using var cy = await app.NewApiUserAsync("Cy Elsewhere");
        var withBo = await ann.StartConversationAsync(null, bo.Id);
        var withCy = await ann.StartConversationAsync(null, cy.Id);
        var toCy = (await ann.SendAsync(withCy, "For Cy")).GetProperty("id").GetInt64();
        var deleted = (await ann.SendAsync(withBo, "Gone soon")).GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.NoContent, (await ann.Http.DeleteAsync($"/api/v1/conversations/{withBo}/messages/{deleted}")).StatusCode);

        await (await bo.Http.PostAsJsonAsync(Url(withBo, toCy), new { emoji = "👍" })).ProblemAsync(HttpStatusCode.NotFound);
        await (await bo.Http.PostAsJsonAsync(Url(withBo, deleted), new { emoji = "👍" })).ProblemAsync(HttpStatusCode.NotFound);

        Assert.Equal(0, await CountReactionsAsync(toCy));
        Assert.Equal(0, await CountReactionsAsync(deleted));
    }

    [Fact]
    public async Task A_reaction_comes_to_the_other_member_as_a_changed_message_since_their_version()
    {
        using var ann = await app.NewApiUserAsync("Ann Version");
        using var bo = await app.NewApiUserAsync("Bo Version");
        var id = await ann.StartConversationAsync(null, bo.Id);
        var messageId = (await ann.SendAsync(id, "Seen?")).GetProperty("id").GetInt64();
        var first = await (await ann.Http.GetAsync($"/api/v1/conversations/{id}/messages")).JsonAsync(HttpStatusCode.OK);
        var newer = first.GetProperty("paging").GetProperty("newer").GetInt64();
        var version = first.GetProperty("paging").GetProperty("version").GetInt64();

        await (await bo.Http.PostAsJsonAsync(Url(id, messageId), new { emoji = "👀" })).JsonAsync(HttpStatusCode.OK);
        var since = await (await ann.Http.GetAsync($"/api/v1/conversations/{id}/messages?after={newer}&version={version}")).JsonAsync(HttpStatusCode.OK);

        var changed = Assert.Single(since.GetProperty("changed").EnumerateArray());
        Assert.Equal(messageId, changed.GetProperty("id").GetInt64());
        Assert.Equal([("👀", 1, false)], Reactions(changed));
        Assert.Empty(since.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task A_reply_carries_the_original_s_id_sender_and_excerpt()
    {
        using var ann = await app.NewApiUserAsync("Ann Original");
        using var bo = await app.NewApiUserAsync("Bo Replier");
        var id = await ann.StartConversationAsync(null, bo.Id);
        var original = (await ann.SendAsync(id, "Lunch at noon?\nOr one?")).GetProperty("id").GetInt64();

        var reply = await (await bo.Http.PostAsJsonAsync($"/api/v1/conversations/{id}/messages", new { body = "Noon works", replyToId = original }))
            .JsonAsync(HttpStatusCode.Created);
        var listed = await (await ann.Http.GetAsync($"/api/v1/conversations/{id}/messages")).JsonAsync(HttpStatusCode.OK);

        foreach (var message in new[] { reply, listed.GetProperty("items")[1] })
        {
            var replyTo = message.GetProperty("replyTo");
            Assert.Equal(original, replyTo.GetProperty("id").GetInt64());
            Assert.Equal("Ann Original", replyTo.GetProperty("senderName").GetString());
            Assert.Equal("Lunch at noon? Or one?", replyTo.GetProperty("excerpt").GetString());
        }

        Assert.Equal(JsonValueKind.Null, listed.GetProperty("items")[0].GetProperty("replyTo").ValueKind);
    }

    [Fact]
    public async Task The_excerpt_of_a_deleted_original_says_it_was_deleted()
    {
        using var ann = await app.NewApiUserAsync("Ann Regrets");
        using var bo = await app.NewApiUserAsync("Bo Quotes");
        var id = await ann.StartConversationAsync(null, bo.Id);
        var original = (await ann.SendAsync(id, "A plan I take back")).GetProperty("id").GetInt64();
        await (await bo.Http.PostAsJsonAsync($"/api/v1/conversations/{id}/messages", new { body = "Really?", replyToId = original }))
            .JsonAsync(HttpStatusCode.Created);

        Assert.Equal(HttpStatusCode.NoContent, (await ann.Http.DeleteAsync($"/api/v1/conversations/{id}/messages/{original}")).StatusCode);
        var listed = await (await bo.Http.GetAsync($"/api/v1/conversations/{id}/messages")).JsonAsync(HttpStatusCode.OK);

        var replyTo = listed.GetProperty("items")[1].GetProperty("replyTo");
        Assert.Equal("This message was deleted.", replyTo.GetProperty("excerpt").GetString());
        Assert.DoesNotContain("take back", listed.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_reply_to_a_message_of_another_conversation_or_to_none_is_refused_naming_reply_to_id()
    {
        using var ann = await app.NewApiUserAsync("Ann Crosses");
        using var bo = await app.NewApiUserAsync("Bo Crosses");
        using var cy = await app.NewApiUserAsync("Cy Crosses");
        var withBo = await ann.StartConversationAsync(null, bo.Id);
        var withCy = await ann.StartConversationAsync(null, cy.Id);
        var secret = (await ann.SendAsync(withCy, "For Cy only")).GetProperty("id").GetInt64();

        var foreign = await (await bo.Http.PostAsJsonAsync($"/api/v1/conversations/{withBo}/messages", new { body = "Peek", replyToId = secret }))
            .ValidationErrorsAsync();
        var missing = await (await bo.Http.PostAsJsonAsync($"/api/v1/conversations/{withBo}/messages", new { body = "Nothing", replyToId = 999_999_999 }))
            .ValidationErrorsAsync();

        Assert.Contains("reply to", Assert.Single(foreign["replyToId"]), StringComparison.OrdinalIgnoreCase);
        Assert.Single(missing["replyToId"]);
        Assert.Equal(0, await app.CountMessagesAsync(withBo));
    }

    private static string Url(long conversationId, long messageId) => $"/api/v1/conversations/{conversationId}/messages/{messageId}/reactions";

    private static List<(string Emoji, int Count, bool Mine)> Reactions(JsonElement message) =>
        message.GetProperty("reactions").EnumerateArray()
            .Select(r => (r.GetProperty("emoji").GetString()!, r.GetProperty("count").GetInt32(), r.GetProperty("mine").GetBoolean()))
            .ToList();

    private async Task<long> CountReactionsAsync(long messageId)
    {
        await using var connection = await app.Services.GetRequiredService<ChatDb>().OpenAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM message_reactions WHERE message_id = @messageId", new { messageId });
    }
}

public sealed class ReactionsApiTestsOnSqlite(SqliteApp app) : ReactionsApiTests<SqliteApp>(app);

public sealed class ReactionsApiTestsOnMariaDb(MariaDbApp app) : ReactionsApiTests<MariaDbApp>(app);
