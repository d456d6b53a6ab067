using System.Net;
using ChatMvc.Accounts;
using ChatMvc.Chat;
using ChatMvc.Tests.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;

namespace ChatMvc.Tests.Accounts;

// Antiforgery tokens are decrypted once and remembered; what antiforgery checks with them is not. Token handling only,
// so one engine is enough.
public sealed class RememberedAntiforgeryTokensTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    private RememberedAntiforgeryTokens.RememberingProtector Protector =>
        ((RememberedAntiforgeryTokens)app.Services.GetRequiredService<IDataProtectionProvider>()).Antiforgery;

    [Fact]
    public async Task A_persons_antiforgery_cookie_is_decrypted_once_for_many_pages_and_posts()
    {
        using var ann = await app.NewPersonAsync("Ann Tokens");
        using var bob = await app.NewPersonAsync("Bob Tokens");
        var conversationId = await ann.StartConversationAsync(null, bob);
        await ann.OpenAsync(conversationId);

        var before = Protector.Decryptions;
        var window = await ann.OpenAsync(conversationId);
        await ann.OpenAsync(conversationId);
        var sent = await ann.Client.SubmitAsync(window, Message("First with this token"), "form#composer");
        var again = await ann.Client.SubmitAsync(window, Message("Second with this token"), "form#composer");

        Assert.Equal(HttpStatusCode.OK, sent.Status);
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Contains("Second with this token", ChatSteps.MessageTexts(again.Document));
        // The cookie's token was remembered from the first window; the page's token is decrypted at its first post.
        Assert.Equal(1, Protector.Decryptions - before);
    }

    // A new message each time: the page's own message id would make the second post a retry of the first.
    private static Dictionary<string, string> Message(string body) =>
        new() { ["Body"] = body, ["ClientMessageId"] = Guid.NewGuid().ToString("N") };

    [Fact]
    public async Task A_token_that_does_not_decrypt_is_refused_every_time_and_not_remembered()
    {
        using var ann = await app.NewPersonAsync("Ann Forges");
        using var bob = await app.NewPersonAsync("Bob Forges");
        var conversationId = await ann.StartConversationAsync(null, bob);
        var window = await ann.OpenAsync(conversationId);
        var token = window.Document.QuerySelector("form#composer input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var forged = token[..^4] + (token[^4] == 'A' ? 'B' : 'A') + token[^3..];

        var before = Protector.Decryptions;
        for (var i = 0; i < 2; i++)
        {
            var response = await ann.Client.Http.PostAsync(
                ChatUrls.Messages(conversationId),
                new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = forged, ["Body"] = "Forged" }));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }

        Assert.Equal(2, Protector.Decryptions - before);
        Assert.DoesNotContain("Forged", ChatSteps.MessageTexts((await ann.OpenAsync(conversationId)).Document));
    }

    [Fact]
    public void Other_purposes_go_straight_to_data_protection()
    {
        var provider = app.Services.GetRequiredService<IDataProtectionProvider>();

        Assert.IsType<RememberedAntiforgeryTokens>(provider);
        Assert.Same(Protector, provider.CreateProtector(RememberedAntiforgeryTokens.AntiforgeryPurpose));
        Assert.IsNotType<RememberedAntiforgeryTokens.RememberingProtector>(provider.CreateProtector("ChatMvc.Tests"));
        var other = provider.CreateProtector("ChatMvc.Tests");
        Assert.Equal("kept", other.Unprotect(other.Protect("kept")));
    }
}
