using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ChatMvc.Tests.Infrastructure;

namespace ChatMvc.Tests.Api;

// Bots through the JSON API, and the webhook's answers to everything a build server might send.
public abstract class BotsApiTests<TApp>(TApp app) : IClassFixture<TApp>
    where TApp : ChatAppFactory
{
    [Fact]
    public async Task The_owner_creates_lists_and_revokes_a_bot_and_the_url_is_in_the_create_answer_only()
    {
        using var ann = await app.NewApiUserAsync("Ann Api Bots");
        using var bo = await app.NewApiUserAsync("Bo Api Bots");
        var id = await ann.StartConversationAsync("Api builds", bo.Id);

        var created = await (await ann.Http.PostAsJsonAsync(Url(id), new { name = "CI" })).JsonAsync(HttpStatusCode.Created);
        var path = HookPath(created);
        var posted = await (await Hook().PostAsJsonAsync(path, new { text = "Green" })).JsonAsync(HttpStatusCode.Created);
        var listed = await (await ann.Http.GetAsync(Url(id))).JsonAsync(HttpStatusCode.OK);
        var revoked = await ann.Http.DeleteAsync($"{Url(id)}/{created.GetProperty("id").GetInt64()}");
        var revokedAgain = await ann.Http.DeleteAsync($"{Url(id)}/{created.GetProperty("id").GetInt64()}");
        var afterRevoke = await Hook().PostAsJsonAsync(path, new { text = "Red" });
        var page = await (await bo.Http.GetAsync($"/api/v1/conversations/{id}/messages")).JsonAsync(HttpStatusCode.OK);

        Assert.Equal("CI", created.GetProperty("name").GetString());
        Assert.StartsWith(ChatAppFactory.PublicUrl + "/hooks/", created.GetProperty("webhookUrl").GetString());
        Assert.Equal("CI", posted.GetProperty("sender").GetProperty("displayName").GetString());
        Assert.True(posted.GetProperty("sender").GetProperty("bot").GetBoolean());
        var bot = Assert.Single(listed.EnumerateArray());
        Assert.Equal("CI", bot.GetProperty("name").GetString());
        Assert.False(bot.TryGetProperty("webhookUrl", out _));
        Assert.Equal(JsonValueKind.Null, bot.GetProperty("revokedAt").ValueKind);
        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        await revokedAgain.ProblemAsync(HttpStatusCode.NotFound);
        await afterRevoke.ProblemAsync(HttpStatusCode.NotFound);
        var green = Assert.Single(page.GetProperty("items").EnumerateArray(), m => m.GetProperty("body").GetString() == "Green");
        Assert.True(green.GetProperty("sender").GetProperty("bot").GetBoolean());
        Assert.DoesNotContain("Red", ApiSteps.Bodies(page));
    }

    [Fact]
    public async Task A_member_who_is_not_the_owner_gets_403_and_a_non_member_404()
    {
        using var ann = await app.NewApiUserAsync("Ann Api Owner");
        using var bo = await app.NewApiUserAsync("Bo Api Member");
        using var cy = await app.NewApiUserAsync("Cy Api Outsider");
        var id = await ann.StartConversationAsync("Owned by Ann", bo.Id);
        var made = await (await ann.Http.PostAsJsonAsync(Url(id), new { name = "CI" })).JsonAsync(HttpStatusCode.Created);
        var botId = made.GetProperty("id").GetInt64();

        await (await bo.Http.PostAsJsonAsync(Url(id), new { name = "Mine" })).ProblemAsync(HttpStatusCode.Forbidden);
        await (await bo.Http.GetAsync(Url(id))).ProblemAsync(HttpStatusCode.Forbidden);
        await (await bo.Http.DeleteAsync($"{Url(id)}/{botId}")).ProblemAsync(HttpStatusCode.Forbidden);
        await (await cy.Http.PostAsJsonAsync(Url(id), new { name = "Mine" })).ProblemAsync(HttpStatusCode.NotFound);
        await (await cy.Http.GetAsync(Url(id))).ProblemAsync(HttpStatusCode.NotFound);
        await (await cy.Http.DeleteAsync($"{Url(id)}/{botId}")).ProblemAsync(HttpStatusCode.NotFound);
        await (await Hook().PostAsJsonAsync(HookPath(made), new { text = "Still posting" })).JsonAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task A_bad_name_is_a_400_naming_name()
    {
        using var ann = await app.NewApiUserAsync("Ann Api Names");
        using var bo = await app.NewApiUserAsync("Bo Api Names");
        var id = await ann.StartConversationAsync("Names", bo.Id);

        var errors = await (await ann.Http.PostAsJsonAsync(Url(id), new { name = "" })).ValidationErrorsAsync();

        Assert.Contains("1 to 50 characters", Assert.Single(errors["name"]));
        Assert.Empty((await (await ann.Http.GetAsync(Url(id))).JsonAsync(HttpStatusCode.OK)).EnumerateArray());
    }

    [Fact]
    public async Task The_webhook_takes_plain_text_and_a_retry_with_the_same_idempotency_key_gets_the_first_message()
    {
        using var ann = await app.NewApiUserAsync("Ann Api Retries");
        using var bo = await app.NewApiUserAsync("Bo Api Retries");
        var id = await ann.StartConversationAsync("Retries", bo.Id);
        var path = HookPath(await (await ann.Http.PostAsJsonAsync(Url(id), new { name = "CI" })).JsonAsync(HttpStatusCode.Created));

        var first = await Hook().SendAsync(TextPost(path, "Build 7 passed", "build-7"));
        var retry = await Hook().SendAsync(TextPost(path, "Build 7 passed", "build-7"));

        var firstMessage = await first.JsonAsync(HttpStatusCode.Created);
        var retried = await retry.JsonAsync(HttpStatusCode.OK);
        Assert.Equal(firstMessage.GetProperty("id").GetInt64(), retried.GetProperty("id").GetInt64());
        Assert.Equal("Build 7 passed", firstMessage.GetProperty("body").GetString());
        Assert.Equal(1, await app.CountMessagesAsync(id));
    }

    [Fact]
    public async Task Unknown_keys_wrong_types_bad_json_empty_and_oversized_posts_are_refused_and_nothing_is_stored()
    {
        using var ann = await app.NewApiUserAsync("Ann Api Refusals");
        using var bo = await app.NewApiUserAsync("Bo Api Refusals");
        var id = await ann.StartConversationAsync("Refusals", bo.Id);
        var path = HookPath(await (await ann.Http.PostAsJsonAsync(Url(id), new { name = "CI" })).JsonAsync(HttpStatusCode.Created));

        var unknown = await Hook().PostAsJsonAsync("/hooks/not-a-real-key", new { text = "Hello" });
        var form = await Hook().PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string> { ["text"] = "Hello" }));
        var noType = await Hook().PostAsync(path, new ByteArrayContent("Hello"u8.ToArray()));
        var badJson = await Hook().PostAsync(path, new StringContent("{\"text\": ", Encoding.UTF8, "application/json"));
        var empty = await Hook().PostAsJsonAsync(path, new { text = "   " });
        var missing = await Hook().PostAsJsonAsync(path, new { message = "wrong field" });
        var tooLong = await Hook().PostAsJsonAsync(path, new { text = new string('x', 4001) });
        var oversized = await Hook().PostAsync(path, new StringContent(new string('x', 70_000), Encoding.UTF8, "text/plain"));

        Assert.Contains("no webhook", (await unknown.ProblemAsync(HttpStatusCode.NotFound)).GetProperty("detail").GetString());
        Assert.Contains("text/plain", (await form.ProblemAsync(HttpStatusCode.UnsupportedMediaType)).GetProperty("detail").GetString());
        await noType.ProblemAsync(HttpStatusCode.UnsupportedMediaType);
        Assert.Contains("{\"text\"", Assert.Single((await badJson.ValidationErrorsAsync())["text"]));
        Assert.Single((await empty.ValidationErrorsAsync())["text"]);
        Assert.Single((await missing.ValidationErrorsAsync())["text"]);
        Assert.Contains("4000", Assert.Single((await tooLong.ValidationErrorsAsync())["text"]));
        await oversized.ProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(0, await app.CountMessagesAsync(id));
    }

    [Fact]
    public async Task A_bot_is_not_a_person_it_is_not_in_the_directory_and_no_conversation_can_start_with_it()
    {
        using var ann = await app.NewApiUserAsync("Ann Api Directory");
        using var bo = await app.NewApiUserAsync("Bo Api Directory");
        var id = await ann.StartConversationAsync("Directory", bo.Id);
        var path = HookPath(await (await ann.Http.PostAsJsonAsync(Url(id), new { name = "Directory Robot" })).JsonAsync(HttpStatusCode.Created));
        var botUserId = (await (await Hook().PostAsJsonAsync(path, new { text = "Beep" })).JsonAsync(HttpStatusCode.Created))
            .GetProperty("sender").GetProperty("id").GetInt64();

        var found = await (await ann.Http.GetAsync("/api/v1/users?q=Directory%20Robot")).JsonAsync(HttpStatusCode.OK);
        var profile = await ann.Http.GetAsync($"/api/v1/users/{botUserId}");
        var start = await ann.Http.PostAsJsonAsync("/api/v1/conversations", new { participantIds = new[] { botUserId } });

        Assert.DoesNotContain("Directory Robot", found.ToString());
        await profile.ProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.BadRequest, start.StatusCode);
    }

    private static string Url(long conversationId) => $"/api/v1/conversations/{conversationId}/bots";

    private static string HookPath(JsonElement created) => new Uri(created.GetProperty("webhookUrl").GetString()!).PathAndQuery;

    private static HttpRequestMessage TextPost(string path, string text, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(text, Encoding.UTF8, "text/plain") };
        request.Headers.Add("Idempotency-Key", key);
        return request;
    }

    // A build server: no account, no cookie, only the webhook's address.
    private HttpClient Hook() => app.NewApiClient();
}

public sealed class BotsApiTestsOnSqlite(SqliteApp app) : BotsApiTests<SqliteApp>(app);

public sealed class BotsApiTestsOnMariaDb(MariaDbApp app) : BotsApiTests<MariaDbApp>(app);
