using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ChatMvc.Tests.Infrastructure;

namespace ChatMvc.Tests.Api;

public abstract class MentionsApiTests<TApp>(TApp app) : IClassFixture<TApp>
    where TApp : ChatAppFactory
{
    private static IReadOnlyList<long> MentionsOf(JsonElement message) =>
        message.GetProperty("mentions").EnumerateArray().Select(m => m.GetInt64()).ToList();

    private static async Task<JsonElement> MentioningAsync(ApiUser user, string query = "") =>
        await (await user.Http.GetAsync("/api/v1/mentions" + query)).JsonAsync(HttpStatusCode.OK);

    private static async Task<JsonElement> RowAsync(ApiUser user, long conversationId)
    {
        var list = await (await user.Http.GetAsync("/api/v1/conversations")).JsonAsync(HttpStatusCode.OK);
        return list.GetProperty("items").EnumerateArray().Single(r => r.GetProperty("id").GetInt64() == conversationId);
    }

    [Fact]
    public async Task A_message_names_the_members_it_mentions_and_an_edit_changes_them()
    {
        using var ann = await app.NewApiUserAsync("Ann Json");
        using var bo = await app.NewApiUserAsync("Bo Json");
        using var cy = await app.NewApiUserAsync("Cy Json");
        var id = await ann.StartConversationAsync("Json team", bo.Id, cy.Id);

        var sent = await ann.SendAsync(id, "@Bo Json and @Cy Json, and @Ann Json myself");
        var plain = await ann.SendAsync(id, "nobody here");
        var messageId = sent.GetProperty("id").GetInt64();
        var edited = await (await ann.Http.SendJsonAsync(HttpMethod.Patch, $"/api/v1/conversations/{id}/messages/{messageId}", new { body = "only @cy json" }))
            .JsonAsync(HttpStatusCode.OK);
        var page = await (await bo.Http.GetAsync($"/api/v1/conversations/{id}/messages")).JsonAsync(HttpStatusCode.OK);

        Assert.Equal(new[] { bo.Id, cy.Id }.Order().ToList(), MentionsOf(sent));
        Assert.Empty(MentionsOf(plain));
        Assert.Equal([cy.Id], MentionsOf(edited));
        var listed = page.GetProperty("items").EnumerateArray().Single(m => m.GetProperty("id").GetInt64() == messageId);
        Assert.Equal([cy.Id], MentionsOf(listed));
    }

    [Fact]
    public async Task The_mentions_list_has_only_my_mentions_newest_first_pages_with_before_and_forgets_conversations_I_left()
    {
        using var ann = await app.NewApiUserAsync("Ann Mine");
        using var bo = await app.NewApiUserAsync("Bo Mine");
        using var cy = await app.NewApiUserAsync("Cy Mine");
        var group = await ann.StartConversationAsync("Mine team", bo.Id, cy.Id);
        var direct = await ann.StartConversationAsync(null, bo.Id);
        await ann.SendAsync(group, "@Bo Mine first");
        await ann.SendAsync(group, "@Cy Mine for cy only");
        await ann.SendAsync(direct, "@Bo Mine second");
        var deleted = (await ann.SendAsync(direct, "@Bo Mine deleted")).GetProperty("id").GetInt64();
        await ann.Http.DeleteAsync($"/api/v1/conversations/{direct}/messages/{deleted}");

        var mine = await MentioningAsync(bo);
        var firstPage = await MentioningAsync(bo, "?limit=1");
        var nextPage = await MentioningAsync(bo, $"?limit=1&before={firstPage.GetProperty("paging").GetProperty("next").GetInt64()}");

        Assert.Equal(["@Bo Mine second", "@Bo Mine first"], Bodies(mine));
        var hit = mine.GetProperty("items")[1];
        Assert.Equal(group, hit.GetProperty("conversationId").GetInt64());
        Assert.Equal("Mine team", hit.GetProperty("conversationTitle").GetString());
        Assert.Equal([bo.Id], MentionsOf(hit.GetProperty("message")));
        Assert.Equal(["@Bo Mine second"], Bodies(firstPage));
        Assert.Equal(["@Bo Mine first"], Bodies(nextPage));
        Assert.Equal(["@Cy Mine for cy only"], Bodies(await MentioningAsync(cy)));
        Assert.Empty(Bodies(await MentioningAsync(ann)));

        (await bo.Http.DeleteAsync($"/api/v1/conversations/{group}/members/{bo.Id}")).EnsureSuccessStatusCode();

        Assert.Equal(["@Bo Mine second"], Bodies(await MentioningAsync(bo)));
    }

    private static IReadOnlyList<string?> Bodies(JsonElement page) =>
        page.GetProperty("items").EnumerateArray().Select(h => h.GetProperty("message").GetProperty("body").GetString()).ToList();

    [Fact]
    public async Task A_limit_out_of_range_is_a_400_naming_it()
    {
        using var ann = await app.NewApiUserAsync("Ann Limit");

        var errors = await (await ann.Http.GetAsync("/api/v1/mentions?limit=0")).ValidationErrorsAsync();

        Assert.Contains("limit", errors.Keys);
    }

    [Fact]
    public async Task The_notification_level_sets_what_the_unread_count_counts()
    {
        using var ann = await app.NewApiUserAsync("Ann Levels");
        using var bo = await app.NewApiUserAsync("Bo Levels");
        using var cy = await app.NewApiUserAsync("Cy Levels");
        var id = await ann.StartConversationAsync("Levels team", bo.Id, cy.Id);
        await ann.SendAsync(id, "one");
        await ann.SendAsync(id, "@Bo Levels two");

        var byDefault = await RowAsync(bo, id);
        var all = await (await bo.Http.SendJsonAsync(HttpMethod.Put, $"/api/v1/conversations/{id}/notifications", new { level = "all" }))
            .JsonAsync(HttpStatusCode.OK);
        var everything = await RowAsync(bo, id);
        await (await bo.Http.SendJsonAsync(HttpMethod.Put, $"/api/v1/conversations/{id}/notifications", new { level = "none" })).JsonAsync(HttpStatusCode.OK);
        var nothing = await RowAsync(bo, id);

        Assert.Equal("mentions", byDefault.GetProperty("notificationLevel").GetString());
        Assert.Equal(1, byDefault.GetProperty("unread").GetInt64());
        Assert.Equal(1, byDefault.GetProperty("unreadMentions").GetInt64());
        Assert.Equal("all", all.GetProperty("level").GetString());
        Assert.Equal(2, everything.GetProperty("unread").GetInt64());
        Assert.Equal("none", nothing.GetProperty("notificationLevel").GetString());
        Assert.Equal(0, nothing.GetProperty("unread").GetInt64());
        Assert.Equal("mentions", (await RowAsync(cy, id)).GetProperty("notificationLevel").GetString());
    }

    [Theory]
    [InlineData("""{"level": "loud"}""")]
    [InlineData("""{"level": "ALL"}""")]
    [InlineData("""{"level": null}""")]
    [InlineData("""{}""")]
    [InlineData("""{"level": 3}""")]
    [InlineData("""not json""")]
    public async Task Anything_but_all_mentions_or_none_is_a_400_problem_and_changes_nothing(string body)
    {
        using var ann = await app.NewApiUserAsync("Ann Bad Level");
        using var bo = await app.NewApiUserAsync("Bo Bad Level");
        var id = await ann.StartConversationAsync(null, bo.Id);

        var response = await bo.Http.SendRawAsync(HttpMethod.Put, $"/api/v1/conversations/{id}/notifications", body);

        await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("all", (await RowAsync(bo, id)).GetProperty("notificationLevel").GetString());
    }

    [Fact]
    public async Task A_non_member_setting_a_level_gets_404()
    {
        using var ann = await app.NewApiUserAsync("Ann Stranger Level");
        using var bo = await app.NewApiUserAsync("Bo Stranger Level");
        using var cy = await app.NewApiUserAsync("Cy Stranger Level");
        var id = await ann.StartConversationAsync(null, bo.Id);

        var stranger = await cy.Http.SendJsonAsync(HttpMethod.Put, $"/api/v1/conversations/{id}/notifications", new { level = "none" });
        var missing = await cy.Http.SendJsonAsync(HttpMethod.Put, $"/api/v1/conversations/{id + 100000}/notifications", new { level = "none" });

        await stranger.ProblemAsync(HttpStatusCode.NotFound);
        await missing.ProblemAsync(HttpStatusCode.NotFound);
    }
}

public sealed class MentionsApiTestsOnSqlite(SqliteApp app) : MentionsApiTests<SqliteApp>(app);

public sealed class MentionsApiTestsOnMariaDb(MariaDbApp app) : MentionsApiTests<MariaDbApp>(app);
