using System.Net;
using AngleSharp.Html.Parser;
using ChatMvc.Chat;
using ChatMvc.Tests.Infrastructure;

namespace ChatMvc.Tests.Chat;

public abstract class RepliesTests<TApp>(TApp app) : IClassFixture<TApp>
    where TApp : ChatAppFactory
{
    [Fact]
    public async Task Reply_without_javascript_shows_the_quote_above_the_composer_and_the_reply_quotes_the_original()
    {
        using var ann = await app.NewPersonAsync("Ann Asks");
        using var bo = await app.NewPersonAsync("Bo Answers");
        var id = await ann.StartConversationAsync(null, bo);
        var original = await SendAsync(ann, id, "Lunch at noon?");

        var link = (await bo.OpenAsync(id)).Document.QuerySelector($"#message-{original} details.message-menu a.reply-link")!;
        var replying = await bo.Client.GetAsync(link.GetAttribute("href")!);
        var quote = replying.Document.QuerySelector("form#composer #reply-quote")!;
        var sent = await bo.Client.SubmitAsync(replying, new() { ["Body"] = "Noon works" }, "form#composer");

        Assert.Equal(ChatUrls.ReplyTo(id, original), link.GetAttribute("href"));
        Assert.Equal("Replying to Ann Asks: Lunch at noon?", quote.QuerySelector("p")!.TextContent.Trim());
        Assert.Equal($"{original}", quote.QuerySelector("input[type=hidden][name=ReplyToId]")!.GetAttribute("value"));
        var reply = sent.Document.QuerySelectorAll("article.message").Last();
        Assert.Equal("Noon works", reply.QuerySelector(".message-body")!.TextContent.Trim());
        var quoted = reply.QuerySelector(".message-quote")!;
        Assert.Equal("In reply to Ann Asks: Lunch at noon?", quoted.TextContent.Trim());
        Assert.Equal(ChatUrls.MessageAt(id, original), quoted.QuerySelector("a")!.GetAttribute("href"));
        Assert.Null(sent.Document.QuerySelector("#reply-quote"));

        var inContext = await ann.Client.GetAsync(quoted.QuerySelector("a")!.GetAttribute("href")!);
        Assert.Equal(HttpStatusCode.OK, inContext.Status);
        Assert.NotNull(inContext.Document.QuerySelector($"#message-{original}"));
    }

    [Fact]
    public async Task The_quote_of_a_deleted_original_says_it_was_deleted_and_shows_none_of_its_text()
    {
        using var ann = await app.NewPersonAsync("Ann Takes Back");
        using var bo = await app.NewPersonAsync("Bo Kept");
        var id = await ann.StartConversationAsync(null, bo);
        var original = await SendAsync(ann, id, "A secret plan");
        await bo.Client.SubmitAsync(await bo.Client.GetAsync(ChatUrls.ReplyTo(id, original)), new() { ["Body"] = "Tell me more" }, "form#composer");

        await ann.DeleteMessageAsync(id, original);
        var window = await bo.OpenAsync(id);

        var quoted = window.Document.QuerySelectorAll("article.message").Last().QuerySelector(".message-quote")!;
        Assert.Equal("In reply to Ann Takes Back: This message was deleted.", quoted.TextContent.Trim());
        Assert.DoesNotContain("secret plan", window.Document.QuerySelector("#messages")!.TextContent);
    }

    [Fact]
    public async Task A_reply_naming_a_message_of_another_conversation_is_refused_and_the_window_will_not_quote_it()
    {
        using var ann = await app.NewPersonAsync("Ann Two Rooms");
        using var bo = await app.NewPersonAsync("Bo Room");
        using var cy = await app.NewPersonAsync("Cy Room");
        var withBo = await ann.StartConversationAsync(null, bo);
        var withCy = await ann.StartConversationAsync(null, cy);
        var secret = await SendAsync(ann, withCy, "Only Cy reads this");

        var window = await bo.OpenAsync(withBo);
        var refused = await bo.Client.PostAsync(ChatUrls.Messages(withBo), new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = window.Document.QuerySelector("form#composer input[name=__RequestVerificationToken]")!.GetAttribute("value")!,
            ["Body"] = "Peek",
            ["ReplyToId"] = $"{secret}",
        });
        var quoting = await bo.Client.GetAsync(ChatUrls.ReplyTo(withBo, secret));

        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Contains("reply to", refused.Document.QuerySelector("#composer-error")!.TextContent, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Only Cy reads this", refused.Document.DocumentElement.OuterHtml);
        Assert.Equal(0, await app.CountMessagesAsync(withBo));
        Assert.Equal(HttpStatusCode.NotFound, quoting.Status);
    }

    [Fact]
    public async Task With_htmx_reply_fetches_only_the_quote_and_a_non_member_gets_404()
    {
        using var ann = await app.NewPersonAsync("Ann Quote");
        using var bo = await app.NewPersonAsync("Bo Quote");
        using var eve = await app.NewPersonAsync("Eve Quote");
        var id = await ann.StartConversationAsync(null, bo);
        var original = await SendAsync(ann, id, "Quote me\non two lines");

        using var request = new HttpRequestMessage(HttpMethod.Get, ChatUrls.ReplyQuote(id, original)) { Headers = { { "HX-Request", "true" } } };
        using var response = await bo.Client.Http.SendAsync(request);
        var fragment = new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
        using var outsider = new HttpRequestMessage(HttpMethod.Get, ChatUrls.ReplyQuote(id, original)) { Headers = { { "HX-Request", "true" } } };
        using var refused = await eve.Client.Http.SendAsync(outsider);
        var eveReplying = await eve.Client.GetAsync(ChatUrls.ReplyTo(id, original));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Replying to Ann Quote: Quote me on two lines", fragment.QuerySelector("#reply-quote p")!.TextContent.Trim());
        Assert.Equal($"{original}", fragment.QuerySelector("#reply-quote input[name=ReplyToId]")!.GetAttribute("value"));
        Assert.Contains("reply-ready", response.Headers.GetValues("HX-Trigger-After-Settle").Single());
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, eveReplying.Status);
    }

    private static async Task<long> SendAsync(Participant person, long conversationId, string body)
    {
        var window = await person.SendAsync(conversationId, body);
        return ChatSteps.MessageIds(window.Document)[^1];
    }
}

public sealed class RepliesTestsOnSqlite(SqliteApp app) : RepliesTests<SqliteApp>(app);

public sealed class RepliesTestsOnMariaDb(MariaDbApp app) : RepliesTests<MariaDbApp>(app);
