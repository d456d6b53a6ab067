using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using AngleSharp.Html.Parser;
using ChatMvc.Tests.Admin;
using ChatMvc.Tests.Api;
using ChatMvc.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace ChatMvc.Tests.Accounts;

// Deleting or locking an account ends every session it has at once: its bearer tokens, its refresh tokens and its
// sign-in cookies, wherever they are replayed from, and not only inside conversations.
public abstract class SessionEndTests<TApp>(TApp app) : IClassFixture<TApp>
    where TApp : ChatAppFactory
{
    [Fact]
    public async Task A_deleted_account_s_bearer_token_cookie_and_refresh_token_stop_working_at_once()
    {
        var sessions = await SignedInEverywhereAsync("Dee Leaving");

        using var delete = new HttpRequestMessage(HttpMethod.Delete, "/api/v1/users/me")
        {
            Content = JsonContent.Create(new { password = sessions.Person.User.Password }),
        };
        Assert.Equal(HttpStatusCode.NoContent, (await sessions.Bearer.SendAsync(delete)).StatusCode);

        await AssertEndedAsync(sessions);
    }

    [Fact]
    public async Task A_locked_out_account_s_bearer_token_cookie_and_refresh_token_stop_working_at_once()
    {
        var sessions = await SignedInEverywhereAsync("Lou Locked");

        using var guesser = app.NewApiClient();
        for (var attempt = 0; attempt < 5; attempt++)
        {
            await guesser.PostAsJsonAsync("/api/v1/auth/login", new { sessions.Person.User.Email, password = "Wrong-password-1" });
        }

        // Locked: the right password no longer signs in (answered as any failed sign-in is).
        var login = await guesser.PostAsJsonAsync("/api/v1/auth/login", new { sessions.Person.User.Email, sessions.Person.User.Password });
        await login.ProblemAsync(HttpStatusCode.Unauthorized);

        await AssertEndedAsync(sessions);
    }

    [Fact]
    public async Task A_deactivated_account_s_bearer_token_cookie_and_refresh_token_stop_working_at_once()
    {
        var sessions = await SignedInEverywhereAsync("Dot Deactivated");
        using var admin = await app.NewApiUserAsync("Dee Admin");
        await app.MakeAdministratorAsync(admin.Id);

        Assert.Equal(HttpStatusCode.OK, (await admin.Http.PostAsync($"/api/v1/admin/users/{sessions.Person.Id}/deactivate", null)).StatusCode);

        await AssertEndedAsync(sessions);
        using var http = app.NewApiClient();
        await (await http.PostAsJsonAsync("/api/v1/auth/login", new { sessions.Person.User.Email, sessions.Person.User.Password }))
            .ProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Another_account_s_sessions_go_on_when_one_account_is_locked()
    {
        var locked = await SignedInEverywhereAsync("Lee Locked");
        var other = await SignedInEverywhereAsync("Oli Other");

        using var guesser = app.NewApiClient();
        for (var attempt = 0; attempt < 5; attempt++)
        {
            await guesser.PostAsJsonAsync("/api/v1/auth/login", new { locked.Person.User.Email, password = "Wrong-password-1" });
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await locked.Bearer.GetAsync("/api/v1/users/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await other.Bearer.GetAsync("/api/v1/users/me")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await SendWithCookieAsync(other, PollOf(other), htmx: true)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendWithCookieAsync(other, new HttpRequestMessage(HttpMethod.Get, "/conversations"))).StatusCode);
    }

    // The account signed in on the site (its cookie kept apart, to be replayed as a thief would) and through the
    // API, with a conversation open and every check already answered once, so the cached answer must change.
    private async Task<SignedIn> SignedInEverywhereAsync(string name)
    {
        var person = await app.NewPersonAsync(name);
        using var partner = await app.NewPersonAsync($"{name} Partner");
        var conversationId = await person.StartConversationAsync(null, partner);
        var (after, v) = ChatSteps.CursorOf((await person.OpenAsync(conversationId)).Document);
        var cookie = await SignInCookieAsync(person.User);

        var bearer = app.NewApiClient();
        var tokens = await bearer.LoginAsync(person.User.Email, person.User.Password);
        bearer.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.GetProperty("accessToken").GetString());
        var signedIn = new SignedIn(person, partner.Id, bearer, cookie, tokens.GetProperty("refreshToken").GetString()!, conversationId, after, v);

        Assert.Equal(HttpStatusCode.OK, (await bearer.GetAsync("/api/v1/users")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await bearer.GetAsync($"/api/v1/conversations/{conversationId}/messages?after={after}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await SendWithCookieAsync(signedIn, PollOf(signedIn), htmx: true)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendWithCookieAsync(signedIn, new HttpRequestMessage(HttpMethod.Get, "/api/v1/users"))).StatusCode);
        return signedIn;
    }

    private async Task AssertEndedAsync(SignedIn sessions)
    {
        await (await sessions.Bearer.GetAsync("/api/v1/users")).ProblemAsync(HttpStatusCode.Unauthorized);
        await (await sessions.Bearer.PostAsJsonAsync("/api/v1/conversations", new { participantIds = new[] { sessions.PartnerId } }))
            .ProblemAsync(HttpStatusCode.Unauthorized);
        await (await sessions.Bearer.GetAsync($"/api/v1/conversations/{sessions.ConversationId}/messages?after={sessions.After}"))
            .ProblemAsync(HttpStatusCode.Unauthorized);

        using var refresher = app.NewApiClient();
        await (await refresher.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = sessions.RefreshToken }))
            .ProblemAsync(HttpStatusCode.Unauthorized);

        var poll = await SendWithCookieAsync(sessions, PollOf(sessions), htmx: true);
        Assert.Equal(HttpStatusCode.Unauthorized, poll.StatusCode);
        Assert.StartsWith("/Identity/Account/Login", poll.Headers.GetValues("HX-Redirect").Single(), StringComparison.Ordinal);
        Assert.Contains(poll.Headers.GetValues("Set-Cookie"), c => c.StartsWith("ChatMvc.Auth=;", StringComparison.Ordinal));

        var listPoll = await SendWithCookieAsync(sessions, new HttpRequestMessage(HttpMethod.Get, "/conversations/poll?v=0"), htmx: true);
        Assert.Equal(HttpStatusCode.Unauthorized, listPoll.StatusCode);

        var page = await SendWithCookieAsync(sessions, new HttpRequestMessage(HttpMethod.Get, "/conversations"));
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/Identity/Account/Login", page.Headers.Location!.PathAndQuery, StringComparison.Ordinal);

        await (await SendWithCookieAsync(sessions, new HttpRequestMessage(HttpMethod.Get, "/api/v1/users")))
            .ProblemAsync(HttpStatusCode.Unauthorized);
        await (await SendWithCookieAsync(sessions, new HttpRequestMessage(HttpMethod.Get, "/api/v1/users/me")))
            .ProblemAsync(HttpStatusCode.Unauthorized);
    }

    private static HttpRequestMessage PollOf(SignedIn sessions) =>
        new(HttpMethod.Get, $"/conversations/{sessions.ConversationId}/poll?after={sessions.After}&v={sessions.V}");

    private async Task<HttpResponseMessage> SendWithCookieAsync(SignedIn sessions, HttpRequestMessage request, bool htmx = false)
    {
        using var http = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        request.Headers.Add("Cookie", sessions.Cookie);
        if (htmx)
        {
            request.Headers.Add("HX-Request", "true");
        }

        return await http.SendAsync(request);
    }

    // Signs in through the login form with no cookie jar and returns the sign-in cookie ("ChatMvc.Auth=...").
    private async Task<string> SignInCookieAsync(TestUser user)
    {
        using var http = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        var form = await http.GetAsync("/Identity/Account/Login");
        var antiforgery = CookiesOf(form).Single(c => c.StartsWith(".AspNetCore.Antiforgery", StringComparison.Ordinal));
        var document = new HtmlParser().ParseDocument(await form.Content.ReadAsStringAsync());
        var token = document.QuerySelector("main form#account input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        using var post = new HttpRequestMessage(HttpMethod.Post, "/Identity/Account/Login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Input.Email"] = user.Email,
                ["Input.Password"] = user.Password,
                ["__RequestVerificationToken"] = token,
            }),
        };
        post.Headers.Add("Cookie", antiforgery);
        var signedIn = await http.SendAsync(post);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        return CookiesOf(signedIn).Single(c => c.StartsWith("ChatMvc.Auth=", StringComparison.Ordinal));
    }

    private static IEnumerable<string> CookiesOf(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values) ? values.Select(v => v.Split(';')[0]) : [];

    private sealed record SignedIn(
        Participant Person, long PartnerId, HttpClient Bearer, string Cookie, string RefreshToken, long ConversationId, long After, long V);
}

public sealed class SessionEndTestsOnSqlite(SqliteApp app) : SessionEndTests<SqliteApp>(app);

public sealed class SessionEndTestsOnMariaDb(MariaDbApp app) : SessionEndTests<MariaDbApp>(app);
