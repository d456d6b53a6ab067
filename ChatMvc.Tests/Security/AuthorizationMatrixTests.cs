using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using ChatMvc.Data;
using ChatMvc.Images;
using ChatMvc.Tests.Api;
using ChatMvc.Tests.Images;
using ChatMvc.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace ChatMvc.Tests.Security;

// Who may do what, for every route in the app's own route table: anonymous, a signed-in outsider, a member of a
// group, its owner (who also wrote the message in it) and an administrator (an outsider to every group unless the row
// says otherwise) each get the status in the row. Each row starts from a
// fresh group with a message, an invite and a photo, and the people try in that order, so the owner's
// destructive actions come last. Pages use the browser's cookies and a valid antiforgery token, the API bearer
// tokens; a route added without a row, or a row whose route is gone, fails the first test.
public abstract class AuthorizationMatrixTests<TApp>(AuthorizationMatrixTests<TApp>.World world) : IClassFixture<AuthorizationMatrixTests<TApp>.World>
    where TApp : ChatAppFactory, new()
{
    // The sign-in page: a 302 there, or for an htmx request a 401 whose HX-Redirect names it.
    private const int Login = -1;

    private static readonly Row[] Table =
    [
        // The conversation list and starting a conversation: anyone signed in.
        Page("GET /", "/", Login, 200, 200, 200),
        Page("GET /conversations", "/conversations", Login, 200, 200, 200),
        Page("GET /conversations/poll", "/conversations/poll?v=0", Login, 200, 200, 200) with { Htmx = true },
        Page("GET /conversations/new", "/conversations/new", Login, 200, 200, 200),
        // Search: anyone signed in, over their own conversations only.
        Page("GET /search", "/search?q=matrix", Login, 200, 200, 200),
        // The @ picker's members: only for members of the conversation.
        Page("GET /conversations/{conversationId}/mentions", "/conversations/{c}/mentions?q=a", Login, 404, 200, 200),
        // The Search button without JavaScript, sent on to the search's own address.
        Page("POST /conversations/new", "/conversations/new", Login, 302, 302, 302) with
        {
            Form = (_, _, _) => new() { ["q"] = "matrix" },
        },
        Page("POST /conversations", "/conversations", Login, 302, 302, 302) with
        {
            Form = (w, _, _) => new() { ["selected"] = $"{w.Target.Id}", ["title"] = "Started from the matrix" },
        },

        // One conversation: members only, the owner's tools for the owner, editing for the author.
        Page("GET /conversations/{conversationId}", "/conversations/{c}", Login, 404, 200, 200),
        Page("GET /conversations/{conversationId}/messages", "/conversations/{c}/messages?before={m}", Login, 404, 200, 200) with { Htmx = true },
        Page("GET /conversations/{conversationId}/poll", "/conversations/{c}/poll?after=0&v=0", Login, 404, 200, 200) with { Htmx = true },
        Page("POST /conversations/{conversationId}/messages", "/conversations/{c}/messages", Login, 404, 302, 302) with
        {
            Form = (_, _, _) => new() { ["Body"] = "Sent from the matrix" },
        },
        Page("GET /conversations/{conversationId}/messages/{messageId}/view", "/conversations/{c}/messages/{m}/view", Login, 404, 200, 200) with { Htmx = true },
        Page("GET /conversations/{conversationId}/messages/{messageId}/edit", "/conversations/{c}/messages/{m}/edit", Login, 404, 403, 200),
        Page("POST /conversations/{conversationId}/messages/{messageId}", "/conversations/{c}/messages/{m}", Login, 404, 403, 302) with
        {
            Form = (_, _, _) => new() { ["body"] = "Edited from the matrix" },
        },
        Page("GET /conversations/{conversationId}/messages/{messageId}/delete", "/conversations/{c}/messages/{m}/delete", Login, 404, 403, 200),
        Page("POST /conversations/{conversationId}/messages/{messageId}/delete", "/conversations/{c}/messages/{m}/delete", Login, 404, 403, 302),
        Page("GET /conversations/{conversationId}/messages/{messageId}/photo", "/conversations/{c}/messages/{pm}/photo", Login, 404, 200, 200),
        Page("GET /conversations/{conversationId}/files/{fileId}", "/conversations/{c}/files/{file}", Login, 404, 200, 200),
        // Reactions and replies: any member.
        Page("GET /conversations/{conversationId}/messages/{messageId}/reactions", "/conversations/{c}/messages/{m}/reactions", Login, 404, 200, 200),
        Page("POST /conversations/{conversationId}/messages/{messageId}/reactions", "/conversations/{c}/messages/{m}/reactions", Login, 404, 302, 302) with
        {
            Form = (_, _, _) => new() { ["emoji"] = "👍" },
        },
        Page("GET /conversations/{conversationId}/messages/{messageId}/reply", "/conversations/{c}/messages/{m}/reply", Login, 404, 200, 200) with { Htmx = true },
        Page("GET /conversations/{conversationId}/members", "/conversations/{c}/members", Login, 404, 200, 200),
        Page("POST /conversations/{conversationId}/members", "/conversations/{c}/members", Login, 404, 403, 302) with
        {
            Form = (w, _, _) => new() { ["selected"] = $"{w.Outsider.Id}" },
        },
        Page("POST /conversations/{conversationId}/members/{userId}/remove", "/conversations/{c}/members/{target}/remove", Login, 404, 403, 302),
        Page("POST /conversations/{conversationId}/leave", "/conversations/{c}/leave", Login, 404, 302, 302),
        Page("POST /conversations/{conversationId}/everyone", "/conversations/{c}/everyone", Login, 404, 403, 302) with
        {
            Form = (_, _, _) => new() { ["ownersOnly"] = "false" },
        },
        // Each member's own notification level.
        Page("POST /conversations/{conversationId}/notifications", "/conversations/{c}/notifications", Login, 404, 302, 302) with
        {
            Form = (_, _, _) => new() { ["level"] = "all" },
        },
        Page("POST /conversations/{conversationId}/title", "/conversations/{c}/title", Login, 404, 403, 302) with
        {
            Form = (_, _, _) => new() { ["title"] = "Renamed from the matrix" },
        },
        // Hiding is for a direct conversation (the owner's with the member).
        Page("POST /conversations/{conversationId}/hide", "/conversations/{d}/hide", Login, 404, 302, 302),
        Page("GET /conversations/{conversationId}/delete", "/conversations/{c}/delete", Login, 404, 403, 200),
        Page("POST /conversations/{conversationId}/delete", "/conversations/{c}/delete", Login, 404, 403, 302),
        Page("POST /conversations/{conversationId}/invites", "/conversations/{c}/invites", Login, 404, 403, 200) with
        {
            Form = (_, _, _) => new() { ["expiresInHours"] = "24" },
        },
        Page("POST /conversations/{conversationId}/invites/{inviteId}/revoke", "/conversations/{c}/invites/{i}/revoke", Login, 404, 403, 302),

        // A group's bots: its owner's (and administrators').
        Page("GET /conversations/{conversationId}/bots", "/conversations/{c}/bots", Login, 404, 403, 200),
        Page("POST /conversations/{conversationId}/bots", "/conversations/{c}/bots", Login, 404, 403, 200) with
        {
            Form = (_, _, _) => new() { ["name"] = "Matrix CI" },
        },
        Page("POST /conversations/{conversationId}/bots/{botId:long}/revoke", "/conversations/{c}/bots/{bot}/revoke", Login, 404, 403, 302),

        // An invite link lets in whoever holds it; members are sent straight to the conversation.
        Page("GET /invites/{token}", "/invites/{t}", Login, 200, 302, 302),
        Page("POST /invites/{token}", "/invites/{t}", Login, 302, 302, 302),

        // A photo is for the members of its conversation.
        Page("GET /images/{imageId:long}/{variant}", "/images/{img}/thumb", Login, 404, 200, 200),

        // Profiles: one's own, and anyone's public one.
        Page("GET /profile", "/profile", Login, 200, 200, 200),
        Page("POST /profile", "/profile", Login, 200, 200, 200) with { Form = (_, who, _) => new() { ["displayName"] = who.Name } },
        Page("POST /profile/avatar", "/profile/avatar", Login, 200, 200, 200) with { FileField = "avatar" },
        Page("POST /profile/avatar/delete", "/profile/avatar/delete", Login, 200, 200, 200),
        Page("POST /profile/missed-mail", "/profile/missed-mail", Login, 302, 302, 302) with { Form = (_, _, _) => new() { ["wanted"] = "true" } },
        // The missed-message mail's link works signed out: what it needs is the token only the app can make.
        Page("GET /notifications/unsubscribe", "/notifications/unsubscribe?token=forged", 400, 400, 400, 400),
        Page("POST /notifications/unsubscribe", "/notifications/unsubscribe?token=forged", 400, 400, 400, 400),
        Page("GET /users/{id:long}", "/users/{target}", Login, 200, 200, 200),

        // Open to all: health, the benchmarks' baselines (one behind the sign-in), the API description, the error and
        // status pages.
        Page("GET /healthz", "/healthz", 200, 200, 200, 200),
        Page("POST /healthz", "/healthz", 200, 200, 200, 200),
        Page("GET /bench/bare", "/bench/bare", 204, 204, 204, 204),
        Page("GET /bench/auth", "/bench/auth", Login, 204, 204, 204),
        Page("GET /openapi/{documentName}.json", "/openapi/v1.json", 200, 200, 200, 200),
        // Only the exception handler has anything to show there.
        Page("GET /error", "/error", 404, 404, 404, 404),
        Page("POST /error", "/error", 404, 404, 404, 404),
        Page("GET /status/{code:int}", "/status/404", 200, 200, 200, 200),
        Page("POST /status/{code:int}", "/status/404", 200, 200, 200, 200),

        // The API: 401 without a token, then as the pages.
        Api("POST /api/v1/auth/register", "/api/v1/auth/register", 201, 201, 201, 201) with
        {
            Json = (_, _, _) => new { email = $"{Guid.NewGuid():N}@example.test", password = AccountSteps.Password, displayName = "Matrix Newcomer" },
        },
        Api("POST /api/v1/auth/login", "/api/v1/auth/login", 200, 200, 200, 200) with
        {
            Json = (w, _, _) => new { email = w.Target.Account!.Email, password = AccountSteps.Password },
        },
        Api("POST /api/v1/auth/refresh", "/api/v1/auth/refresh", 200, 200, 200, 200) with
        {
            // A refresh token works once: each caller presents another of the target's.
            Json = (w, who, _) => new { refreshToken = w.TargetRefreshTokens[w.People.ToList().IndexOf(who)] },
        },
        Api("GET /api/v1/conversations", "/api/v1/conversations", 401, 200, 200, 200),
        Api("GET /api/v1/search", "/api/v1/search?q=matrix", 401, 200, 200, 200),
        Api("GET /api/v1/mentions", "/api/v1/mentions", 401, 200, 200, 200),
        Api("POST /api/v1/conversations", "/api/v1/conversations", 401, 201, 201, 201) with
        {
            Json = (w, _, _) => new { participantIds = new[] { w.Target.Id }, title = "Started through the API" },
        },
        // The owner's direct conversation with the member: no one else finds it.
        Api("GET /api/v1/conversations/with/{userId:long}", "/api/v1/conversations/with/{member}", 401, 404, 404, 200),
        Api("GET /api/v1/conversations/{id:long}", "/api/v1/conversations/{c}", 401, 404, 200, 200),
        Api("DELETE /api/v1/conversations/{id:long}", "/api/v1/conversations/{c}", 401, 404, 403, 204),
        Api("PUT /api/v1/conversations/{id:long}/notifications", "/api/v1/conversations/{c}/notifications", 401, 404, 200, 200) with
        {
            Json = (_, _, _) => new { level = "all" },
        },
        Api("GET /api/v1/conversations/{id:long}/messages", "/api/v1/conversations/{c}/messages", 401, 404, 200, 200),
        Api("POST /api/v1/conversations/{id:long}/messages", "/api/v1/conversations/{c}/messages", 401, 404, 201, 201) with
        {
            Json = (_, _, _) => new { body = "Sent through the API" },
        },
        Api("POST /api/v1/conversations/{id:long}/messages/file", "/api/v1/conversations/{c}/messages/file", 401, 404, 201, 201) with
        {
            FileField = "file",
        },
        Api("GET /api/v1/conversations/{id:long}/files/{fileId:long}", "/api/v1/conversations/{c}/files/{file}", 401, 404, 200, 200),
        Api("POST /api/v1/conversations/{id:long}/messages/image", "/api/v1/conversations/{c}/messages/image", 401, 404, 201, 201) with
        {
            FileField = "file",
        },
        Api("PATCH /api/v1/conversations/{id:long}/messages/{messageId:long}", "/api/v1/conversations/{c}/messages/{m}", 401, 404, 403, 200) with
        {
            Json = (_, _, _) => new { body = "Edited through the API" },
        },
        Api("DELETE /api/v1/conversations/{id:long}/messages/{messageId:long}", "/api/v1/conversations/{c}/messages/{m}", 401, 404, 403, 204),
        Api("POST /api/v1/conversations/{id:long}/messages/{messageId:long}/reactions", "/api/v1/conversations/{c}/messages/{m}/reactions", 401, 404, 200, 200) with
        {
            Json = (_, _, _) => new { emoji = "👍" },
        },
        Api("DELETE /api/v1/conversations/{id:long}/messages/{messageId:long}/reactions", "/api/v1/conversations/{c}/messages/{m}/reactions", 401, 404, 200, 200) with
        {
            Json = (_, _, _) => new { emoji = "👍" },
        },
        Api("POST /api/v1/conversations/{id:long}/members", "/api/v1/conversations/{c}/members", 401, 404, 403, 200) with
        {
            Json = (w, _, _) => new { userId = w.Outsider.Id },
        },
        Api("DELETE /api/v1/conversations/{id:long}/members/{userId:long}", "/api/v1/conversations/{c}/members/{target}", 401, 404, 403, 204),
        Api("POST /api/v1/conversations/{id:long}/invites", "/api/v1/conversations/{c}/invites", 401, 404, 403, 201),
        Api("POST /api/v1/invites/{token}/accept", "/api/v1/invites/{t}/accept", 401, 200, 200, 200),
        Api("GET /api/v1/conversations/{id:long}/bots", "/api/v1/conversations/{c}/bots", 401, 404, 403, 200),
        Api("POST /api/v1/conversations/{id:long}/bots", "/api/v1/conversations/{c}/bots", 401, 404, 403, 201) with
        {
            Json = (_, _, _) => new { name = "Matrix CI" },
        },
        Api("DELETE /api/v1/conversations/{id:long}/bots/{botId:long}", "/api/v1/conversations/{c}/bots/{bot}", 401, 404, 403, 204),
        // A bot's webhook: the key in the address is the credential, whoever sends it.
        Api("POST /hooks/{key}", "/hooks/{k}", 201, 201, 201, 201) with
        {
            Json = (_, _, _) => new { text = "Posted by the matrix's bot" },
        },
        Api("GET /api/v1/images/{imageId:long}/{variant}", "/api/v1/images/{img}/thumb", 401, 404, 200, 200),
        Api("GET /api/v1/users", "/api/v1/users", 401, 200, 200, 200),
        Api("GET /api/v1/users/{id:long}", "/api/v1/users/{target}", 401, 200, 200, 200),
        // Everyone's picture is for everyone signed in.
        Api("GET /api/v1/users/{id:long}/image", "/api/v1/users/{target}/image", 401, 200, 200, 200),
        Api("GET /api/v1/users/me", "/api/v1/users/me", 401, 200, 200, 200),
        Api("PUT /api/v1/users/me", "/api/v1/users/me", 401, 200, 200, 200) with { Json = (_, who, _) => new { displayName = who.Name } },
        // Past the door, but without the password nothing is deleted: 400.
        Api("DELETE /api/v1/users/me", "/api/v1/users/me", 401, 400, 400, 400) with { Json = (_, _, _) => new { password = "not the password" } },
        Api("PUT /api/v1/users/me/image", "/api/v1/users/me/image", 401, 200, 200, 200) with { FileField = "file" },
        Api("DELETE /api/v1/users/me/image", "/api/v1/users/me/image", 401, 204, 204, 204),

        // The admin area: administrators only, 404 for everyone else signed in. The changes are idempotent, so rows that
        // undo each other (promote and demote, deactivate and reactivate) hold in any order; the subject never acts.
        Page("GET /admin", "/admin", Login, 404, 404, 404) with { Administrator = 200 },
        Page("GET /admin/people/new", "/admin/people/new", Login, 404, 404, 404) with { Administrator = 200 },
        Page("POST /admin/people", "/admin/people", Login, 404, 404, 404) with
        {
            Administrator = 302,
            Form = (_, _, _) => new() { ["email"] = $"{Guid.NewGuid():N}@example.test", ["displayName"] = "Made by the matrix", ["password"] = AccountSteps.Password },
        },
        Page("POST /admin/people/{id:long}/promote", "/admin/people/{subject}/promote", Login, 404, 404, 404) with { Administrator = 302 },
        Page("POST /admin/people/{id:long}/demote", "/admin/people/{subject}/demote", Login, 404, 404, 404) with { Administrator = 302 },
        Page("POST /admin/people/{id:long}/deactivate", "/admin/people/{subject}/deactivate", Login, 404, 404, 404) with { Administrator = 302 },
        Page("POST /admin/people/{id:long}/reactivate", "/admin/people/{subject}/reactivate", Login, 404, 404, 404) with { Administrator = 302 },
        Page("POST /admin/people/{id:long}/reset-two-factor", "/admin/people/{subject}/reset-two-factor", Login, 404, 404, 404) with { Administrator = 302 },
        Page("GET /admin/settings", "/admin/settings", Login, 404, 404, 404) with { Administrator = 200 },
        Page("POST /admin/settings", "/admin/settings", Login, 404, 404, 404) with
        {
            Administrator = 302,
            Form = (_, _, _) => new() { ["registrationMode"] = "open", ["allowedEmailDomains"] = string.Empty },
        },
        Page("POST /admin/settings/join-link", "/admin/settings/join-link", Login, 404, 404, 404) with { Administrator = 302 },
        Page("GET /admin/audit", "/admin/audit", Login, 404, 404, 404) with { Administrator = 200 },
        Api("GET /api/v1/admin/users", "/api/v1/admin/users", 401, 404, 404, 404) with { Administrator = 200 },
        Api("POST /api/v1/admin/users", "/api/v1/admin/users", 401, 404, 404, 404) with
        {
            Administrator = 201,
            Json = (_, _, _) => new { email = $"{Guid.NewGuid():N}@example.test", password = AccountSteps.Password, displayName = "Made through the API" },
        },
        Api("POST /api/v1/admin/users/{id:long}/promote", "/api/v1/admin/users/{subject}/promote", 401, 404, 404, 404) with { Administrator = 200 },
        Api("POST /api/v1/admin/users/{id:long}/demote", "/api/v1/admin/users/{subject}/demote", 401, 404, 404, 404) with { Administrator = 200 },
        Api("POST /api/v1/admin/users/{id:long}/deactivate", "/api/v1/admin/users/{subject}/deactivate", 401, 404, 404, 404) with { Administrator = 200 },
        Api("POST /api/v1/admin/users/{id:long}/reactivate", "/api/v1/admin/users/{subject}/reactivate", 401, 404, 404, 404) with { Administrator = 200 },
        Api("POST /api/v1/admin/users/{id:long}/reset-two-factor", "/api/v1/admin/users/{subject}/reset-two-factor", 401, 404, 404, 404) with { Administrator = 200 },
        Api("GET /api/v1/admin/settings", "/api/v1/admin/settings", 401, 404, 404, 404) with { Administrator = 200 },
        Api("PUT /api/v1/admin/settings", "/api/v1/admin/settings", 401, 404, 404, 404) with
        {
            Administrator = 200,
            Json = (_, _, _) => new { registrationMode = "open", allowedEmailDomains = Array.Empty<string>() },
        },
        Api("POST /api/v1/admin/settings/join-link", "/api/v1/admin/settings/join-link", 401, 404, 404, 404) with { Administrator = 200 },
        Api("GET /api/v1/admin/audit", "/api/v1/admin/audit", 401, 404, 404, 404) with { Administrator = 200 },

        // The Identity UI's account pages, each posted without input. A page with no handler for POST shows itself.
        .. OpenPage("Account/AccessDenied", get: 200, post: 200),
        // Without a user id and code these go to the start page.
        .. OpenPage("Account/ConfirmEmail", get: 302, post: 200),
        .. OpenPage("Account/ConfirmEmailChange", get: 302, post: 200),
        .. OpenPage("Account/RegisterConfirmation", get: 302, post: 200),
        // No identity provider is configured here (SingleSignOnTests sign in through one): back to the sign-in page.
        .. OpenPage("Account/ExternalLogin", get: Login, post: Login),
        // Only after the identity provider vouched for the address of a local account; otherwise the page that says
        // the sign-in expired.
        .. OpenPage("Account/LinkLogin", get: 302, post: 302),
        .. OpenPage("Account/ForgotPassword", get: 200, post: 200),
        .. OpenPage("Account/ForgotPasswordConfirmation", get: 200, post: 200),
        .. OpenPage("Account/Lockout", get: 200, post: 200),
        .. OpenPage("Account/Login", get: 200, post: 200),
        // Only between the password and the code of a two-factor sign-in; otherwise back to the sign-in page.
        .. OpenPage("Account/LoginWith2fa", get: Login, post: Login),
        .. OpenPage("Account/LoginWithRecoveryCode", get: Login, post: Login),
        .. OpenPage("Account/Logout", get: 200, post: 302),
        .. OpenPage("Account/Register", get: 200, post: 400),
        .. OpenPage("Account/ResendEmailConfirmation", get: 200, post: 200),
        // A reset link without its code is a bad request.
        .. OpenPage("Account/ResetPassword", get: 400, post: 200),
        .. OpenPage("Account/ResetPasswordConfirmation", get: 200, post: 200),
        .. OpenPage("Error", get: 200, post: 200),
        // Not a second profile: the account index sends people to /profile.
        .. SignedInPage("Account/Manage", get: 302, post: 302),
        .. SignedInPage("Account/Manage/Index", get: 302, post: 302),
        .. SignedInPage("Account/Manage/ChangePassword", get: 200, post: 200),
        // Without the password nothing is deleted: the page again, with the error.
        .. SignedInPage("Account/Manage/DeletePersonalData", get: 200, post: 400),
        // Two-factor pages for an account without two-factor sign-in send it to the overview.
        .. SignedInPage("Account/Manage/Disable2fa", get: 302, post: 302),
        .. SignedInPage("Account/Manage/DownloadPersonalData", get: 404, post: 200),
        .. SignedInPage("Account/Manage/Email", get: 200, post: 200),
        .. SignedInPage("Account/Manage/EnableAuthenticator", get: 200, post: 200),
        .. SignedInPage("Account/Manage/ExternalLogins", get: 200, post: 200),
        .. SignedInPage("Account/Manage/GenerateRecoveryCodes", get: 302, post: 302),
        .. SignedInPage("Account/Manage/PersonalData", get: 200, post: 200),
        .. SignedInPage("Account/Manage/ResetAuthenticator", get: 200, post: 302),
        // An account with a password changes it instead.
        .. SignedInPage("Account/Manage/SetPassword", get: 302, post: 200),
        // The codes are shown once, right after they are made; later the overview instead.
        .. SignedInPage("Account/Manage/ShowRecoveryCodes", get: 302, post: 200),
        .. SignedInPage("Account/Manage/TwoFactorAuthentication", get: 200, post: 302),
    ];

    public static TheoryData<string> Routes => new(Table.Select(row => row.Route));

    [Fact]
    public void Every_route_in_the_app_has_exactly_one_row_and_every_row_names_a_route()
    {
        var routes = RouteTable.Of(world.App.Services);
        var rows = Table.Select(row => row.Route).ToList();

        var missing = routes.Except(rows).ToList();
        var gone = rows.Except(routes).ToList();
        var twice = rows.GroupBy(route => route).Where(g => g.Count() > 1).Select(g => g.Key).ToList();

        Assert.True(
            missing.Count + gone.Count + twice.Count == 0,
            $"Routes without a row: {Listed(missing)}\nRows for routes that no longer exist: {Listed(gone)}\nRows given twice: {Listed(twice)}");
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Anonymous_outsider_member_owner_and_administrator_each_get_the_status_in_the_table(string route)
    {
        var row = Table.Single(r => r.Route == route);
        var group = row.NeedsGroup ? await world.NewGroupAsync() : null;
        var report = new List<string>();
        var failed = false;
        foreach (var (who, expected) in world.People.Zip(row.Expected))
        {
            var before = group is null ? null : await world.FingerprintAsync(group);
            using var response = await world.Client.SendAsync(world.Request(row, who, group));
            var (ok, actual) = await JudgeAsync(row, expected, response);
            // Refused means nothing happened.
            if (ok && before is not null && expected is Login or 401 or 403 or 404 && await world.FingerprintAsync(group!) != before)
            {
                (ok, actual) = (false, actual + ", but the group changed");
            }

            failed |= !ok;
            report.Add($"  {who.Name,-9} expected {Describe(expected)}, got {actual}{(ok ? string.Empty : "   <-- wrong")}");
        }

        Assert.False(failed, $"{route} as {row.Url}:\n{string.Join("\n", report)}");
    }

    private static async Task<(bool Ok, string Actual)> JudgeAsync(Row row, int expected, HttpResponseMessage response)
    {
        var status = (int)response.StatusCode;
        var location = response.Headers.Location is { } l ? (l.IsAbsoluteUri ? l.PathAndQuery : l.OriginalString) : null;
        var htmxRedirect = response.Headers.TryGetValues("HX-Redirect", out var values) ? values.Single() : null;
        var actual = status + (location is null ? string.Empty : $" to {location}") + (htmxRedirect is null ? string.Empty : $" (HX-Redirect {htmxRedirect})");
        if (expected == Login)
        {
            return (row.Htmx
                ? status == 401 && htmxRedirect?.StartsWith("/Identity/Account/Login", StringComparison.Ordinal) == true
                : status == 302 && location?.StartsWith("/Identity/Account/Login", StringComparison.Ordinal) == true, actual);
        }

        if (status != expected || (status == 302 && location?.StartsWith("/Identity/Account/Login", StringComparison.Ordinal) != false))
        {
            return (false, actual + await SnippetAsync(response));
        }

        // Every refusal from the API says why, as problem details.
        if (row.IsApi && status >= 400)
        {
            var text = await response.Content.ReadAsStringAsync();
            if (response.Content.Headers.ContentType?.MediaType != "application/problem+json" || !text.Contains("\"detail\":\"", StringComparison.Ordinal))
            {
                return (false, $"{actual} without problem details: {text}");
            }
        }

        return (true, actual);
    }

    private static async Task<string> SnippetAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return text.Length == 0 ? string.Empty : " — " + (text.Length > 300 ? text[..300] : text).ReplaceLineEndings(" ");
    }

    private static string Describe(int expected) => expected == Login ? "the sign-in page" : expected.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Listed(IReadOnlyCollection<string> routes) => routes.Count == 0 ? "none" : "\n  " + string.Join("\n  ", routes);

    private static Row Page(string route, string url, int anonymous, int outsider, int member, int owner) =>
        new(route, url, anonymous, outsider, member, owner);

    private static Row Api(string route, string url, int anonymous, int outsider, int member, int owner) =>
        new(route, url, anonymous, outsider, member, owner);

    // An Identity page anyone may open: the same answer signed in or not.
    private static Row[] OpenPage(string page, int get, int post) =>
    [
        Page($"GET /Identity/{page}", $"/Identity/{page}", get, get, get, get),
        Page($"POST /Identity/{page}", $"/Identity/{page}", post, post, post, post),
    ];

    // An Identity page for the signed-in (Manage/*, Logout): anonymous is sent to sign in.
    private static Row[] SignedInPage(string page, int get, int post) =>
    [
        Page($"GET /Identity/{page}", $"/Identity/{page}", Login, get, get, get),
        Page($"POST /Identity/{page}", $"/Identity/{page}", Login, post, post, post),
    ];

    public sealed record Row(string Route, string Url, int Anonymous, int Outsider, int Member, int Owner)
    {
        private static readonly string[] GroupPlaceholders = ["{c}", "{m}", "{i}", "{t}", "{img}", "{pm}", "{k}"];

        public string Method => Route[..Route.IndexOf(' ', StringComparison.Ordinal)];

        // Bots' webhooks answer as the API does (JSON in, problem+json out).
        public bool IsApi => Url.StartsWith("/api/", StringComparison.Ordinal) || Url.StartsWith("/hooks/", StringComparison.Ordinal);

        public bool Htmx { get; init; }

        // A page form's fields (the caller's antiforgery token is added), or an API request's JSON body.
        public Func<World, Caller, Group?, Dictionary<string, string>>? Form { get; init; }

        public Func<World, Caller, Group?, object>? Json { get; init; }

        // Sends a small JPEG in this multipart field (with the form's fields and token for a page).
        public string? FileField { get; init; }

        // An administrator is an outsider to the groups of the table: the same answer unless the row says otherwise.
        public int? Administrator { get; init; }

        public IReadOnlyList<int> Expected => [Anonymous, Outsider, Member, Owner, Administrator ?? Outsider];

        public bool NeedsGroup => GroupPlaceholders.Any(p => Url.Contains(p, StringComparison.Ordinal));
    }

    // What each row starts from: a group the owner made with the member and a target (for removal) in it, the owner's
    // message and photo there, and an open invite.
    public sealed record Group(
        long Id, long MessageId, long InviteId, string InviteToken, long ImageId, long PhotoMessageId, long FileId, long BotId, string BotKey);

    // The app, the people (registered once) and the owner's direct conversation with the member.
    public sealed class World : IAsyncLifetime
    {
        public TApp App { get; } = new();

        public HttpClient Client { get; private set; } = null!;

        public Caller Anonymous { get; private set; } = null!;

        public Caller Outsider { get; private set; } = null!;

        public Caller Member { get; private set; } = null!;

        public Caller Owner { get; private set; } = null!;

        // A member of every group, whom the owner removes; never acts in the table.
        public Caller Target { get; private set; } = null!;

        // The first account, so an administrator.
        public Caller Administrator { get; private set; } = null!;

        // Whom the administrator promotes, demotes, deactivates and reactivates; never acts in the table.
        public Caller Subject { get; private set; } = null!;

        public long Direct { get; private set; }

        // One per caller in People, each from a sign-in of the target's.
        public IReadOnlyList<string> TargetRefreshTokens { get; private set; } = [];

        public byte[] Jpeg { get; } = TestImages.Encode(24, 16, ImageFormat.Jpeg);

        // In the order they try each route.
        public IReadOnlyList<Caller> People => [Anonymous, Outsider, Member, Owner, Administrator];

        public async Task InitializeAsync()
        {
            Client = Caller.NewClient(App);
            Anonymous = await Caller.AnonymousAsync(App);
            Administrator = await Caller.RegisterAsync(App, "Admin");
            Outsider = await Caller.RegisterAsync(App, "Outsider");
            Member = await Caller.RegisterAsync(App, "Member");
            Owner = await Caller.RegisterAsync(App, "Owner");
            Target = await Caller.RegisterAsync(App, "Target");
            Subject = await Caller.RegisterAsync(App, "Subject");
            var refreshTokens = new List<string>();
            foreach (var _ in People)
            {
                var tokens = await Client.LoginAsync(Target.Account!.Email, AccountSteps.Password);
                refreshTokens.Add(tokens.GetProperty("refreshToken").GetString()!);
            }

            TargetRefreshTokens = refreshTokens;
            await ExpectAsync(HttpStatusCode.OK, await SendAsync(Target, HttpMethod.Put, "/api/v1/users/me/image", Photo("file")));
            Direct = await IdOfAsync(await SendAsync(Owner, HttpMethod.Post, "/api/v1/conversations", JsonContent.Create(new { participantIds = new[] { Member.Id } })));
        }

        public async Task<Group> NewGroupAsync()
        {
            var id = await IdOfAsync(await SendAsync(Owner, HttpMethod.Post, "/api/v1/conversations", JsonContent.Create(new
            {
                participantIds = new[] { Member.Id, Target.Id },
                title = "Matrix group",
            })));
            var messageId = await IdOfAsync(await SendAsync(
                Owner, HttpMethod.Post, $"/api/v1/conversations/{id}/messages", JsonContent.Create(new { body = "Written by the owner" })));
            var invite = await (await SendAsync(Owner, HttpMethod.Post, $"/api/v1/conversations/{id}/invites", null)).JsonAsync(HttpStatusCode.Created);
            var photoMessageId = await IdOfAsync(await SendAsync(Owner, HttpMethod.Post, $"/api/v1/conversations/{id}/messages/image", Photo("file")));
            await SendAsync(Owner, HttpMethod.Post, $"/api/v1/conversations/{id}/messages/file", Photo("file"));
            var db = App.Services.GetRequiredService<ChatDb>();
            await using var connection = await db.OpenAsync();
            var inviteId = await connection.ExecuteScalarAsync<long>("SELECT MAX(id) FROM invites WHERE conversation_id = @id", new { id });
            var imageId = await connection.ExecuteScalarAsync<long>("SELECT MAX(id) FROM images WHERE conversation_id = @id", new { id });
            var fileId = await connection.ExecuteScalarAsync<long>("SELECT MAX(id) FROM files WHERE conversation_id = @id", new { id });
            var bot = await (await SendAsync(Owner, HttpMethod.Post, $"/api/v1/conversations/{id}/bots", JsonContent.Create(new { name = "Matrix bot" })))
                .JsonAsync(HttpStatusCode.Created);
            var botKey = new Uri(bot.GetProperty("webhookUrl").GetString()!).Segments[^1];
            return new Group(
                id, messageId, inviteId, invite.GetProperty("token").GetString()!, imageId, photoMessageId, fileId, bot.GetProperty("id").GetInt64(), botKey);
        }

        // The group as its members see it: title, members, messages, invites and photos.
        public async Task<string> FingerprintAsync(Group group)
        {
            var db = App.Services.GetRequiredService<ChatDb>();
            await using var connection = await db.OpenAsync();
            var parameters = new { id = group.Id };
            var parts = new List<object>
            {
                await connection.QueryAsync("SELECT id, title FROM conversations WHERE id = @id", parameters),
                await connection.QueryAsync("SELECT user_id, role, hidden FROM conversation_members WHERE conversation_id = @id ORDER BY user_id", parameters),
                await connection.QueryAsync("SELECT id, body, image_alt, edited_at, deleted_at FROM messages WHERE conversation_id = @id ORDER BY id", parameters),
                await connection.QueryAsync("SELECT id, revoked_at, expires_at FROM invites WHERE conversation_id = @id ORDER BY id", parameters),
                await connection.QueryAsync("SELECT id FROM images WHERE conversation_id = @id ORDER BY id", parameters),
            };
            return System.Text.Json.JsonSerializer.Serialize(parts);
        }

        public HttpRequestMessage Request(Row row, Caller who, Group? group)
        {
            var request = new HttpRequestMessage(new HttpMethod(row.Method), Fill(row.Url, group));
            if (row.Htmx)
            {
                request.Headers.Add("HX-Request", "true");
            }

            var fields = row.Form?.Invoke(this, who, group) ?? [];
            if (row.IsApi)
            {
                request.Content = row.Json is { } json ? JsonContent.Create(json(this, who, group)) : row.FileField is { } file ? Photo(file) : null;
            }
            else if (row.FileField is { } file)
            {
                var multipart = Photo(file);
                foreach (var (name, value) in fields.Append(new(Caller.AntiforgeryField, who.AntiforgeryToken)))
                {
                    multipart.Add(new StringContent(value), name);
                }

                request.Content = multipart;
            }
            else if (row.Method != "GET")
            {
                request.Content = who.Form(fields);
            }

            return who.Sign(request, row.IsApi);
        }

        public async Task DisposeAsync()
        {
            Client?.Dispose();
            await App.DisposeAsync();
        }

        private string Fill(string url, Group? group)
        {
            url = url.Replace("{d}", $"{Direct}", StringComparison.Ordinal)
                .Replace("{member}", $"{Member.Id}", StringComparison.Ordinal)
                .Replace("{target}", $"{Target.Id}", StringComparison.Ordinal)
                .Replace("{subject}", $"{Subject.Id}", StringComparison.Ordinal);
            return group is null
                ? url
                : url.Replace("{c}", $"{group.Id}", StringComparison.Ordinal)
                    .Replace("{m}", $"{group.MessageId}", StringComparison.Ordinal)
                    .Replace("{i}", $"{group.InviteId}", StringComparison.Ordinal)
                    .Replace("{t}", group.InviteToken, StringComparison.Ordinal)
                    .Replace("{img}", $"{group.ImageId}", StringComparison.Ordinal)
                    .Replace("{pm}", $"{group.PhotoMessageId}", StringComparison.Ordinal)
                    .Replace("{file}", $"{group.FileId}", StringComparison.Ordinal)
                    .Replace("{bot}", $"{group.BotId}", StringComparison.Ordinal)
                    .Replace("{k}", group.BotKey, StringComparison.Ordinal);
        }

        private MultipartFormDataContent Photo(string field)
        {
            var bytes = new ByteArrayContent(Jpeg);
            bytes.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
            return new MultipartFormDataContent { { bytes, field, "photo.jpg" } };
        }

        private Task<HttpResponseMessage> SendAsync(Caller who, HttpMethod method, string url, HttpContent? content) =>
            Client.SendAsync(who.Sign(new HttpRequestMessage(method, url) { Content = content }, api: true));

        private static async Task<long> IdOfAsync(HttpResponseMessage response)
        {
            var json = await response.JsonAsync(response.StatusCode == HttpStatusCode.OK ? HttpStatusCode.OK : HttpStatusCode.Created);
            return json.GetProperty("id").GetInt64();
        }

        private static async Task ExpectAsync(HttpStatusCode expected, HttpResponseMessage response) => await response.JsonAsync(expected);
    }
}

public sealed class AuthorizationMatrixTestsOnSqlite(AuthorizationMatrixTests<SqliteApp>.World world) : AuthorizationMatrixTests<SqliteApp>(world);

public sealed class AuthorizationMatrixTestsOnMariaDb(AuthorizationMatrixTests<MariaDbApp>.World world) : AuthorizationMatrixTests<MariaDbApp>(world);
