using System.Net;
using System.Net.Http.Headers;
using ChatMvc.Data;
using ChatMvc.Tests.Api;
using ChatMvc.Tests.Infrastructure;
using Dapper;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.Extensions.DependencyInjection;

namespace ChatMvc.Tests.Security;

// One person as the security tests drive them: a browser's cookies and antiforgery token, captured once and sent
// with every request (so a sign-out or a refreshed cookie in one answer changes nothing for the next), and a
// bearer token for the API. Anonymous has cookies and a token too, from the sign-in page, as a browser would.
public sealed class Caller
{
    public const string AntiforgeryField = "__RequestVerificationToken";

    public required string Name { get; init; }

    // 0 for anonymous.
    public long Id { get; init; }

    public TestUser? Account { get; init; }

    public required string Cookies { get; init; }

    public required string AntiforgeryToken { get; init; }

    public string? BearerToken { get; init; }

    public string? RefreshToken { get; init; }

    public bool IsAnonymous => Id == 0;

    // A client that neither keeps cookies nor follows redirects: every request says who it is.
    public static HttpClient NewClient(ChatAppFactory app) =>
        app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });

    public static async Task<Caller> AnonymousAsync(ChatAppFactory app)
    {
        var (session, cookies) = Browser(app);
        using var _ = session;
        var login = await session.GetAsync("/Identity/Account/Login");
        return new Caller
        {
            Name = "anonymous",
            Cookies = cookies.GetCookieHeader(session.Http.BaseAddress!),
            AntiforgeryToken = TokenOf(login, "form#account"),
        };
    }

    public static async Task<Caller> RegisterAsync(ChatAppFactory app, string displayName)
    {
        var account = AccountSteps.NewUser(displayName);
        var (session, cookies) = Browser(app);
        using var _ = session;
        var registered = await session.RegisterAsync(account);
        if (!registered.IsSignedIn())
        {
            throw new InvalidOperationException($"Registration failed: {registered.MainText}");
        }

        var page = await session.GetAsync("/conversations/new");
        using var api = NewClient(app);
        var tokens = await api.LoginAsync(account.Email, account.Password);
        var db = app.Services.GetRequiredService<ChatDb>();
        await using var connection = await db.OpenAsync();
        var id = await connection.ExecuteScalarAsync<long>(
            "SELECT id FROM users WHERE normalized_email = @email", new { email = account.Email.ToUpperInvariant() });
        return new Caller
        {
            Name = displayName,
            Id = id,
            Account = account,
            Cookies = cookies.GetCookieHeader(session.Http.BaseAddress!),
            AntiforgeryToken = TokenOf(page, "form"),
            BearerToken = tokens.GetProperty("accessToken").GetString(),
            RefreshToken = tokens.GetProperty("refreshToken").GetString(),
        };
    }

    // Pages get the cookies, the API the bearer token; anonymous sends no credentials to the API.
    public HttpRequestMessage Sign(HttpRequestMessage request, bool api)
    {
        if (api)
        {
            if (BearerToken is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", BearerToken);
            }
        }
        else if (Cookies.Length > 0)
        {
            request.Headers.Add("Cookie", Cookies);
        }

        return request;
    }

    // A page form's fields with this caller's antiforgery token added.
    public FormUrlEncodedContent Form(IEnumerable<KeyValuePair<string, string>> fields) =>
        new(fields.Append(new(AntiforgeryField, AntiforgeryToken)));

    public override string ToString() => Name;

    private static (WebSession Session, System.Net.CookieContainer Cookies) Browser(ChatAppFactory app)
    {
        var cookies = new System.Net.CookieContainer();
        return (new WebSession(app.CreateDefaultClient(new CookieContainerHandler(cookies))), cookies);
    }

    private static string TokenOf(Page page, string formSelector) =>
        page.Status == HttpStatusCode.OK
        && page.Document.QuerySelector($"{formSelector} input[name={AntiforgeryField}]")?.GetAttribute("value") is { Length: > 0 } token
            ? token
            : throw new InvalidOperationException($"No antiforgery token in '{formSelector}' on {page.Url} ({page.Status}).");
}
