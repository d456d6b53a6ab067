using System.Net;
using ChatMvc.Tests.Infrastructure;

namespace ChatMvc.Tests.Accounts;

// An address on another site as returnUrl: signing in or out still works, and lands on the start page.
public sealed class ReturnUrlTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    // As they arrive in the query string, already escaped where a browser would send them so.
    public static TheoryData<string> OffSite =>
    [
        "https%3A%2F%2Fevil.test%2F",
        "http://evil.test",
        "//evil.test",
        "%2F%2Fevil.test",
        "/\\evil.test",
        "/%5Cevil.test",
        "%5C%5Cevil.test",
        "/%09/evil.test",
        "%09//evil.test",
        "/%0D%0A/evil.test",
        "javascript:alert(1)",
        "JaVaScRiPt%3Aalert(1)",
        "data:text/html,hi",
        "~//evil.test",
        "~/%5Cevil.test",
        "///evil.test",
        "evil.test",
        "%20//evil.test",
    ];

    [Theory]
    [MemberData(nameof(OffSite))]
    public async Task Signing_in_with_an_off_site_return_url_lands_on_the_start_page(string returnUrl)
    {
        using var client = new WebSession(app);

        var response = await SignInAsync(client, returnUrl);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location?.OriginalString);
        Assert.True((await client.GetAsync("/")).IsSignedIn());
    }

    [Theory]
    [MemberData(nameof(OffSite))]
    public async Task Signing_out_with_an_off_site_return_url_lands_on_the_start_page(string returnUrl)
    {
        using var client = new WebSession(app);
        await client.RegisterAsync(AccountSteps.NewUser());
        var home = await client.GetAsync("/");

        var response = await client.Http.PostAsync($"/Identity/Account/Logout?returnUrl={returnUrl}", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = Token(home),
        }));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location?.OriginalString);
        Assert.False((await client.GetAsync("/Identity/Account/Login")).IsSignedIn());
    }

    [Fact]
    public async Task A_return_url_on_this_site_is_still_followed()
    {
        using var client = new WebSession(app);

        var response = await SignInAsync(client, "%2Fprofile");

        Assert.Equal("/profile", response.Headers.Location?.OriginalString);
    }

    // A new person signs out, opens the sign-in page with the return address and signs in from it.
    private static async Task<HttpResponseMessage> SignInAsync(WebSession client, string returnUrl)
    {
        var user = AccountSteps.NewUser();
        await client.RegisterAsync(user);
        await client.SignOutAsync();
        var form = await client.GetAsync($"/Identity/Account/Login?returnUrl={returnUrl}");
        Assert.Equal(HttpStatusCode.OK, form.Status);
        return await client.Http.PostAsync($"/Identity/Account/Login?returnUrl={returnUrl}", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Email"] = user.Email,
            ["Input.Password"] = user.Password,
            ["__RequestVerificationToken"] = Token(form),
        }));
    }

    private static string Token(Page page) =>
        page.Document.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
}
