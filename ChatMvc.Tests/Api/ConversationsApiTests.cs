using System.Net;
using System.Net.Http.Json;
using ChatMvc.Data;
using ChatMvc.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ChatMvc.Tests.Api;

public abstract class ConversationsApiTests<TApp>(TApp app) : IClassFixture<TApp>
    where TApp : ChatAppFactory
{
    [Fact]
    public async Task The_list_shows_each_conversation_with_its_unread_count_and_last_message()
    {
        using var ann = await app.NewApiUserAsync("Ann List");
        using var bo = await app.NewApiUserAsync("Bo List");
        var id = await ann.StartConversationAsync(null, bo.Id);
        await ann.SendAsync(id, "One");
        await ann.SendAsync(id, "Two");

        var list = await (await bo.Http.GetAsync("/api/v1/conversations")).JsonAsync(HttpStatusCode.OK);

        var row = Assert.Single(list.GetProperty("items").EnumerateArray());
        Assert.Equal(id, row.GetProperty("id").GetInt64());
        Assert.Equal("direct", row.GetProperty("kind").GetString());
        Assert.Equal("Ann List", row.GetProperty("title").GetString());
        Assert.Equal(2, row.GetProperty("unread").GetInt64());
        Assert.Equal("Two", row.GetProperty("lastMessage").GetProperty("body").GetString());
        Assert.Equal(ann.Id, row.GetProperty("lastMessage").GetProperty("sender").GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task Asking_for_the_list_again_while_nothing_changed_runs_no_sql_and_a_new_message_shows_at_once()
    {
        using var ann = await app.NewApiUserAsync("Ann Warm List");
        using var bo = await app.NewApiUserAsync("Bo Warm List");
        var id = await ann.StartConversationAsync(null, bo.Id);
        await ann.SendAsync(id, "First");
        await bo.Http.GetAsync("/api/v1/conversations");
        var db = app.Services.GetRequiredService<ChatDb>();

        var before = db.OpenCount;
        var warm = await (await bo.Http.GetAsync("/api/v1/conversations")).JsonAsync(HttpStatusCode.OK);

        Assert.Equal(before, db.OpenCount);
        Assert.Equal("First", warm.GetProperty("items")[0].GetProperty("lastMessage").GetProperty("body").GetString());
        Assert.Equal(1, warm.GetProperty("items")[0].GetProperty("unread").GetInt64());

        await ann.SendAsync(id, "Second");
        var changed = await (await bo.Http.GetAsync("/api/v1/conversations")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("Second", changed.GetProperty("items")[0].GetProperty("lastMessage").GetProperty("body").GetString());
        Assert.Equal(2, changed.GetProperty("items")[0].GetProperty("unread").GetInt64());
    }

    [Fact]
    public async Task Reading_the_newest_messages_clears_the_unread_count()
    {
        using var ann = await app.NewApiUserAsync("Ann Unread");
        using var bo = await app.NewApiUserAsync("Bo Unread");
        var id = await ann.StartConversationAsync(null, bo.Id);
        await ann.SendAsync(id, "Read me");

        await bo.Http.GetAsync($"/api/v1/conversations/{id}/messages");

        var list = await (await bo.Http.GetAsync("/api/v1/conversations")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, list.GetProperty("items")[0].GetProperty("unread").GetInt64());
    }

    [Fact]
    public async Task Starting_a_direct_conversation_is_201_and_starting_it_again_is_200_with_the_same_one()
    {
        using var ann = await app.NewApiUserAsync("Ann Direct");
        using var bo = await app.NewApiUserAsync("Bo Direct");

        var created = await ann.Http.PostAsJsonAsync("/api/v1/conversations", new { participantIds = new[] { bo.Id } });
        var again = await bo.Http.PostAsJsonAsync("/api/v1/conversations", new { participantIds = new[] { ann.Id, bo.Id } });

        var first = await created.JsonAsync(HttpStatusCode.Created);
        var second = await again.JsonAsync(HttpStatusCode.OK);
        Assert.Equal(first.GetProperty("id").GetInt64(), second.GetProperty("id").GetInt64());
        Assert.Equal("Bo Direct", first.GetProperty("title").GetString());
        Assert.Equal("Ann Direct", second.GetProperty("title").GetString());
        Assert.Equal($"/api/v1/conversations/{first.GetProperty("id").GetInt64()}", created.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task A_group_is_created_with_its_title_and_the_creator_as_owner()
    {
        using var ann = await app.NewApiUserAsync("Ann Owner");
        using var bo = await app.NewApiUserAsync("Bo Member");
        using var cy = await app.NewApiUserAsync("Cy Member");

        var response = await ann.Http.PostAsJsonAsync("/api/v1/conversations", new { participantIds = new[] { bo.Id, cy.Id }, title = " Planning " });

        var group = await response.JsonAsync(HttpStatusCode.Created);
        Assert.Equal("group", group.GetProperty("kind").GetString());
        Assert.Equal("Planning", group.GetProperty("title").GetString());
        var roles = group.GetProperty("members").EnumerateArray().ToDictionary(m => m.GetProperty("id").GetInt64(), m => m.GetProperty("role").GetString());
        Assert.Equal("owner", roles[ann.Id]);
        Assert.Equal("member", roles[bo.Id]);
        Assert.Equal("member", roles[cy.Id]);
    }

    [Fact]
    public async Task Starting_a_conversation_badly_is_refused_on_the_field_at_fault()
    {
        using var ann = await app.NewApiUserAsync("Ann Bad");
        using var bo = await app.NewApiUserAsync("Bo Bad");
        using var cy = await app.NewApiUserAsync("Cy Bad");

        var nobody = await ann.Http.PostAsJsonAsync("/api/v1/conversations", new { participantIds = new[] { ann.Id } });
        var noTitle = await ann.Http.PostAsJsonAsync("/api/v1/conversations", new { participantIds = new[] { bo.Id, cy.Id } });
        var longTitle = await ann.Http.PostAsJsonAsync("/api/v1/conversations", new { participantIds = new[] { bo.Id }, title = new string('t', 101) });
        var unknown = await ann.Http.PostAsJsonAsync("/api/v1/conversations", new { participantIds = new[] { bo.Id, 999999999L }, title = "Ghosts" });

        Assert.Equal(["Choose at least one person to talk to."], (await nobody.ValidationErrorsAsync())["participantIds"]);
        Assert.Equal(["A group needs a title."], (await noTitle.ValidationErrorsAsync())["title"]);
        Assert.Equal(["A title can be at most 100 characters."], (await longTitle.ValidationErrorsAsync())["title"]);
        Assert.Equal(["participantIds"], (await unknown.ValidationErrorsAsync()).Keys);
        var list = await (await ann.Http.GetAsync("/api/v1/conversations")).JsonAsync(HttpStatusCode.OK);
        Assert.Empty(list.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Participant_ids_of_the_wrong_type_or_malformed_json_are_refused()
    {
        using var ann = await app.NewApiUserAsync("Ann Types");

        var notAnArray = await ann.Http.SendRawAsync(HttpMethod.Post, "/api/v1/conversations", """{"participantIds": "bo"}""");
        var notNumbers = await ann.Http.SendRawAsync(HttpMethod.Post, "/api/v1/conversations", """{"participantIds": [true]}""");
        var malformed = await ann.Http.SendRawAsync(HttpMethod.Post, "/api/v1/conversations", """{"participantIds": [1,}""");

        Assert.Equal(["participantIds must be an array."], (await notAnArray.ValidationErrorsAsync())["participantIds"]);
        Assert.Equal(["participantIds[0] must be a whole number."], (await notNumbers.ValidationErrorsAsync())["participantIds[0]"]);
        var problem = await malformed.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.StartsWith("The request body is not valid JSON", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_member_sees_a_conversation_and_a_non_member_or_unknown_id_gets_the_same_404()
    {
        using var ann = await app.NewApiUserAsync("Ann Seen");
        using var bo = await app.NewApiUserAsync("Bo Seen");
        using var eve = await app.NewApiUserAsync("Eve Outsider");
        var id = await ann.StartConversationAsync(null, bo.Id);

        var seen = await (await bo.Http.GetAsync($"/api/v1/conversations/{id}")).JsonAsync(HttpStatusCode.OK);
        var outsider = await (await eve.Http.GetAsync($"/api/v1/conversations/{id}")).ProblemAsync(HttpStatusCode.NotFound);
        var unknown = await (await eve.Http.GetAsync("/api/v1/conversations/999999999")).ProblemAsync(HttpStatusCode.NotFound);

        Assert.Equal(2, seen.GetProperty("members").GetArrayLength());
        Assert.Equal($"There is no conversation {id} that you are a member of.", outsider.GetProperty("detail").GetString());
        Assert.Equal("There is no conversation 999999999 that you are a member of.", unknown.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task The_direct_conversation_with_someone_is_found_by_their_id()
    {
        using var ann = await app.NewApiUserAsync("Ann With");
        using var bo = await app.NewApiUserAsync("Bo With");
        using var cy = await app.NewApiUserAsync("Cy Without");
        var id = await ann.StartConversationAsync(null, bo.Id);

        var found = await (await bo.Http.GetAsync($"/api/v1/conversations/with/{ann.Id}")).JsonAsync(HttpStatusCode.OK);
        var none = await ann.Http.GetAsync($"/api/v1/conversations/with/{cy.Id}");
        var notMine = await cy.Http.GetAsync($"/api/v1/conversations/with/{bo.Id}");

        Assert.Equal(id, found.GetProperty("id").GetInt64());
        Assert.Contains("POST /api/v1/conversations", (await none.ProblemAsync(HttpStatusCode.NotFound)).GetProperty("detail").GetString());
        await notMine.ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Deleting_a_direct_conversation_hides_it_until_a_new_message_arrives()
    {
        using var ann = await app.NewApiUserAsync("Ann Hide");
        using var bo = await app.NewApiUserAsync("Bo Hide");
        var id = await ann.StartConversationAsync(null, bo.Id);
        await bo.SendAsync(id, "Hello");

        var hidden = await ann.Http.DeleteAsync($"/api/v1/conversations/{id}");

        Assert.Equal(HttpStatusCode.NoContent, hidden.StatusCode);
        Assert.Empty((await (await ann.Http.GetAsync("/api/v1/conversations")).JsonAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
        await bo.SendAsync(id, "Still there?");
        Assert.Single((await (await ann.Http.GetAsync("/api/v1/conversations")).JsonAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task The_owner_deletes_a_group_for_everyone_and_a_member_cannot()
    {
        using var ann = await app.NewApiUserAsync("Ann Deleter");
        using var bo = await app.NewApiUserAsync("Bo Member");
        using var eve = await app.NewApiUserAsync("Eve Outsider");
        var id = await ann.StartConversationAsync("Doomed", bo.Id);

        var byMember = await bo.Http.DeleteAsync($"/api/v1/conversations/{id}");
        var byOutsider = await eve.Http.DeleteAsync($"/api/v1/conversations/{id}");
        var byOwner = await ann.Http.DeleteAsync($"/api/v1/conversations/{id}");

        Assert.Contains("owner", (await byMember.ProblemAsync(HttpStatusCode.Forbidden)).GetProperty("detail").GetString());
        await byOutsider.ProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.NoContent, byOwner.StatusCode);
        await (await bo.Http.GetAsync($"/api/v1/conversations/{id}")).ProblemAsync(HttpStatusCode.NotFound);
        Assert.Empty((await (await bo.Http.GetAsync("/api/v1/conversations")).JsonAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
    }
}

public sealed class ConversationsApiTestsOnSqlite(SqliteApp app) : ConversationsApiTests<SqliteApp>(app);

public sealed class ConversationsApiTestsOnMariaDb(MariaDbApp app) : ConversationsApiTests<MariaDbApp>(app);
