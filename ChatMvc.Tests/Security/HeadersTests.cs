using System.Net;
using ChatMvc.Tests.Infrastructure;

namespace ChatMvc.Tests.Security;

public sealed class HeadersTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    private static readonly string[] Pages =
    [
        "/Identity/Account/Login", "/Identity/Account/Register", "/Identity/Account/ForgotPassword", "/",
        "/conversations/new", "/profile", "/Identity/Account/Manage", "/Identity/Account/Manage/TwoFactorAuthentication",
    ];

    [Fact]
    public async Task Every_page_sends_a_strict_content_security_policy_and_the_other_security_headers()
    {
        using var ann = await app.NewPersonAsync("Ann Headers");
        foreach (var path in Pages)
        {
            var page = await ann.Client.GetAsync(path);
            var headers = page.Response.Headers;
            var csp = string.Join(";", headers.GetValues("Content-Security-Policy"));
            Assert.Contains("script-src 'self'", csp);
            Assert.DoesNotContain("unsafe-inline", csp);
            Assert.DoesNotContain("unsafe-eval", csp);
            Assert.Contains("frame-ancestors 'none'", csp);
            Assert.Equal("same-origin", headers.GetValues("Referrer-Policy").Single());
            Assert.Equal("nosniff", headers.GetValues("X-Content-Type-Options").Single());
        }
    }

    [Fact]
    public async Task Pages_carry_no_inline_scripts_or_event_handlers_and_every_post_form_has_an_antiforgery_token()
    {
        using var ann = await app.NewPersonAsync("Ann Inline");
        using var bo = await app.NewPersonAsync("Bo Inline");
        var id = await ann.StartConversationAsync("Inline check", bo);
        await ann.SendAsync(id, "A message with actions");
        foreach (var path in Pages.Concat([$"/conversations/{id}", $"/conversations/{id}/members", $"/conversations/{id}/delete", $"/users/{bo.Id}"]))
        {
            var page = await ann.Client.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, page.Status);
            Assert.All(page.Document.Scripts, script => Assert.False(string.IsNullOrEmpty(script.Source), $"Inline script on {path}"));
            var handlers = page.Document.All.SelectMany(e => e.Attributes)
                .Where(a => a.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase) || a.Name.StartsWith("hx-on", StringComparison.OrdinalIgnoreCase) || a.Name.StartsWith("data-hx-on", StringComparison.OrdinalIgnoreCase))
                .Select(a => a.Name).ToList();
            Assert.True(handlers.Count == 0, $"Event handler attributes on {path}: {string.Join(", ", handlers)}");
            foreach (var form in page.Document.Forms.Where(f => f.Method.Equals("post", StringComparison.OrdinalIgnoreCase)))
            {
                Assert.True(form.QuerySelector("input[name=__RequestVerificationToken]") is not null, $"A POST form on {path} has no antiforgery token: {form.Action}");
            }
        }
    }

    [Fact]
    public async Task A_post_without_or_with_a_forged_antiforgery_token_is_refused_and_stores_nothing()
    {
        using var ann = await app.NewPersonAsync("Ann Forged");
        using var bo = await app.NewPersonAsync("Bo Forged");
        var id = await ann.StartConversationAsync(null, bo);

        var missing = await ann.Client.Http.PostAsync($"/conversations/{id}/messages",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["Body"] = "no token" }));
        var forged = await ann.Client.Http.PostAsync($"/conversations/{id}/messages",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["Body"] = "forged", ["__RequestVerificationToken"] = "CfDJ8forged" }));
        var othersToken = (await bo.Client.GetAsync("/conversations/new")).Document.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var borrowed = await ann.Client.Http.PostAsync($"/conversations/{id}/messages",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["Body"] = "borrowed", ["__RequestVerificationToken"] = othersToken }));

        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, borrowed.StatusCode);
        Assert.Equal(0, await app.CountMessagesAsync(id));
    }

    [Fact]
    public async Task The_sign_in_cookie_is_http_only_and_same_site()
    {
        using var client = new WebSession(app);
        var user = AccountSteps.NewUser();
        await client.RegisterAsync(user);
        var form = await client.GetAsync("/Identity/Account/Login");
        var response = await client.Http.PostAsync("/Identity/Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Email"] = user.Email,
            ["Input.Password"] = user.Password,
            ["__RequestVerificationToken"] = form.Document.QuerySelector("form#account input[name=__RequestVerificationToken]")!.GetAttribute("value")!,
        }));

        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("ChatMvc.Auth=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
    }
}
