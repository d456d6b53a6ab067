using System.Net;
using ChatMvc.Caching;
using ChatMvc.Data;
using ChatMvc.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace ChatMvc.Tests.Chat;

public abstract class ManagementTests<TApp>(TApp app) : IClassFixture<TApp>
    where TApp : ChatAppFactory
{
    private async Task<T> ScalarAsync<T>(string sql, object parameters)
    {
        var db = app.Services.GetRequiredService<ChatDb>();
        await using var connection = await db.OpenAsync();
        return (await connection.ExecuteScalarAsync<T>(sql, parameters))!;
    }

    private static long LastMessageId(Page window) => ChatSteps.MessageIds(window.Document)[^1];

    private static IReadOnlyList<string> SystemLines(Page window) =>
        window.Document.QuerySelectorAll("#messages .message-system").Select(p => p.TextContent.Split('(')[0].Trim()).ToList();

    private async Task<string?> MessageBodyAsync(long messageId) =>
        await ScalarAsync<string?>("SELECT body FROM messages WHERE id = @messageId", new { messageId });

    [Fact]
    public async Task Editing_your_own_message_shows_edited_and_reaches_other_open_windows_through_the_poll()
    {
        using var ann = await app.NewPersonAsync("Ann");
        using var bo = await app.NewPersonAsync("Bo");
        var id = await ann.StartConversationAsync(null, bo);
        await ann.SendAsync(id, "Meet at 3");
        var boWindow = await bo.OpenAsync(id);
        var (after, v) = ChatSteps.CursorOf(boWindow.Document);
        var messageId = LastMessageId(boWindow);

        var edited = await ann.SubmitOnAsync($"/conversations/{id}/messages/{messageId}/edit", "form.message-editor",
            new() { ["body"] = "Meet at 4" });

        Assert.Equal(HttpStatusCode.OK, edited.Status);
        var article = edited.Document.QuerySelector($"#message-{messageId}")!;
        Assert.Equal("Meet at 4", article.QuerySelector(".message-body")!.TextContent.Trim());
        Assert.Contains("(edited)", article.TextContent);
        var poll = await bo.PollAsync(id, after, v);
        Assert.Equal(HttpStatusCode.OK, poll.Status);
        var swapped = poll.Fragment.QuerySelector($"#message-{messageId}")!;
        Assert.Equal("true", swapped.GetAttribute("data-hx-swap-oob"));
        Assert.Equal("Meet at 4", swapped.QuerySelector(".message-body")!.TextContent.Trim());
        Assert.Equal(HttpStatusCode.NoContent, (await bo.PollAsync(id, poll.After, poll.V)).Status);
    }

    [Fact]
    public async Task Htmx_edits_and_deletes_tell_the_window_which_message_changed_and_where_the_focus_goes()
    {
        using var ann = await app.NewPersonAsync("Ann");
        using var bo = await app.NewPersonAsync("Bo");
        var id = await ann.StartConversationAsync(null, bo);
        await ann.SendAsync(id, "Meet at 3");
        var window = await ann.OpenAsync(id);
        var messageId = LastMessageId(window);
        var token = window.Document.QuerySelector("#composer input[name=__RequestVerificationToken]")!.GetAttribute("value")!;

        async Task<(HttpStatusCode Status, long Id, string Focus)> HtmxAsync(HttpMethod method, string url, Dictionary<string, string>? form = null)
        {
            using var request = new HttpRequestMessage(method, url);
            request.Headers.Add("HX-Request", "true");
            if (form is not null)
            {
                request.Content = new FormUrlEncodedContent(new Dictionary<string, string>(form) { ["__RequestVerificationToken"] = token });
            }

            using var response = await ann.Client.Http.SendAsync(request);
            using var trigger = System.Text.Json.JsonDocument.Parse(response.Headers.GetValues("HX-Trigger-After-Settle").Single());
            var changed = trigger.RootElement.GetProperty("message-changed");
            return (response.StatusCode, changed.GetProperty("id").GetInt64(), changed.GetProperty("focus").GetString()!);
        }

        var messageUrl = $"/conversations/{id}/messages/{messageId}";
        Assert.Equal((HttpStatusCode.OK, messageId, "editor"), await HtmxAsync(HttpMethod.Get, $"{messageUrl}/edit"));
        Assert.Equal((HttpStatusCode.OK, messageId, "message"), await HtmxAsync(HttpMethod.Get, $"{messageUrl}/view"));
        Assert.Equal((HttpStatusCode.OK, messageId, "message"), await HtmxAsync(HttpMethod.Post, messageUrl, new() { ["body"] = "Meet at 4" }));
        Assert.Equal((HttpStatusCode.OK, messageId, "message"), await HtmxAsync(HttpMethod.Post, $"{messageUrl}/delete", []));
    }

    [Fact]
    public async Task Editing_or_deleting_someone_elses_message_is_refused_and_changes_nothing()
    {
        using var ann = await app.NewPersonAsync("Ann");
        using var bo = await app.NewPersonAsync("Bo");
        var id = await ann.StartConversationAsync(null, bo);
        await ann.SendAsync(id, "Mine");
        var messageId = LastMessageId(await bo.OpenAsync(id));

        var edit = await bo.PostWithTokenAsync($"/conversations/{id}/messages/{messageId}", new() { ["body"] = "Hijacked" });
        var delete = await bo.PostWithTokenAsync($"/conversations/{id}/messages/{messageId}/delete");
        var editPage = await bo.Client.GetAsync($"/conversations/{id}/messages/{messageId}/edit");

        Assert.Equal(HttpStatusCode.Forbidden, edit.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, delete.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, editPage.Status);
        Assert.Equal("Mine", await MessageBodyAsync(messageId));
        Assert.Equal(["Mine"], ChatSteps.MessageTexts((await bo.OpenAsync(id)).Document));
        Assert.Empty((await bo.OpenAsync(id)).Document.QuerySelectorAll(
            $"#message-{messageId} .message-actions a[href$='/edit'], #message-{messageId} .message-actions form[action$='/delete']"));
    }

    [Fact]
    public async Task A_deleted_message_loses_its_body_in_the_database_and_in_the_cache()
    {
        using var ann = await app.NewPersonAsync("Ann");
        using var bo = await app.NewPersonAsync("Bo");
        var id = await ann.StartConversationAsync(null, bo);
        await ann.SendAsync(id, "Secret plan 7431");
        var (after, v) = ChatSteps.CursorOf((await bo.OpenAsync(id)).Document);
        var messageId = LastMessageId(await ann.OpenAsync(id));

        await ann.DeleteMessageAsync(id, messageId);

        Assert.Null(await MessageBodyAsync(messageId));
        var window = await bo.OpenAsync(id);
        Assert.Equal("Message deleted.", window.Document.QuerySelector($"#message-{messageId} .message-body")!.TextContent.Trim());
        Assert.DoesNotContain("Secret plan 7431", window.Document.Body!.InnerHtml);
        var poll = await bo.PollAsync(id, after, v);
        Assert.Equal("Message deleted.", poll.Fragment.QuerySelector($"#message-{messageId} .message-body")!.TextContent.Trim());
        var cache = app.Services.GetRequiredService<ICacheStore>();
        var cached = await cache.ListAllAsync(CacheKeys.RecentMessages(id));
        Assert.NotEmpty(cached);
        Assert.DoesNotContain(cached, item => item.Contains("Secret plan 7431"));
    }

    [Fact]
    public async Task A_groups_owner_may_delete_any_message_in_it_but_a_member_may_not()
    {
        using var ann = await app.NewPersonAsync("Ann Owner");
        using var bo = await app.NewPersonAsync("Bo");
        using var cy = await app.NewPersonAsync("Cy");
        var id = await ann.StartConversationAsync("Moderated", bo, cy);
        await bo.SendAsync(id, "Rude words");
        var messageId = LastMessageId(await bo.OpenAsync(id));

        Assert.Equal(HttpStatusCode.Forbidden, (await cy.PostWithTokenAsync($"/conversations/{id}/messages/{messageId}/delete")).StatusCode);
        Assert.Equal("Rude words", await MessageBodyAsync(messageId));
        await ann.DeleteMessageAsync(id, messageId);

        Assert.Null(await MessageBodyAsync(messageId));
    }

    [Fact]
    public async Task Adding_and_removing_members_and_leaving_write_system_lines_in_the_log()
    {
        using var ann = await app.NewPersonAsync("Ann");
        using var bo = await app.NewPersonAsync("Bo");
        using var cy = await app.NewPersonAsync("Cy");
        using var dee = await app.NewPersonAsync("Dee");
        var id = await ann.StartConversationAsync("Team", bo);

        await ann.SubmitOnAsync($"/conversations/{id}/members", "form.add-members",
            new() { ["selected"] = cy.Id.ToString() });
        var members = await ann.Client.GetAsync($"/conversations/{id}/members?q=Dee");
        await ann.Client.SubmitAsync(members, new() { ["selected"] = dee.Id.ToString() }, "form.add-members");
        await cy.SubmitOnAsync($"/conversations/{id}/members", $"form[action='/conversations/{id}/leave']");
        await ann.SubmitOnAsync($"/conversations/{id}/members", $"#member-{bo.Id} form");

        Assert.Equal(["Ann added Cy.", "Ann added Dee.", "Cy left.", "Ann removed Bo."], SystemLines(await dee.OpenAsync(id)));
    }

    [Fact]
    public async Task A_removed_member_gets_404_on_the_next_request_and_the_next_poll()
    {
        using var ann = await app.NewPersonAsync("Ann");
        using var bo = await app.NewPersonAsync("Bo");
        using var cy = await app.NewPersonAsync("Cy");
        var id = await ann.StartConversationAsync("Shortlived", bo, cy);
        var (after, v) = ChatSteps.CursorOf((await bo.OpenAsync(id)).Document);
        Assert.Equal(HttpStatusCode.NoContent, (await bo.PollAsync(id, after, v)).Status);

        await ann.SubmitOnAsync($"/conversations/{id}/members", $"#member-{bo.Id} form");

        Assert.Equal(HttpStatusCode.NotFound, (await bo.PollAsync(id, after, v)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await bo.Client.GetAsync($"/conversations/{id}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await bo.PostWithTokenAsync($"/conversations/{id}/messages", new() { ["Body"] = "Still here?" })).StatusCode);
    }

    [Fact]
    public async Task When_the_last_owner_leaves_the_longest_standing_member_takes_over_and_the_last_to_leave_deletes_the_group()
    {
        using var ann = await app.NewPersonAsync("Ann");
        using var bo = await app.NewPersonAsync("Bo");
        using var cy = await app.NewPersonAsync("Cy");
        var id = await ann.StartConversationAsync("Handover", bo);
        await Task.Delay(5);
        await ann.SubmitOnAsync($"/conversations/{id}/members", "form.add-members", new() { ["selected"] = cy.Id.ToString() });

        await ann.SubmitOnAsync($"/conversations/{id}/members", $"form[action='/conversations/{id}/leave']");

        Assert.Equal("owner", await ScalarAsync<string>(
            "SELECT role FROM conversation_members WHERE conversation_id = @id AND user_id = @userId", new { id, userId = bo.Id }));
        Assert.Equal("member", await ScalarAsync<string>(
            "SELECT role FROM conversation_members WHERE conversation_id = @id AND user_id = @userId", new { id, userId = cy.Id }));
        Assert.NotNull((await bo.Client.GetAsync($"/conversations/{id}/members")).Document.QuerySelector("form.add-members"));

        await bo.SubmitOnAsync($"/conversations/{id}/members", $"form[action='/conversations/{id}/leave']");
        await cy.SubmitOnAsync($"/conversations/{id}/members", $"form[action='/conversations/{id}/leave']");

        Assert.Equal(0, await ScalarAsync<long>("SELECT COUNT(*) FROM conversations WHERE id = @id", new { id }));
        Assert.Equal(0, await ScalarAsync<long>("SELECT COUNT(*) FROM messages WHERE conversation_id = @id", new { id }));
    }

    [Fact]
    public async Task The_owner_renames_the_group_and_everyone_sees_the_new_title()
    {
        using var ann = await app.NewPersonAsync("Ann");
        using var bo = await app.NewPersonAsync("Bo");
        var id = await ann.StartConversationAsync("Old name", bo);

        await ann.SubmitOnAsync($"/conversations/{id}/members", $"form[action='/conversations/{id}/title']", new() { ["title"] = "New name" });

        var window = await bo.OpenAsync(id);
        Assert.Equal("New name", window.Document.QuerySelector("main h1")!.TextContent.Trim());
        Assert.Contains("Ann renamed the group to “New name”.", SystemLines(window));
        Assert.Equal(HttpStatusCode.Forbidden, (await bo.PostWithTokenAsync($"/conversations/{id}/title", new() { ["title"] = "Mine now" })).StatusCode);
    }

    [Fact]
    public async Task An_invite_link_lets_a_signed_in_person_join_with_one_post()
    {
        using var ann = await app.NewPersonAsync("Ann");
        using var bo = await app.NewPersonAsync("Bo");
        using var cy = await app.NewPersonAsync("Cy Joiner");
        var id = await ann.StartConversationAsync("Open group", bo);
        var link = await CreateInviteAsync(ann, id);

        var invite = await cy.Client.GetAsync(link);
        Assert.Equal("Join “Open group”", invite.Document.QuerySelector("main h1")!.TextContent.Trim());
        var joined = await cy.Client.SubmitAsync(invite, []);

        Assert.Equal($"/conversations/{id}", joined.Path);
        Assert.Contains("Cy Joiner joined with an invite link.", SystemLines(joined));
    }

    [Fact]
    public async Task A_signed_out_person_who_opens_an_invite_signs_in_and_comes_back_to_it()
    {
        using var ann = await app.NewPersonAsync("Ann");
        using var bo = await app.NewPersonAsync("Bo");
        using var cy = await app.NewPersonAsync("Cy");
        var id = await ann.StartConversationAsync("Come back", bo);
        var link = await CreateInviteAsync(ann, id);
        await cy.Client.SignOutAsync();

        var login = await cy.Client.GetAsync(link);
        Assert.StartsWith("/Identity/Account/Login", login.Path);
        var back = await cy.Client.SubmitAsync(login, new()
        {
            ["Input.Email"] = cy.User.Email,
            ["Input.Password"] = cy.User.Password,
        }, "main form#account");

        Assert.Equal(new Uri(link).AbsolutePath, back.Path);
        Assert.Equal("Join “Come back”", back.Document.QuerySelector("main h1")!.TextContent.Trim());
    }

    [Fact]
    public async Task A_revoked_or_expired_invite_cannot_be_used_and_says_so()
    {
        using var ann = await app.NewPersonAsync("Ann");
        using var bo = await app.NewPersonAsync("Bo");
        using var cy = await app.NewPersonAsync("Cy");
        var id = await ann.StartConversationAsync("Closed", bo);
        var revoked = await CreateInviteAsync(ann, id);
        var members = await ann.Client.GetAsync($"/conversations/{id}/members");
        await ann.Client.SubmitAsync(members, [], ".invite-list form");
        var expired = await CreateInviteAsync(ann, id);
        var db = app.Services.GetRequiredService<ChatDb>();
        await using (var connection = await db.OpenAsync())
        {
            await connection.ExecuteAsync(
                "UPDATE invites SET expires_at = 1 WHERE conversation_id = @id AND revoked_at IS NULL", new { id });
        }

        var revokedPage = await cy.Client.GetAsync(revoked);
        var expiredPage = await cy.Client.GetAsync(expired);
        var bogus = await cy.Client.GetAsync("/invites/not-a-real-token");
        var joinRevoked = await cy.PostWithTokenAsync(new Uri(revoked).AbsolutePath);
        var joinExpired = await cy.PostWithTokenAsync(new Uri(expired).AbsolutePath);

        Assert.Equal(HttpStatusCode.Gone, revokedPage.Status);
        Assert.Equal("This invite link was revoked", revokedPage.Document.QuerySelector("main h1")!.TextContent.Trim());
        Assert.Equal(HttpStatusCode.Gone, expiredPage.Status);
        Assert.Equal("This invite link has expired", expiredPage.Document.QuerySelector("main h1")!.TextContent.Trim());
        Assert.Equal(HttpStatusCode.NotFound, bogus.Status);
        Assert.Equal(HttpStatusCode.Gone, joinRevoked.StatusCode);
        Assert.Equal(HttpStatusCode.Gone, joinExpired.StatusCode);
        Assert.Equal(0, await ScalarAsync<long>(
            "SELECT COUNT(*) FROM conversation_members WHERE conversation_id = @id AND user_id = @userId", new { id, userId = cy.Id }));
    }

    [Fact]
    public async Task Concurrent_joins_through_one_invite_add_each_person_once()
    {
        using var ann = await app.NewPersonAsync("Ann");
        using var bo = await app.NewPersonAsync("Bo");
        var joiners = await Task.WhenAll(Enumerable.Range(1, 4).Select(i => app.NewPersonAsync($"Joiner {i}")));
        var id = await ann.StartConversationAsync("Busy", bo);
        var path = new Uri(await CreateInviteAsync(ann, id)).AbsolutePath;

        var responses = await Task.WhenAll(joiners.Concat(joiners).Select(j => j.PostWithTokenAsync(path)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Redirect, r.StatusCode));
        Assert.Equal(6, await ScalarAsync<long>("SELECT COUNT(*) FROM conversation_members WHERE conversation_id = @id", new { id }));
        Assert.Equal(4, await ScalarAsync<long>(
            "SELECT COUNT(*) FROM messages WHERE conversation_id = @id AND kind = 'system'", new { id }));
        foreach (var joiner in joiners)
        {
            joiner.Dispose();
        }
    }

    [Fact]
    public async Task The_owner_deletes_a_group_after_a_confirmation_page_and_it_is_gone_for_everyone()
    {
        using var ann = await app.NewPersonAsync("Ann");
        using var bo = await app.NewPersonAsync("Bo");
        var id = await ann.StartConversationAsync("Doomed", bo);
        await bo.SendAsync(id, "Hello");

        var confirm = await ann.Client.GetAsync($"/conversations/{id}/delete");
        Assert.Contains("cannot be undone", confirm.MainText);
        Assert.Equal(HttpStatusCode.Forbidden, (await bo.Client.GetAsync($"/conversations/{id}/delete")).Status);
        await ann.Client.SubmitAsync(confirm, []);

        Assert.Equal(HttpStatusCode.NotFound, (await bo.Client.GetAsync($"/conversations/{id}")).Status);
        Assert.Equal(0, await ScalarAsync<long>("SELECT COUNT(*) FROM messages WHERE conversation_id = @id", new { id }));
        Assert.Null((await bo.Client.GetAsync("/")).Document.QuerySelector($"#conversation-{id}"));
    }

    [Fact]
    public async Task A_hidden_direct_conversation_leaves_the_list_and_comes_back_with_a_new_message()
    {
        using var ann = await app.NewPersonAsync("Ann");
        using var bo = await app.NewPersonAsync("Bo");
        var id = await ann.StartConversationAsync(null, bo);
        await ann.SendAsync(id, "First");

        await bo.SubmitOnAsync($"/conversations/{id}/members", $"form[action='/conversations/{id}/hide']");
        Assert.Null((await bo.Client.GetAsync("/")).Document.QuerySelector($"#conversation-{id}"));

        await ann.SendAsync(id, "Are you there?");
        Assert.NotNull((await bo.Client.GetAsync("/")).Document.QuerySelector($"#conversation-{id}"));
    }

    [Fact]
    public async Task A_new_display_name_shows_in_the_conversation_and_the_user_page_offers_a_message()
    {
        using var ann = await app.NewPersonAsync("Ann Before");
        using var bo = await app.NewPersonAsync("Bo");
        var userPage = await bo.Client.GetAsync($"/users/{ann.Id}");
        Assert.Equal("Ann Before", userPage.Document.QuerySelector("main h1")!.TextContent.Trim());
        var window = await bo.Client.SubmitAsync(userPage, []);
        var id = ChatSteps.ConversationIdOf(window);
        await ann.SendAsync(id, "Hi Bo");
        await bo.OpenAsync(id);

        var saved = await ann.SubmitOnAsync("/profile", "main form", new() { ["displayName"] = "Ann After" });

        Assert.Contains("Saved", saved.MainText);
        var after = await bo.OpenAsync(id);
        Assert.Equal("Ann After", after.Document.QuerySelector("main h1")!.TextContent.Trim());
        Assert.Equal("Ann After", after.Document.QuerySelector("article.message .message-sender")!.TextContent.Trim());
        var empty = await ann.SubmitOnAsync("/profile", "main form", new() { ["displayName"] = "  " });
        Assert.Equal(HttpStatusCode.BadRequest, empty.Status);
        Assert.Contains("1 to 100 characters", empty.Document.QuerySelector("#display-name-error")!.TextContent);
    }

    [Fact]
    public async Task Deleting_an_account_removes_its_memberships_and_leaves_its_messages_from_deleted_user()
    {
        using var ann = await app.NewPersonAsync("Ann Leaving");
        using var bo = await app.NewPersonAsync("Bo");
        using var cy = await app.NewPersonAsync("Cy");
        var direct = await ann.StartConversationAsync(null, bo);
        await ann.SendAsync(direct, "Goodbye");
        var group = await ann.StartConversationAsync("Ann's group", bo, cy);
        await ann.SendAsync(group, "Group goodbye");

        var page = await ann.Client.GetAsync("/Identity/Account/Manage/DeletePersonalData");
        await ann.Client.SubmitAsync(page, new() { ["Input.Password"] = ann.User.Password }, "form#delete-user");

        Assert.Equal(0, await ScalarAsync<long>("SELECT COUNT(*) FROM conversation_members WHERE user_id = @userId", new { userId = ann.Id }));
        var directWindow = await bo.OpenAsync(direct);
        Assert.Equal("deleted user", directWindow.Document.QuerySelector("article.message .message-sender")!.TextContent.Trim());
        Assert.Equal(["Goodbye"], ChatSteps.MessageTexts(directWindow.Document));
        var groupWindow = await bo.OpenAsync(group);
        Assert.Contains("Group goodbye", ChatSteps.MessageTexts(groupWindow.Document));
        Assert.Equal("owner", await ScalarAsync<string>(
            "SELECT role FROM conversation_members WHERE conversation_id = @group AND user_id = @userId", new { group, userId = bo.Id }));
    }

    private static async Task<string> CreateInviteAsync(Participant owner, long conversationId)
    {
        var created = await owner.SubmitOnAsync($"/conversations/{conversationId}/members", $"form[action='/conversations/{conversationId}/invites']");
        return created.Document.QuerySelector("#new-invite-link")!.GetAttribute("value")!;
    }
}

public sealed class ManagementTestsOnSqlite(SqliteApp app) : ManagementTests<SqliteApp>(app);

public sealed class ManagementTestsOnMariaDb(MariaDbApp app) : ManagementTests<MariaDbApp>(app);
