using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ChatMvc.Data;
using ChatMvc.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ChatMvc.Tests.Api;

public abstract class MessagesApiTests<TApp>(TApp app) : IClassFixture<TApp>
    where TApp : ChatAppFactory
{
    [Fact]
    public async Task Sending_answers_201_with_the_message()
    {
        using var ann = await app.NewApiUserAsync("Ann Sender");
        using var bo = await app.NewApiUserAsync("Bo Reader");
        var id = await ann.StartConversationAsync(null, bo.Id);

        var message = await ann.SendAsync(id, "  Hello\r\nthere  ");

        Assert.Equal(id, message.GetProperty("conversationId").GetInt64());
        Assert.Equal("Hello\nthere", message.GetProperty("body").GetString());
        Assert.Equal("text", message.GetProperty("kind").GetString());
        Assert.Equal(ann.Id, message.GetProperty("sender").GetProperty("id").GetInt64());
        Assert.Equal("Ann Sender", message.GetProperty("sender").GetProperty("displayName").GetString());
        Assert.True(message.GetProperty("createdAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-5));
        Assert.Equal(JsonValueKind.Null, message.GetProperty("editedAt").ValueKind);
        Assert.False(message.GetProperty("deleted").GetBoolean());
        Assert.Equal(JsonValueKind.Null, message.GetProperty("image").ValueKind);
    }

    [Fact]
    public async Task Sending_again_with_the_same_client_message_id_returns_the_first_message()
    {
        using var ann = await app.NewApiUserAsync("Ann Retry");
        using var bo = await app.NewApiUserAsync("Bo Retry");
        var id = await ann.StartConversationAsync(null, bo.Id);
        var url = $"/api/v1/conversations/{id}/messages";

        var first = await (await ann.Http.PostAsJsonAsync(url, new { body = "Once", clientMessageId = "retry-1" })).JsonAsync(HttpStatusCode.Created);
        var retry = await (await ann.Http.PostAsJsonAsync(url, new { body = "Once", clientMessageId = "retry-1" })).JsonAsync(HttpStatusCode.OK);

        Assert.Equal(first.GetProperty("id").GetInt64(), retry.GetProperty("id").GetInt64());
        Assert.Equal(1, await app.CountMessagesAsync(id));
    }

    [Fact]
    public async Task The_same_client_message_id_in_two_conversations_stores_a_message_in_each()
    {
        using var ann = await app.NewApiUserAsync("Ann Twice");
        using var bo = await app.NewApiUserAsync("Bo Twice");
        using var cy = await app.NewApiUserAsync("Cy Twice");
        var first = $"/api/v1/conversations/{await ann.StartConversationAsync(null, bo.Id)}/messages";
        var second = $"/api/v1/conversations/{await ann.StartConversationAsync(null, cy.Id)}/messages";

        var inFirst = await (await ann.Http.PostAsJsonAsync(first, new { body = "To Bo", clientMessageId = "same-1" })).JsonAsync(HttpStatusCode.Created);
        var inSecond = await (await ann.Http.PostAsJsonAsync(second, new { body = "To Cy", clientMessageId = "same-1" })).JsonAsync(HttpStatusCode.Created);
        var retryInSecond = await (await ann.Http.PostAsJsonAsync(second, new { body = "To Cy", clientMessageId = "same-1" })).JsonAsync(HttpStatusCode.OK);
        var retryInFirst = await (await ann.Http.PostAsJsonAsync(first, new { body = "To Bo", clientMessageId = "same-1" })).JsonAsync(HttpStatusCode.OK);

        Assert.NotEqual(inFirst.GetProperty("id").GetInt64(), inSecond.GetProperty("id").GetInt64());
        Assert.Equal(inSecond.GetProperty("id").GetInt64(), retryInSecond.GetProperty("id").GetInt64());
        Assert.Equal(inFirst.GetProperty("id").GetInt64(), retryInFirst.GetProperty("id").GetInt64());
        Assert.Equal(["To Bo"], ApiSteps.Bodies(await (await bo.Http.GetAsync(first)).JsonAsync(HttpStatusCode.OK)));
        Assert.Equal(["To Cy"], ApiSteps.Bodies(await (await cy.Http.GetAsync(second)).JsonAsync(HttpStatusCode.OK)));
    }

    [Fact]
    public async Task An_empty_or_overlong_body_or_client_message_id_is_refused_on_its_field()
    {
        using var ann = await app.NewApiUserAsync("Ann Empty");
        using var bo = await app.NewApiUserAsync("Bo Empty");
        var id = await ann.StartConversationAsync(null, bo.Id);
        var url = $"/api/v1/conversations/{id}/messages";

        var empty = await ann.Http.PostAsJsonAsync(url, new { body = "   " });
        var missing = await ann.Http.PostAsJsonAsync(url, new { });
        var overlong = await ann.Http.PostAsJsonAsync(url, new { body = new string('a', 4001) });
        var longId = await ann.Http.PostAsJsonAsync(url, new { body = "Hi", clientMessageId = new string('c', 65) });

        Assert.Equal(["Write a message before sending."], (await empty.ValidationErrorsAsync())["body"]);
        Assert.Equal(["body"], (await missing.ValidationErrorsAsync()).Keys);
        Assert.Equal(["A message can be at most 4000 characters; this one has 4001."], (await overlong.ValidationErrorsAsync())["body"]);
        Assert.Equal(["clientMessageId"], (await longId.ValidationErrorsAsync()).Keys);
        Assert.Equal(0, await app.CountMessagesAsync(id));
    }

    [Fact]
    public async Task Malformed_json_a_wrong_type_and_an_oversize_body_are_refused()
    {
        using var ann = await app.NewApiUserAsync("Ann Broken");
        using var bo = await app.NewApiUserAsync("Bo Broken");
        var id = await ann.StartConversationAsync(null, bo.Id);
        var url = $"/api/v1/conversations/{id}/messages";

        var malformed = await ann.Http.SendRawAsync(HttpMethod.Post, url, "{body: 'hi'}");
        var wrongType = await ann.Http.SendRawAsync(HttpMethod.Post, url, """{"body": ["hi"]}""");
        var oversize = await ann.Http.SendRawAsync(HttpMethod.Post, url, JsonSerializer.Serialize(new { body = new string('a', 70_000) }));

        Assert.StartsWith("The request body is not valid JSON", (await malformed.ProblemAsync(HttpStatusCode.BadRequest)).GetProperty("detail").GetString());
        Assert.Equal(["body must be a string."], (await wrongType.ValidationErrorsAsync())["body"]);
        await oversize.ProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(0, await app.CountMessagesAsync(id));
    }

    [Fact]
    public async Task A_non_member_can_neither_read_nor_send_and_an_unknown_conversation_is_the_same_404()
    {
        using var ann = await app.NewApiUserAsync("Ann Private");
        using var bo = await app.NewApiUserAsync("Bo Private");
        using var eve = await app.NewApiUserAsync("Eve Snoop");
        var id = await ann.StartConversationAsync(null, bo.Id);
        var message = await ann.SendAsync(id, "Secret");
        var messageId = message.GetProperty("id").GetInt64();

        await (await eve.Http.GetAsync($"/api/v1/conversations/{id}/messages")).ProblemAsync(HttpStatusCode.NotFound);
        await (await eve.Http.PostAsJsonAsync($"/api/v1/conversations/{id}/messages", new { body = "Let me in" })).ProblemAsync(HttpStatusCode.NotFound);
        await (await eve.Http.PatchAsJsonAsync($"/api/v1/conversations/{id}/messages/{messageId}", new { body = "Mine" })).ProblemAsync(HttpStatusCode.NotFound);
        await (await eve.Http.DeleteAsync($"/api/v1/conversations/{id}/messages/{messageId}")).ProblemAsync(HttpStatusCode.NotFound);
        await (await eve.Http.PostAsJsonAsync("/api/v1/conversations/999999999/messages", new { body = "Anyone?" })).ProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(1, await app.CountMessagesAsync(id));
    }

    [Fact]
    public async Task Paging_walks_back_with_older_and_forward_with_newer()
    {
        using var ann = await app.NewApiUserAsync("Ann Pages");
        using var bo = await app.NewApiUserAsync("Bo Pages");
        var id = await ann.StartConversationAsync(null, bo.Id);
        for (var i = 1; i <= 5; i++)
        {
            await ann.SendAsync(id, $"Message {i}");
        }

        var url = $"/api/v1/conversations/{id}/messages";
        var latest = await (await bo.Http.GetAsync($"{url}?limit=2")).JsonAsync(HttpStatusCode.OK);
        var older = latest.GetProperty("paging").GetProperty("older").GetInt64();
        var previous = await (await bo.Http.GetAsync($"{url}?before={older}&limit=2")).JsonAsync(HttpStatusCode.OK);
        var first = await (await bo.Http.GetAsync($"{url}?before={previous.GetProperty("paging").GetProperty("older").GetInt64()}&limit=2")).JsonAsync(HttpStatusCode.OK);
        var newer = latest.GetProperty("paging").GetProperty("newer").GetInt64();
        var nothingNew = await (await bo.Http.GetAsync($"{url}?after={newer}")).JsonAsync(HttpStatusCode.OK);
        await ann.SendAsync(id, "Message 6");
        var arrived = await (await bo.Http.GetAsync($"{url}?after={newer}")).JsonAsync(HttpStatusCode.OK);

        Assert.Equal(["Message 4", "Message 5"], ApiSteps.Bodies(latest));
        Assert.Equal(2, latest.GetProperty("paging").GetProperty("limit").GetInt32());
        Assert.Equal(["Message 2", "Message 3"], ApiSteps.Bodies(previous));
        Assert.Equal(["Message 1"], ApiSteps.Bodies(first));
        Assert.Equal(JsonValueKind.Null, first.GetProperty("paging").GetProperty("older").ValueKind);
        Assert.Empty(ApiSteps.Bodies(nothingNew));
        Assert.Equal(newer, nothingNew.GetProperty("paging").GetProperty("newer").GetInt64());
        Assert.Equal(["Message 6"], ApiSteps.Bodies(arrived));
        Assert.True(arrived.GetProperty("paging").GetProperty("newer").GetInt64() > newer);
    }

    [Fact]
    public async Task Asking_what_arrived_since_a_version_also_brings_the_messages_edited_or_deleted_since()
    {
        using var ann = await app.NewApiUserAsync("Ann Changes");
        using var bo = await app.NewApiUserAsync("Bo Follows");
        var id = await ann.StartConversationAsync(null, bo.Id);
        var url = $"/api/v1/conversations/{id}/messages";
        var typo = (await ann.SendAsync(id, "Helo")).GetProperty("id").GetInt64();
        var oops = (await ann.SendAsync(id, "Oops")).GetProperty("id").GetInt64();
        var latest = (await (await bo.Http.GetAsync(url)).JsonAsync(HttpStatusCode.OK)).GetProperty("paging");
        var (newer, version) = (latest.GetProperty("newer").GetInt64(), latest.GetProperty("version").GetInt64());
        var unchanged = await (await bo.Http.GetAsync($"{url}?after={newer}&version={version}")).JsonAsync(HttpStatusCode.OK);

        await ann.Http.PatchAsJsonAsync($"{url}/{typo}", new { body = "Hello" });
        await ann.Http.DeleteAsync($"{url}/{oops}");
        await ann.SendAsync(id, "New one");
        var changes = await (await bo.Http.GetAsync($"{url}?after={newer}&version={version}")).JsonAsync(HttpStatusCode.OK);
        var nextVersion = changes.GetProperty("paging").GetProperty("version").GetInt64();
        var nextNewer = changes.GetProperty("paging").GetProperty("newer").GetInt64();
        var quiet = await (await bo.Http.GetAsync($"{url}?after={nextNewer}&version={nextVersion}")).JsonAsync(HttpStatusCode.OK);

        Assert.Empty(unchanged.GetProperty("changed").EnumerateArray());
        Assert.Equal(version, unchanged.GetProperty("paging").GetProperty("version").GetInt64());
        Assert.Equal(["New one"], ApiSteps.Bodies(changes));
        var changed = changes.GetProperty("changed").EnumerateArray().ToDictionary(m => m.GetProperty("id").GetInt64());
        Assert.Equal([typo, oops], changed.Keys.Order());
        Assert.Equal("Hello", changed[typo].GetProperty("body").GetString());
        Assert.True(changed[oops].GetProperty("deleted").GetBoolean());
        Assert.True(nextVersion > version);
        Assert.Empty(quiet.GetProperty("items").EnumerateArray());
        Assert.Empty(quiet.GetProperty("changed").EnumerateArray());
        Assert.Equal(["version"], (await (await bo.Http.GetAsync($"{url}?version={version}")).ValidationErrorsAsync()).Keys);
    }

    [Fact]
    public async Task Asking_for_what_arrived_since_answers_from_the_cache_without_any_sql_while_nothing_did()
    {
        using var ann = await app.NewApiUserAsync("Ann Idle");
        using var bo = await app.NewApiUserAsync("Bo Idle");
        var id = await ann.StartConversationAsync(null, bo.Id);
        await ann.SendAsync(id, "Warm the cache");
        var url = $"/api/v1/conversations/{id}/messages";
        var newer = (await (await bo.Http.GetAsync(url)).JsonAsync(HttpStatusCode.OK)).GetProperty("paging").GetProperty("newer").GetInt64();
        await bo.Http.GetAsync($"{url}?after={newer}");
        var db = app.Services.GetRequiredService<ChatDb>();

        var before = db.OpenCount;
        for (var i = 0; i < 5; i++)
        {
            Assert.Empty(ApiSteps.Bodies(await (await bo.Http.GetAsync($"{url}?after={newer}")).JsonAsync(HttpStatusCode.OK)));
        }

        Assert.Equal(before, db.OpenCount);
    }

    [Fact]
    public async Task A_page_larger_than_the_cache_holds_comes_from_the_database_in_order()
    {
        using var ann = await app.NewApiUserAsync("Ann Many");
        using var bo = await app.NewApiUserAsync("Bo Many");
        var id = await ann.StartConversationAsync(null, bo.Id);
        for (var i = 1; i <= 60; i++)
        {
            await ann.SendAsync(id, $"Message {i}");
        }

        var page = await (await bo.Http.GetAsync($"/api/v1/conversations/{id}/messages?limit=55")).JsonAsync(HttpStatusCode.OK);

        Assert.Equal(Enumerable.Range(6, 55).Select(i => $"Message {i}"), ApiSteps.Bodies(page));
    }

    [Fact]
    public async Task Paging_with_bad_parameters_names_each_one()
    {
        using var ann = await app.NewApiUserAsync("Ann Limits");
        using var bo = await app.NewApiUserAsync("Bo Limits");
        var id = await ann.StartConversationAsync(null, bo.Id);
        var url = $"/api/v1/conversations/{id}/messages";

        Assert.Equal(["limit"], (await (await ann.Http.GetAsync($"{url}?limit=0")).ValidationErrorsAsync()).Keys);
        Assert.Equal(["limit"], (await (await ann.Http.GetAsync($"{url}?limit=101")).ValidationErrorsAsync()).Keys);
        Assert.Equal(["before"], (await (await ann.Http.GetAsync($"{url}?before=5&after=3")).ValidationErrorsAsync()).Keys);
        Assert.Equal(["before"], (await (await ann.Http.GetAsync($"{url}?before=yesterday")).ValidationErrorsAsync()).Keys);
    }

    [Fact]
    public async Task The_sender_edits_a_message_and_it_reads_as_edited()
    {
        using var ann = await app.NewApiUserAsync("Ann Editor");
        using var bo = await app.NewApiUserAsync("Bo Editor");
        var id = await ann.StartConversationAsync(null, bo.Id);
        var messageId = (await ann.SendAsync(id, "Helo")).GetProperty("id").GetInt64();

        var edited = await (await ann.Http.PatchAsJsonAsync($"/api/v1/conversations/{id}/messages/{messageId}", new { body = "Hello" }))
            .JsonAsync(HttpStatusCode.OK);

        Assert.Equal("Hello", edited.GetProperty("body").GetString());
        Assert.NotEqual(JsonValueKind.Null, edited.GetProperty("editedAt").ValueKind);
        Assert.Equal(["Hello"], ApiSteps.Bodies(await (await bo.Http.GetAsync($"/api/v1/conversations/{id}/messages")).JsonAsync(HttpStatusCode.OK)));
    }

    [Fact]
    public async Task Nobody_edits_another_users_message()
    {
        using var ann = await app.NewApiUserAsync("Ann Owner");
        using var bo = await app.NewApiUserAsync("Bo Other");
        var id = await ann.StartConversationAsync("Team", bo.Id);
        var messageId = (await bo.SendAsync(id, "Bo's words")).GetProperty("id").GetInt64();

        var response = await ann.Http.PatchAsJsonAsync($"/api/v1/conversations/{id}/messages/{messageId}", new { body = "Ann's words" });

        Assert.Equal("Only the sender can edit a message.", (await response.ProblemAsync(HttpStatusCode.Forbidden)).GetProperty("detail").GetString());
        Assert.Contains("Bo's words", ApiSteps.Bodies(await (await bo.Http.GetAsync($"/api/v1/conversations/{id}/messages")).JsonAsync(HttpStatusCode.OK)));
    }

    [Fact]
    public async Task Editing_an_unknown_or_deleted_message_is_404_and_an_empty_body_is_400()
    {
        using var ann = await app.NewApiUserAsync("Ann Edits");
        using var bo = await app.NewApiUserAsync("Bo Edits");
        var id = await ann.StartConversationAsync(null, bo.Id);
        var messageId = (await ann.SendAsync(id, "Keep")).GetProperty("id").GetInt64();
        var goneId = (await ann.SendAsync(id, "Gone")).GetProperty("id").GetInt64();
        await ann.Http.DeleteAsync($"/api/v1/conversations/{id}/messages/{goneId}");
        var url = $"/api/v1/conversations/{id}/messages";

        await (await ann.Http.PatchAsJsonAsync($"{url}/999999999", new { body = "x" })).ProblemAsync(HttpStatusCode.NotFound);
        await (await ann.Http.PatchAsJsonAsync($"{url}/{goneId}", new { body = "Back" })).ProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(["Write a message before sending."], (await (await ann.Http.PatchAsJsonAsync($"{url}/{messageId}", new { body = "" })).ValidationErrorsAsync())["body"]);
        Assert.Equal(["body must be a string."], (await (await ann.Http.SendRawAsync(HttpMethod.Patch, $"{url}/{messageId}", """{"body": false}""")).ValidationErrorsAsync())["body"]);
    }

    [Fact]
    public async Task The_sender_deletes_a_message_which_stays_in_the_log_without_its_body()
    {
        using var ann = await app.NewApiUserAsync("Ann Deletes");
        using var bo = await app.NewApiUserAsync("Bo Sees");
        var id = await ann.StartConversationAsync(null, bo.Id);
        var messageId = (await ann.SendAsync(id, "Oops")).GetProperty("id").GetInt64();

        var deleted = await ann.Http.DeleteAsync($"/api/v1/conversations/{id}/messages/{messageId}");
        var again = await ann.Http.DeleteAsync($"/api/v1/conversations/{id}/messages/{messageId}");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await again.ProblemAsync(HttpStatusCode.NotFound);
        var message = (await (await bo.Http.GetAsync($"/api/v1/conversations/{id}/messages")).JsonAsync(HttpStatusCode.OK)).GetProperty("items")[0];
        Assert.True(message.GetProperty("deleted").GetBoolean());
        Assert.Equal(JsonValueKind.Null, message.GetProperty("body").ValueKind);
    }

    [Fact]
    public async Task A_member_cannot_delete_another_users_message_but_the_group_owner_can()
    {
        using var ann = await app.NewApiUserAsync("Ann Owner");
        using var bo = await app.NewApiUserAsync("Bo Member");
        using var cy = await app.NewApiUserAsync("Cy Member");
        var id = await ann.StartConversationAsync("Team", bo.Id, cy.Id);
        var messageId = (await cy.SendAsync(id, "Off topic")).GetProperty("id").GetInt64();

        var byMember = await bo.Http.DeleteAsync($"/api/v1/conversations/{id}/messages/{messageId}");
        var byOwner = await ann.Http.DeleteAsync($"/api/v1/conversations/{id}/messages/{messageId}");

        await byMember.ProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.NoContent, byOwner.StatusCode);
        await (await ann.Http.DeleteAsync($"/api/v1/conversations/{id}/messages/999999999")).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_message_sent_through_the_api_reaches_an_open_window_through_the_poll()
    {
        using var ann = await app.NewApiUserAsync("Ann Script");
        using var bo = await app.NewPersonAsync("Bo Browser");
        var id = await ann.StartConversationAsync(null, bo.Id);
        var (after, v) = ChatSteps.CursorOf((await bo.OpenAsync(id)).Document);

        await ann.SendAsync(id, "Sent by a script");
        var poll = await bo.PollAsync(id, after, v);

        Assert.Equal(HttpStatusCode.OK, poll.Status);
        Assert.Equal(["Sent by a script"], ChatSteps.MessageTexts(poll.Fragment));
        Assert.Contains("Ann Script", poll.Fragment.QuerySelector("article.message .message-sender")!.TextContent);
    }

    [Fact]
    public async Task A_browser_posts_with_its_cookie_only_with_the_antiforgery_header()
    {
        using var ann = await app.NewPersonAsync("Ann Browser");
        using var bo = await app.NewApiUserAsync("Bo Script");
        var id = await bo.StartConversationAsync(null, ann.Id);
        var token = (await ann.OpenAsync(id)).Document.QuerySelector("#composer input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var url = $"/api/v1/conversations/{id}/messages";

        var forged = await ann.Client.Http.PostAsJsonAsync(url, new { body = "From another site" });
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(new { body = "From our page" }) };
        request.Headers.Add("RequestVerificationToken", token);
        var genuine = await ann.Client.Http.SendAsync(request);

        await forged.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(ann.Id, (await genuine.JsonAsync(HttpStatusCode.Created)).GetProperty("sender").GetProperty("id").GetInt64());
        Assert.Equal(["From our page"], ApiSteps.Bodies(await (await bo.Http.GetAsync(url)).JsonAsync(HttpStatusCode.OK)));
    }
}

public sealed class MessagesApiTestsOnSqlite(SqliteApp app) : MessagesApiTests<SqliteApp>(app);

public sealed class MessagesApiTestsOnMariaDb(MariaDbApp app) : MessagesApiTests<MariaDbApp>(app);
