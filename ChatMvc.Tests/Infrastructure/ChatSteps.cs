using System.Net;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using ChatMvc.Chat;
using ChatMvc.Data;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace ChatMvc.Tests.Infrastructure;

public sealed record Participant(WebSession Client, TestUser User, long Id) : IDisposable
{
    public void Dispose() => Client.Dispose();
}

public sealed record PollResult(HttpStatusCode Status, IHtmlDocument Fragment, long After, long V);

// Chat steps as a person takes them, through the same forms and endpoints a browser uses.
public static class ChatSteps
{
    private static readonly HtmlParser Parser = new();

    public static async Task<Participant> NewPersonAsync(this ChatAppFactory app, string displayName)
    {
        var client = new WebSession(app);
        var user = AccountSteps.NewUser(displayName);
        var page = await client.RegisterAsync(user);
        if (!page.IsSignedIn())
        {
            throw new InvalidOperationException($"Registration failed: {page.MainText}");
        }

        var db = app.Services.GetRequiredService<ChatDb>();
        await using var connection = await db.OpenAsync();
        var id = await connection.ExecuteScalarAsync<long>(
            "SELECT id FROM users WHERE normalized_email = @email", new { email = user.Email.ToUpperInvariant() });
        return new Participant(client, user, id);
    }

    public static async Task<long> StartConversationAsync(this Participant person, string? title, params Participant[] others)
    {
        var page = await person.Client.GetAsync(ChatUrls.NewConversation + "?" + string.Join("&", others.Select(o => $"selected={o.Id}")));
        var values = new Dictionary<string, string>();
        if (title is not null)
        {
            values["title"] = title;
        }

        var window = await person.Client.SubmitAsync(page, values, "form.new-conversation");
        if (window.Status != HttpStatusCode.OK || !window.Path.StartsWith("/conversations/", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Starting a conversation failed ({window.Status} {window.Url}): {window.MainText}");
        }

        return ConversationIdOf(window);
    }

    public static long ConversationIdOf(Page window) => long.Parse(window.Path.Split('/')[2]);

    public static Task<Page> OpenAsync(this Participant person, long conversationId) =>
        person.Client.GetAsync(ChatUrls.Conversation(conversationId));

    // Sends from the composer as a browser without JavaScript does (a plain form POST).
    public static async Task<Page> SendAsync(this Participant person, long conversationId, string body, string? clientMessageId = null)
    {
        var window = await person.OpenAsync(conversationId);
        var values = new Dictionary<string, string> { ["Body"] = body };
        if (clientMessageId is not null)
        {
            values["ClientMessageId"] = clientMessageId;
        }

        return await person.Client.SubmitAsync(window, values, "form#composer");
    }

    // Without JavaScript, as a person reacts: the message's menu links to the reaction page, where the choice is pressed.
    public static async Task<Page> ReactAsync(this Participant person, long conversationId, long messageId, string emoji) =>
        await person.Client.SubmitAsync(
            await person.OpenReactionPageAsync(conversationId, messageId), [], "main form.reaction-choices", submitter: $"button[value='{emoji}']");

    public static async Task<Page> OpenReactionPageAsync(this Participant person, long conversationId, long messageId)
    {
        var link = (await person.OpenAsync(conversationId)).Document.QuerySelector($"#message-{messageId} details.message-menu a.reaction-link")
            ?? throw new InvalidOperationException($"Message {messageId} has no link to react in its menu.");
        return await person.Client.GetAsync(link.GetAttribute("href")!);
    }

    // Deletes as a browser without JavaScript does: the message's Delete opens the confirmation page, which posts.
    public static Task<Page> DeleteMessageAsync(this Participant person, long conversationId, long messageId) =>
        person.SubmitOnAsync(
            ChatUrls.DeleteMessage(conversationId, messageId), $"main form[action='{ChatUrls.DeleteMessage(conversationId, messageId)}']");

    public static (long After, long V) CursorOf(IHtmlDocument document) =>
        (long.Parse(document.QuerySelector("#cursor input[name=after]")!.GetAttribute("value")!),
         long.Parse(document.QuerySelector("#cursor input[name=v]")!.GetAttribute("value")!));

    public static async Task<PollResult> PollAsync(this Participant person, long conversationId, long after, long v)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{ChatUrls.Poll(conversationId)}?after={after}&v={v}");
        request.Headers.Add("HX-Request", "true");
        var response = await person.Client.Http.SendAsync(request);
        var html = await response.Content.ReadAsStringAsync();
        var fragment = Parser.ParseDocument(html);
        var (nextAfter, nextV) = response.StatusCode == HttpStatusCode.OK ? CursorOf(fragment) : (after, v);
        return new PollResult(response.StatusCode, fragment, nextAfter, nextV);
    }

    // Sends as htmx does from the window's composer (its token and cursor, or the cursor given), and reads the update.
    public static async Task<IHtmlDocument> SendWithHtmxAsync(this Participant person, Page window, string body, long? after = null, long? v = null)
    {
        var form = (IHtmlFormElement)window.Document.QuerySelector("form#composer")!;
        var fields = form.Elements.OfType<IHtmlInputElement>()
            .Where(i => !string.IsNullOrEmpty(i.Name) && i.Type is not "file")
            .ToDictionary(i => i.Name!, i => i.Value);
        fields["Body"] = body;
        fields["ClientMessageId"] = Guid.NewGuid().ToString("N");
        if (after is not null)
        {
            fields["after"] = $"{after}";
            fields["v"] = $"{v}";
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, form.GetAttribute("action")) { Content = new FormUrlEncodedContent(fields) };
        request.Headers.Add("HX-Request", "true");
        using var response = await person.Client.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Parser.ParseDocument(await response.Content.ReadAsStringAsync());
    }

    public static IReadOnlyList<string> MessageTexts(IHtmlDocument document) =>
        document.QuerySelectorAll("article.message .message-body").Select(b => b.TextContent.Trim()).ToList();

    public static IReadOnlyList<long> MessageIds(IHtmlDocument document) =>
        document.QuerySelectorAll("article.message").Select(a => long.Parse(a.Id!["message-".Length..])).ToList();

    // Moves a message in time. The cache holds messages as sent, so it is told the conversation changed (through
    // services: another host of the same database has a cache of its own).
    public static async Task BackdateMessageAsync(
        this ChatAppFactory app, long conversationId, string body, DateTime utc, IServiceProvider? services = null)
    {
        var db = app.Services.GetRequiredService<ChatDb>();
        await using (var connection = await db.OpenAsync())
        {
            var moved = await connection.ExecuteAsync(
                "UPDATE messages SET created_at = @at WHERE conversation_id = @conversationId AND body = @body",
                new { at = Clock.ToUnixMs(utc), conversationId, body });
            if (moved != 1)
            {
                throw new InvalidOperationException($"Expected one message '{body}' in conversation {conversationId}, found {moved}.");
            }
        }

        await (services ?? app.Services).GetRequiredService<ConversationCache>().ConversationChangedAsync(conversationId);
    }

    public static async Task<long> CountMessagesAsync(this ChatAppFactory app, long conversationId)
    {
        var db = app.Services.GetRequiredService<ChatDb>();
        await using var connection = await db.OpenAsync();
        return await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM messages WHERE conversation_id = @conversationId", new { conversationId });
    }
}

public static class PageSteps
{
    // Opens a page and submits one of its forms, as a person without JavaScript would.
    public static async Task<Page> SubmitOnAsync(this Participant person, string url, string formSelector, Dictionary<string, string>? values = null)
    {
        var page = await person.Client.GetAsync(url);
        if (page.Status != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"{url} answered {page.Status}.");
        }

        return await person.Client.SubmitAsync(page, values ?? [], formSelector);
    }

    // A POST with a valid antiforgery token but to any URL, for requests a page would not offer this person.
    public static async Task<HttpResponseMessage> PostWithTokenAsync(this Participant person, string url, Dictionary<string, string>? values = null)
    {
        var page = await person.Client.GetAsync(ChatUrls.NewConversation);
        var token = page.Document.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var fields = new Dictionary<string, string>(values ?? []) { ["__RequestVerificationToken"] = token };
        return await person.Client.Http.PostAsync(url, new FormUrlEncodedContent(fields));
    }
}
