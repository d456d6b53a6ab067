using System.Net;
using System.Net.Http.Json;
using ChatMvc.Tests.Infrastructure;

namespace ChatMvc.Tests.Api;

public abstract class UsersApiTests<TApp>(TApp app) : IClassFixture<TApp>
    where TApp : ChatAppFactory
{
    [Fact]
    public async Task The_directory_pages_through_people_matching_a_search()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        using var ann = await app.NewApiUserAsync($"Ann {tag}");
        using var bo = await app.NewApiUserAsync($"Bo {tag}");
        using var cy = await app.NewApiUserAsync($"Cy {tag}");

        var first = await (await ann.Http.GetAsync($"/api/v1/users?q={tag}&page=1&pageSize=2")).JsonAsync(HttpStatusCode.OK);
        var second = await (await ann.Http.GetAsync($"/api/v1/users?q={tag}&page=2&pageSize=2")).JsonAsync(HttpStatusCode.OK);

        Assert.Equal([$"Ann {tag}", $"Bo {tag}"], first.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("displayName").GetString()));
        Assert.True(first.GetProperty("paging").GetProperty("hasMore").GetBoolean());
        Assert.Equal([cy.Id], second.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("id").GetInt64()));
        Assert.False(second.GetProperty("paging").GetProperty("hasMore").GetBoolean());
    }

    [Fact]
    public async Task The_directory_shows_names_and_pictures_but_no_one_s_email()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        using var ann = await app.NewApiUserAsync($"Ann {tag}");
        using var bo = await app.NewApiUserAsync($"Bo {tag}");

        var everyone = await ann.Http.GetAsync($"/api/v1/users?page=1&pageSize={ChatMvc.Api.UsersApiController.MaxPageSize}");
        var found = await (await ann.Http.GetAsync($"/api/v1/users?q={tag}")).JsonAsync(HttpStatusCode.OK);
        var one = await (await ann.Http.GetAsync($"/api/v1/users/{bo.Id}")).JsonAsync(HttpStatusCode.OK);

        Assert.DoesNotContain("@", await everyone.Content.ReadAsStringAsync());
        Assert.All(found.GetProperty("items").EnumerateArray(), person =>
            Assert.Equal(["displayName", "id", "imageUrl"], person.EnumerateObject().Select(p => p.Name).Order()));
        Assert.False(one.TryGetProperty("email", out _));
        var me = await (await ann.Http.GetAsync("/api/v1/users/me")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(ann.Account.Email, me.GetProperty("email").GetString());
    }

    [Fact]
    public async Task A_whole_email_address_finds_its_account_and_part_of_one_finds_no_one()
    {
        using var ann = await app.NewApiUserAsync("Ann Typist");
        using var bo = await app.NewApiUserAsync("Bo Addressed");

        var whole = await ann.Http.GetAsync($"/api/v1/users?q={Uri.EscapeDataString(bo.Account.Email.ToUpperInvariant())}");
        var part = await (await ann.Http.GetAsync($"/api/v1/users?q={Uri.EscapeDataString(bo.Account.Email[..12])}")).JsonAsync(HttpStatusCode.OK);

        var wholeText = await whole.Content.ReadAsStringAsync();
        var byEmail = await whole.JsonAsync(HttpStatusCode.OK);
        Assert.Equal([bo.Id], byEmail.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("id").GetInt64()));
        Assert.DoesNotContain(bo.Account.Email, wholeText, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(part.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Conversations_members_and_messages_carry_no_one_s_email()
    {
        using var ann = await app.NewApiUserAsync("Ann Private");
        using var bo = await app.NewApiUserAsync("Bo Private");
        var id = await ann.StartConversationAsync("Private group", bo.Id);
        await ann.SendAsync(id, "No addresses here");

        foreach (var url in new[] { "/api/v1/conversations", $"/api/v1/conversations/{id}", $"/api/v1/conversations/{id}/messages" })
        {
            var response = await bo.Http.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var text = await response.Content.ReadAsStringAsync();
            Assert.DoesNotContain(ann.Account.Email, text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(bo.Account.Email, text, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task Paging_the_directory_with_bad_numbers_names_each_parameter()
    {
        using var ann = await app.NewApiUserAsync("Ann Pager");

        var outOfRange = await ann.Http.GetAsync("/api/v1/users?page=0&pageSize=500");
        var notANumber = await ann.Http.GetAsync("/api/v1/users?page=abc");

        Assert.Equal(["page", "pageSize"], (await outOfRange.ValidationErrorsAsync()).Keys.Order());
        Assert.Equal(["page"], (await notANumber.ValidationErrorsAsync()).Keys);
    }

    [Fact]
    public async Task Me_is_the_signed_in_account()
    {
        using var ann = await app.NewApiUserAsync("Ann Me");

        var me = await (await ann.Http.GetAsync("/api/v1/users/me")).JsonAsync(HttpStatusCode.OK);

        Assert.Equal(ann.Id, me.GetProperty("id").GetInt64());
        Assert.Equal("Ann Me", me.GetProperty("displayName").GetString());
        Assert.Equal(ann.Account.Email, me.GetProperty("email").GetString());
    }

    [Fact]
    public async Task A_person_is_found_by_id_and_an_unknown_id_is_a_404()
    {
        using var ann = await app.NewApiUserAsync("Ann Finder");
        using var bo = await app.NewApiUserAsync("Bo Found");

        var person = await (await ann.Http.GetAsync($"/api/v1/users/{bo.Id}")).JsonAsync(HttpStatusCode.OK);
        var unknown = await ann.Http.GetAsync("/api/v1/users/999999999");

        Assert.Equal("Bo Found", person.GetProperty("displayName").GetString());
        await unknown.ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Renaming_shows_the_new_name_on_messages_already_sent()
    {
        using var ann = await app.NewApiUserAsync("Ann Old");
        using var bo = await app.NewApiUserAsync("Bo Reader");
        var id = await ann.StartConversationAsync(null, bo.Id);
        await ann.SendAsync(id, "Before the rename");
        await bo.Http.GetAsync($"/api/v1/conversations/{id}/messages");

        var renamed = await (await ann.Http.PutAsJsonAsync("/api/v1/users/me", new { displayName = " Ann New " })).JsonAsync(HttpStatusCode.OK);

        Assert.Equal("Ann New", renamed.GetProperty("displayName").GetString());
        var page = await (await bo.Http.GetAsync($"/api/v1/conversations/{id}/messages")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("Ann New", page.GetProperty("items")[0].GetProperty("sender").GetProperty("displayName").GetString());
    }

    [Fact]
    public async Task Renaming_to_a_blank_or_overlong_name_or_a_number_is_refused_per_field()
    {
        using var ann = await app.NewApiUserAsync("Ann Keep");

        var blank = await ann.Http.PutAsJsonAsync("/api/v1/users/me", new { displayName = "  " });
        var overlong = await ann.Http.PutAsJsonAsync("/api/v1/users/me", new { displayName = new string('a', 101) });
        var number = await ann.Http.SendRawAsync(HttpMethod.Put, "/api/v1/users/me", """{"displayName": 7}""");
        var malformed = await ann.Http.SendRawAsync(HttpMethod.Put, "/api/v1/users/me", """{"displayName": "x""");

        Assert.Equal(["A display name needs 1 to 100 characters."], (await blank.ValidationErrorsAsync())["displayName"]);
        Assert.Equal(["A display name needs 1 to 100 characters."], (await overlong.ValidationErrorsAsync())["displayName"]);
        Assert.Equal(["displayName must be a string."], (await number.ValidationErrorsAsync())["displayName"]);
        await malformed.ProblemAsync(HttpStatusCode.BadRequest);
        var me = await (await ann.Http.GetAsync("/api/v1/users/me")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("Ann Keep", me.GetProperty("displayName").GetString());
    }

    [Fact]
    public async Task Deleting_the_account_needs_its_password()
    {
        using var ann = await app.NewApiUserAsync("Ann Careful");

        var withoutBody = await ann.Http.DeleteAsync("/api/v1/users/me");
        var wrongPassword = await ann.Http.SendJsonAsync(HttpMethod.Delete, "/api/v1/users/me", new { password = "guess" });

        Assert.Equal(["password"], (await withoutBody.ValidationErrorsAsync()).Keys);
        Assert.Equal(["password"], (await wrongPassword.ValidationErrorsAsync()).Keys);
        Assert.Equal(HttpStatusCode.OK, (await ann.Http.GetAsync("/api/v1/users/me")).StatusCode);
    }

    [Fact]
    public async Task A_deleted_account_keeps_its_messages_and_its_tokens_stop_working()
    {
        using var ann = await app.NewApiUserAsync("Ann Leaving");
        using var bo = await app.NewApiUserAsync("Bo Staying");
        var id = await ann.StartConversationAsync(null, bo.Id);
        await ann.SendAsync(id, "Goodbye");

        var deleted = await ann.Http.SendJsonAsync(HttpMethod.Delete, "/api/v1/users/me", new { password = ann.Account.Password });

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await (await ann.Http.GetAsync("/api/v1/users/me")).ProblemAsync(HttpStatusCode.Unauthorized);
        await (await ann.Http.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = ann.RefreshToken })).ProblemAsync(HttpStatusCode.Unauthorized);
        await (await bo.Http.GetAsync($"/api/v1/users/{ann.Id}")).ProblemAsync(HttpStatusCode.NotFound);
        var page = await (await bo.Http.GetAsync($"/api/v1/conversations/{id}/messages")).JsonAsync(HttpStatusCode.OK);
        var sender = page.GetProperty("items")[0].GetProperty("sender");
        Assert.Equal("deleted user", sender.GetProperty("displayName").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, sender.GetProperty("id").ValueKind);
    }

    [Fact]
    public async Task A_signed_in_browser_can_read_the_api_with_its_cookie()
    {
        using var ann = await app.NewPersonAsync("Ann Cookie");

        var me = await (await ann.Client.Http.GetAsync("/api/v1/users/me")).JsonAsync(HttpStatusCode.OK);

        Assert.Equal(ann.Id, me.GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task With_both_a_cookie_and_a_bearer_token_the_token_decides_who_acts()
    {
        using var ann = await app.NewPersonAsync("Ann Cookie");
        using var bo = await app.NewApiUserAsync("Bo Token");
        ann.Client.Http.DefaultRequestHeaders.Authorization = bo.Http.DefaultRequestHeaders.Authorization;

        var me = await (await ann.Client.Http.GetAsync("/api/v1/users/me")).JsonAsync(HttpStatusCode.OK);
        var renamed = await ann.Client.Http.PutAsJsonAsync("/api/v1/users/me", new { displayName = "Bo Renamed" });

        Assert.Equal(bo.Id, me.GetProperty("id").GetInt64());
        Assert.Equal(bo.Id, (await renamed.JsonAsync(HttpStatusCode.OK)).GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task A_change_made_with_the_cookie_needs_the_antiforgery_header()
    {
        using var ann = await app.NewPersonAsync("Ann Forged");
        var token = (await ann.Client.GetAsync("/conversations/new")).Document
            .QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;

        var forged = await ann.Client.Http.PutAsJsonAsync("/api/v1/users/me", new { displayName = "Hijacked" });
        using var request = new HttpRequestMessage(HttpMethod.Put, "/api/v1/users/me") { Content = JsonContent.Create(new { displayName = "Ann Renamed" }) };
        request.Headers.Add("RequestVerificationToken", token);
        var genuine = await ann.Client.Http.SendAsync(request);

        var problem = await forged.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("RequestVerificationToken", problem.GetProperty("detail").GetString());
        Assert.Equal("Ann Renamed", (await genuine.JsonAsync(HttpStatusCode.OK)).GetProperty("displayName").GetString());
        var profile = await ann.Client.GetAsync("/profile");
        Assert.Equal("Ann Renamed", profile.Document.QuerySelector("#display-name")!.GetAttribute("value"));
    }

    [Fact]
    public async Task The_time_zone_is_read_and_changed_on_me_and_an_unknown_one_is_refused_per_field()
    {
        using var ann = await app.NewApiUserAsync("Ann Api Zone");

        var before = await (await ann.Http.GetAsync("/api/v1/users/me")).JsonAsync(HttpStatusCode.OK);
        var unknown = await ann.Http.PutAsJsonAsync("/api/v1/users/me", new { displayName = "Ann Elsewhere", timeZone = "Atlantis/Capital" });
        var changed = await (await ann.Http.PutAsJsonAsync("/api/v1/users/me", new { displayName = "Ann Api Zone", timeZone = "Europe/Paris" }))
            .JsonAsync(HttpStatusCode.OK);
        var renamedOnly = await (await ann.Http.PutAsJsonAsync("/api/v1/users/me", new { displayName = "Ann Api Zone" })).JsonAsync(HttpStatusCode.OK);

        Assert.Equal("UTC", before.GetProperty("timeZone").GetString());
        var error = Assert.Single((await unknown.ValidationErrorsAsync())["timeZone"]);
        Assert.Contains("'Atlantis/Capital' is not a time zone this server knows", error);
        Assert.Equal("Europe/Paris", changed.GetProperty("timeZone").GetString());
        Assert.Equal("Europe/Paris", renamedOnly.GetProperty("timeZone").GetString());
        var me = await (await ann.Http.GetAsync("/api/v1/users/me")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("Europe/Paris", me.GetProperty("timeZone").GetString());
        Assert.Equal("Ann Api Zone", me.GetProperty("displayName").GetString());
    }
}

public sealed class UsersApiTestsOnSqlite(SqliteApp app) : UsersApiTests<SqliteApp>(app);

public sealed class UsersApiTestsOnMariaDb(MariaDbApp app) : UsersApiTests<MariaDbApp>(app);
