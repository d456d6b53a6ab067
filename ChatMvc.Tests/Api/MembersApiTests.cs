using System.Net;
using System.Net.Http.Json;
using ChatMvc.Data;
using ChatMvc.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ChatMvc.Tests.Api;

public abstract class MembersApiTests<TApp>(TApp app) : IClassFixture<TApp>
    where TApp : ChatAppFactory
{
    [Fact]
    public async Task The_owner_adds_a_member_who_then_sees_the_group()
    {
        using var ann = await app.NewApiUserAsync("Ann Adds");
        using var bo = await app.NewApiUserAsync("Bo Added");
        using var cy = await app.NewApiUserAsync("Cy Early");
        var id = await ann.StartConversationAsync("Team", cy.Id);

        var response = await ann.Http.PostAsJsonAsync($"/api/v1/conversations/{id}/members", new { userId = bo.Id });

        var group = await response.JsonAsync(HttpStatusCode.OK);
        Assert.Contains(group.GetProperty("members").EnumerateArray(), m => m.GetProperty("id").GetInt64() == bo.Id);
        await (await bo.Http.GetAsync($"/api/v1/conversations/{id}")).JsonAsync(HttpStatusCode.OK);
        var lines = ApiSteps.Bodies(await (await bo.Http.GetAsync($"/api/v1/conversations/{id}/messages")).JsonAsync(HttpStatusCode.OK));
        Assert.Contains("Ann Adds added Bo Added.", lines);
    }

    [Fact]
    public async Task Adding_someone_already_in_is_a_409_and_an_unknown_person_is_refused_on_user_id()
    {
        using var ann = await app.NewApiUserAsync("Ann Owner");
        using var bo = await app.NewApiUserAsync("Bo Member");
        var id = await ann.StartConversationAsync("Team", bo.Id);

        var twice = await ann.Http.PostAsJsonAsync($"/api/v1/conversations/{id}/members", new { userId = bo.Id });
        var unknown = await ann.Http.PostAsJsonAsync($"/api/v1/conversations/{id}/members", new { userId = 999999999L });
        var missing = await ann.Http.PostAsJsonAsync($"/api/v1/conversations/{id}/members", new { });
        var wrongType = await ann.Http.SendRawAsync(HttpMethod.Post, $"/api/v1/conversations/{id}/members", """{"userId": "bo"}""");

        await twice.ProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(["There is no user 999999999."], (await unknown.ValidationErrorsAsync())["userId"]);
        Assert.Equal(["userId"], (await missing.ValidationErrorsAsync()).Keys);
        Assert.Equal(["userId must be a whole number."], (await wrongType.ValidationErrorsAsync())["userId"]);
    }

    [Fact]
    public async Task A_member_who_is_not_the_owner_cannot_add_and_a_non_member_gets_404()
    {
        using var ann = await app.NewApiUserAsync("Ann Owner");
        using var bo = await app.NewApiUserAsync("Bo Member");
        using var cy = await app.NewApiUserAsync("Cy Candidate");
        using var eve = await app.NewApiUserAsync("Eve Outsider");
        var id = await ann.StartConversationAsync("Team", bo.Id);
        var direct = await ann.StartConversationAsync(null, bo.Id);

        var byMember = await bo.Http.PostAsJsonAsync($"/api/v1/conversations/{id}/members", new { userId = cy.Id });
        var byOutsider = await eve.Http.PostAsJsonAsync($"/api/v1/conversations/{id}/members", new { userId = eve.Id });
        var toDirect = await ann.Http.PostAsJsonAsync($"/api/v1/conversations/{direct}/members", new { userId = cy.Id });

        await byMember.ProblemAsync(HttpStatusCode.Forbidden);
        await byOutsider.ProblemAsync(HttpStatusCode.NotFound);
        Assert.Contains("direct conversation", (await toDirect.ProblemAsync(HttpStatusCode.Forbidden)).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task The_owner_removes_a_member_who_then_loses_access()
    {
        using var ann = await app.NewApiUserAsync("Ann Remover");
        using var bo = await app.NewApiUserAsync("Bo Removed");
        using var cy = await app.NewApiUserAsync("Cy Stays");
        var id = await ann.StartConversationAsync("Team", bo.Id, cy.Id);

        var removed = await ann.Http.DeleteAsync($"/api/v1/conversations/{id}/members/{bo.Id}");
        var again = await ann.Http.DeleteAsync($"/api/v1/conversations/{id}/members/{bo.Id}");

        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        await again.ProblemAsync(HttpStatusCode.NotFound);
        await (await bo.Http.GetAsync($"/api/v1/conversations/{id}/messages")).ProblemAsync(HttpStatusCode.NotFound);
        Assert.Contains("Ann Remover removed Bo Removed.",
            ApiSteps.Bodies(await (await cy.Http.GetAsync($"/api/v1/conversations/{id}/messages")).JsonAsync(HttpStatusCode.OK)));
    }

    [Fact]
    public async Task A_member_can_leave_but_cannot_remove_anyone_else()
    {
        using var ann = await app.NewApiUserAsync("Ann Owner");
        using var bo = await app.NewApiUserAsync("Bo Leaver");
        using var cy = await app.NewApiUserAsync("Cy Other");
        var id = await ann.StartConversationAsync("Team", bo.Id, cy.Id);

        var removeOther = await bo.Http.DeleteAsync($"/api/v1/conversations/{id}/members/{cy.Id}");
        var leave = await bo.Http.DeleteAsync($"/api/v1/conversations/{id}/members/{bo.Id}");

        await removeOther.ProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.NoContent, leave.StatusCode);
        await (await bo.Http.GetAsync($"/api/v1/conversations/{id}")).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task When_the_owner_leaves_the_longest_standing_member_takes_over()
    {
        using var ann = await app.NewApiUserAsync("Ann Leaving");
        using var bo = await app.NewApiUserAsync("Bo Heir");
        var id = await ann.StartConversationAsync("Team", bo.Id);

        Assert.Equal(HttpStatusCode.NoContent, (await ann.Http.DeleteAsync($"/api/v1/conversations/{id}/members/{ann.Id}")).StatusCode);

        var group = await (await bo.Http.GetAsync($"/api/v1/conversations/{id}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("owner", Assert.Single(group.GetProperty("members").EnumerateArray()).GetProperty("role").GetString());
    }

    [Fact]
    public async Task A_direct_conversation_cannot_be_left_and_a_non_member_gets_404()
    {
        using var ann = await app.NewApiUserAsync("Ann Direct");
        using var bo = await app.NewApiUserAsync("Bo Direct");
        using var eve = await app.NewApiUserAsync("Eve Outsider");
        var id = await ann.StartConversationAsync(null, bo.Id);

        var leave = await ann.Http.DeleteAsync($"/api/v1/conversations/{id}/members/{ann.Id}");
        var outsider = await eve.Http.DeleteAsync($"/api/v1/conversations/{id}/members/{bo.Id}");

        Assert.Contains("hides it", (await leave.ProblemAsync(HttpStatusCode.Forbidden)).GetProperty("detail").GetString());
        await outsider.ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_owner_creates_an_invite_that_someone_accepts_to_join()
    {
        using var ann = await app.NewApiUserAsync("Ann Inviter");
        using var bo = await app.NewApiUserAsync("Bo Member");
        using var cy = await app.NewApiUserAsync("Cy Joiner");
        var id = await ann.StartConversationAsync("Open group", bo.Id);

        var created = await ann.Http.PostAsync($"/api/v1/conversations/{id}/invites", null);
        var invite = await created.JsonAsync(HttpStatusCode.Created);
        var token = invite.GetProperty("token").GetString()!;
        var joined = await cy.Http.PostAsync($"/api/v1/invites/{token}/accept", null);
        var again = await cy.Http.PostAsync($"/api/v1/invites/{token}/accept", null);

        Assert.EndsWith($"/invites/{token}", invite.GetProperty("url").GetString());
        Assert.Equal(id, (await joined.JsonAsync(HttpStatusCode.OK)).GetProperty("id").GetInt64());
        Assert.Equal(id, (await again.JsonAsync(HttpStatusCode.OK)).GetProperty("id").GetInt64());
        var lines = ApiSteps.Bodies(await (await cy.Http.GetAsync($"/api/v1/conversations/{id}/messages")).JsonAsync(HttpStatusCode.OK));
        Assert.Single(lines, "Cy Joiner joined with an invite link.");
    }

    [Fact]
    public async Task Only_the_owner_creates_invites_and_a_non_member_gets_404()
    {
        using var ann = await app.NewApiUserAsync("Ann Owner");
        using var bo = await app.NewApiUserAsync("Bo Member");
        using var eve = await app.NewApiUserAsync("Eve Outsider");
        var id = await ann.StartConversationAsync("Closed group", bo.Id);

        await (await bo.Http.PostAsync($"/api/v1/conversations/{id}/invites", null)).ProblemAsync(HttpStatusCode.Forbidden);
        await (await eve.Http.PostAsync($"/api/v1/conversations/{id}/invites", null)).ProblemAsync(HttpStatusCode.NotFound);
        await (await eve.Http.PostAsync("/api/v1/conversations/999999999/invites", null)).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_unknown_invite_is_404_and_a_withdrawn_one_is_410()
    {
        using var ann = await app.NewApiUserAsync("Ann Withdraws");
        using var bo = await app.NewApiUserAsync("Bo Member");
        using var eve = await app.NewApiUserAsync("Eve Late");
        var id = await ann.StartConversationAsync("Team", bo.Id);
        var token = (await (await ann.Http.PostAsync($"/api/v1/conversations/{id}/invites", null)).JsonAsync(HttpStatusCode.Created))
            .GetProperty("token").GetString()!;
        var invites = app.Services.GetRequiredService<InviteQueries>();
        Assert.True(await invites.RevokeAsync(id, (await invites.FindByTokenAsync(token))!.Id));

        await (await eve.Http.PostAsync("/api/v1/invites/no-such-token/accept", null)).ProblemAsync(HttpStatusCode.NotFound);
        var withdrawn = await eve.Http.PostAsync($"/api/v1/invites/{token}/accept", null);

        Assert.Contains("withdrawn", (await withdrawn.ProblemAsync(HttpStatusCode.Gone)).GetProperty("detail").GetString());
        await (await eve.Http.GetAsync($"/api/v1/conversations/{id}")).ProblemAsync(HttpStatusCode.NotFound);
    }
}

public sealed class MembersApiTestsOnSqlite(SqliteApp app) : MembersApiTests<SqliteApp>(app);

public sealed class MembersApiTestsOnMariaDb(MariaDbApp app) : MembersApiTests<MariaDbApp>(app);
