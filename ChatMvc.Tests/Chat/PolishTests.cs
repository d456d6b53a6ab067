using System.Net;
using AngleSharp.Html.Dom;
using ChatMvc.Chat;
using ChatMvc.Images;
using ChatMvc.Tests.Images;
using ChatMvc.Tests.Infrastructure;

namespace ChatMvc.Tests.Chat;

// What a person notices along the way: confirmations, the delete confirmation page, the photo viewer, the people
// search, initials and hints that say what the page does.
public abstract class PolishTests<TApp>(TApp app) : IClassFixture<TApp>
    where TApp : ChatAppFactory
{
    private static readonly Lazy<byte[]> SamplePhoto = new(() => TestImages.Encode(800, 600, ImageFormat.Jpeg));

    private static Upload Photo => new("lake.jpg", "image/jpeg", SamplePhoto.Value);

    private static string? StatusOf(Page page) => page.Document.QuerySelector("main .status-message[role=status]")?.TextContent.Trim();

    private static string Squash(string text) => string.Join(' ', text.Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries));

    private Task<long> DeletedAtAsync(long messageId) =>
        app.ScalarAsync("SELECT COALESCE(deleted_at, 0) FROM messages WHERE id = @messageId", new { messageId });

    [Fact]
    public async Task Deleting_a_message_without_javascript_asks_on_a_page_of_its_own_then_says_it_is_done()
    {
        using var ann = await app.NewPersonAsync("Ann Deletes");
        using var bo = await app.NewPersonAsync("Bo");
        var id = await ann.StartConversationAsync(null, bo);
        var window = await ann.SendAsync(id, "The door code is 4821");
        var messageId = ChatSteps.MessageIds(window.Document)[^1];

        // The Delete button opens the confirmation page, by GET, with no token to put in the URL.
        var deleteForm = (IHtmlFormElement)window.Document.QuerySelector($"#message-{messageId} .message-actions form")!;
        Assert.Equal("get", deleteForm.Method, ignoreCase: true);
        Assert.Equal(ChatUrls.DeleteMessage(id, messageId), deleteForm.GetAttribute("action"));
        Assert.Null(deleteForm.QuerySelector("input[name=__RequestVerificationToken]"));

        var confirm = await ann.Client.GetAsync(ChatUrls.DeleteMessage(id, messageId));
        Assert.Equal(HttpStatusCode.OK, confirm.Status);
        Assert.Equal("Delete this message?", confirm.Document.QuerySelector("main h1")!.TextContent.Trim());
        Assert.Contains("The door code is 4821", confirm.MainText);
        Assert.Equal(0, await DeletedAtAsync(messageId));
        Assert.NotNull(confirm.Document.QuerySelector($"main a[href='{ChatUrls.MessageInConversation(id, messageId)}']"));

        var after = await ann.Client.SubmitAsync(confirm, [], $"main form[action='{ChatUrls.DeleteMessage(id, messageId)}']");

        Assert.Equal(HttpStatusCode.OK, after.Status);
        Assert.Equal(ChatUrls.Conversation(id), after.Path);
        Assert.Equal("Message deleted.", StatusOf(after));
        Assert.NotEqual(0, await DeletedAtAsync(messageId));
        Assert.Contains("Message deleted.", after.Document.QuerySelector($"#message-{messageId}")!.TextContent);
        // Said once: the next page has no confirmation left over.
        Assert.Null(StatusOf(await ann.OpenAsync(id)));
    }

    [Fact]
    public async Task The_delete_confirmation_is_404_for_an_outsider_403_for_a_member_who_may_not_delete_and_404_once_deleted()
    {
        using var ann = await app.NewPersonAsync("Ann Owner");
        using var bo = await app.NewPersonAsync("Bo Member");
        using var cy = await app.NewPersonAsync("Cy Member");
        using var eve = await app.NewPersonAsync("Eve Outsider");
        var group = await ann.StartConversationAsync("Confirmations", bo, cy);
        var window = await bo.SendAsync(group, "Bo's note");
        var messageId = ChatSteps.MessageIds(window.Document)[^1];
        var url = ChatUrls.DeleteMessage(group, messageId);

        Assert.Equal(HttpStatusCode.NotFound, (await eve.Client.GetAsync(url)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await cy.Client.GetAsync(url)).Status);
        // The group's owner may delete anyone's message, so is asked too.
        Assert.Equal(HttpStatusCode.OK, (await ann.Client.GetAsync(url)).Status);
        await bo.DeleteMessageAsync(group, messageId);
        Assert.Equal(HttpStatusCode.NotFound, (await bo.Client.GetAsync(url)).Status);
        Assert.NotEqual(0, await DeletedAtAsync(messageId));
    }

    [Fact]
    public async Task Leaving_a_group_says_so_on_the_next_page()
    {
        using var ann = await app.NewPersonAsync("Ann");
        using var bo = await app.NewPersonAsync("Bo Leaves");
        var group = await ann.StartConversationAsync("Design team (Q4)", bo);

        var next = await bo.SubmitOnAsync(ChatUrls.Members(group), $"form[action='{ChatUrls.Leave(group)}']");

        Assert.Equal(HttpStatusCode.OK, next.Status);
        Assert.Equal("You left “Design team (Q4)”.", StatusOf(next));
        Assert.Null(StatusOf(await bo.Client.GetAsync("/")));
    }

    [Fact]
    public async Task Pages_set_no_status_cookie_until_there_is_a_status_and_clear_it_once_shown()
    {
        const string cookie = ".AspNetCore.Mvc.CookieTempDataProvider";
        using var ann = await app.NewPersonAsync("Ann");
        using var bo = await app.NewPersonAsync("Bo Cookie");
        var group = await ann.StartConversationAsync("Cookie jar", bo);

        var window = await bo.OpenAsync(group);
        var next = await bo.SubmitOnAsync(ChatUrls.Members(group), $"form[action='{ChatUrls.Leave(group)}']");
        var after = await bo.Client.GetAsync("/");

        Assert.Empty(SetCookies(window, cookie));
        Assert.Equal("You left “Cookie jar”.", StatusOf(next));
        var cleared = Assert.Single(SetCookies(next, cookie));
        Assert.Contains("expires=Thu, 01 Jan 1970", cleared, StringComparison.OrdinalIgnoreCase);
        Assert.Null(StatusOf(after));
        Assert.Empty(SetCookies(after, cookie));
    }

    private static List<string> SetCookies(Page page, string name) =>
        page.Response.Headers.TryGetValues("Set-Cookie", out var values)
            ? values.Where(v => v.StartsWith(name + "=", StringComparison.Ordinal)).ToList()
            : [];

    [Fact]
    public async Task Deleting_a_group_or_hiding_a_direct_conversation_says_so_on_the_next_page()
    {
        using var ann = await app.NewPersonAsync("Ann");
        using var bo = await app.NewPersonAsync("Bo Hidden");
        var group = await ann.StartConversationAsync("Old project", bo);
        var direct = await ann.StartConversationAsync(null, bo);

        var deleted = await ann.SubmitOnAsync(ChatUrls.Delete(group), $"main form[action='{ChatUrls.Delete(group)}']");
        var hidden = await ann.SubmitOnAsync(ChatUrls.Members(direct), $"form[action='{ChatUrls.Hide(direct)}']");

        Assert.Equal("“Old project” was deleted for everyone.", StatusOf(deleted));
        Assert.Equal("“Bo Hidden” is hidden from your list until someone writes in it again.", StatusOf(hidden));
    }

    [Fact]
    public async Task A_group_named_with_brackets_and_digits_gets_initials_from_its_letters()
    {
        using var ann = await app.NewPersonAsync("Ann");
        using var bo = await app.NewPersonAsync("Bo");
        var group = await ann.StartConversationAsync("Design team (Q4)", bo);

        var list = await ann.Client.GetAsync("/");

        var row = list.Document.QuerySelectorAll("main li").Single(li => li.TextContent.Contains("Design team (Q4)"));
        Assert.Equal("DT", row.QuerySelector(".avatar-initials")!.TextContent.Trim());
        Assert.True(group > 0);
    }

    [Fact]
    public async Task The_people_search_without_javascript_keeps_the_antiforgery_token_out_of_the_url()
    {
        using var ann = await app.NewPersonAsync("Ann Searcher");
        using var bo = await app.NewPersonAsync("Bo Findable");
        using var cy = await app.NewPersonAsync("Cy Findable");
        var page = await ann.Client.GetAsync($"{ChatUrls.NewConversation}?selected={bo.Id}");
        var form = (IHtmlFormElement)page.Document.QuerySelector("form.new-conversation")!;
        var search = (IHtmlButtonElement)form.QuerySelectorAll("button").Single(b => b.TextContent.Trim() == "Search");

        // What the browser does with the Search button: the form's fields, by the button's method, to its action.
        var method = search.GetAttribute("formmethod") ?? form.GetAttribute("method") ?? "get";
        Assert.Equal("post", method, ignoreCase: true);
        var fields = new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = form.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!,
            ["q"] = "Cy Findable",
            ["selected"] = $"{bo.Id}",
            ["title"] = "Planning",
        };
        using var response = await ann.Client.Http.PostAsync(search.GetAttribute("formaction"), new FormUrlEncodedContent(fields));

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        var location = response.Headers.Location!.OriginalString;
        Assert.DoesNotContain("RequestVerificationToken", location, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(fields["__RequestVerificationToken"], location, StringComparison.Ordinal);
        var results = await ann.Client.GetAsync(location);
        Assert.Equal(HttpStatusCode.OK, results.Status);
        Assert.True(((IHtmlInputElement)results.Document.QuerySelector($"#person-{bo.Id}")!).IsChecked);
        Assert.NotNull(results.Document.QuerySelector($"#person-{cy.Id}"));
        Assert.Equal("Cy Findable", results.Document.QuerySelector("#people-query")!.GetAttribute("value"));
        Assert.Equal("Planning", results.Document.QuerySelector("#group-title")!.GetAttribute("value"));
        // No GET form on the page carries a token either.
        Assert.All(
            results.Document.QuerySelectorAll("form").Cast<IHtmlFormElement>().Where(f => f.Method.Equals("get", StringComparison.OrdinalIgnoreCase)),
            f => Assert.Null(f.QuerySelector("input[name=__RequestVerificationToken]")));
    }

    [Fact]
    public async Task Without_javascript_the_composer_hint_does_not_say_that_enter_sends()
    {
        using var ann = await app.NewPersonAsync("Ann");
        using var bo = await app.NewPersonAsync("Bo");
        var id = await ann.StartConversationAsync(null, bo);

        var hint = (await ann.OpenAsync(id)).Document.QuerySelector("#composer-hint")!;

        Assert.DoesNotContain("Enter sends", hint.TextContent, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Send button", hint.TextContent, StringComparison.Ordinal);
        Assert.Equal("Enter sends; Shift+Enter starts a new line.", hint.GetAttribute("data-with-script"));
    }

    [Fact]
    public async Task A_photo_opens_in_a_page_with_its_description_sender_time_and_a_link_back_to_the_message()
    {
        using var ann = await app.NewPersonAsync("Ann Camera");
        using var bo = await app.NewPersonAsync("Bo");
        var id = await ann.StartConversationAsync("Lake trip", bo);
        var window = await ann.SendPhotoAsync(id, Photo, body: "From Friday", alt: "Five of us on the jetty");
        var messageId = ChatSteps.MessageIds(window.Document)[^1];
        var thumbnail = window.Document.QuerySelector($"#message-{messageId} .message-image img")!;

        var link = thumbnail.ParentElement!.GetAttribute("href")!;
        Assert.Equal(ChatUrls.Photo(id, messageId), link);
        Assert.EndsWith("/thumb", thumbnail.GetAttribute("src"), StringComparison.Ordinal);

        var viewer = await bo.Client.GetAsync(link);

        Assert.Equal(HttpStatusCode.OK, viewer.Status);
        Assert.NotNull(viewer.Document.QuerySelector("nav[aria-label=Main]"));
        var img = viewer.Document.QuerySelector("main figure img")!;
        Assert.Equal(thumbnail.GetAttribute("src")!.Replace("/thumb", "/display"), img.GetAttribute("src"));
        Assert.Equal("Five of us on the jetty", img.GetAttribute("alt"));
        var caption = Squash(viewer.Document.QuerySelector("main figure figcaption")!.TextContent);
        Assert.Contains("Five of us on the jetty", caption);
        Assert.Contains("From Friday", caption);
        Assert.Contains("Sent by Ann Camera at", caption);
        Assert.NotNull(viewer.Document.QuerySelector("main figcaption time[datetime]"));
        Assert.NotNull(viewer.Document.QuerySelector($"main a[href='{ChatUrls.MessageInConversation(id, messageId)}']"));
        Assert.Equal(HttpStatusCode.OK, (await bo.Client.Http.GetAsync(img.GetAttribute("src"))).StatusCode);
    }

    [Fact]
    public async Task The_photo_page_is_404_for_an_outsider_a_message_without_a_photo_and_a_deleted_photo()
    {
        using var ann = await app.NewPersonAsync("Ann");
        using var bo = await app.NewPersonAsync("Bo");
        using var eve = await app.NewPersonAsync("Eve Outsider");
        var id = await ann.StartConversationAsync(null, bo);
        var photoMessage = ChatSteps.MessageIds((await ann.SendPhotoAsync(id, Photo, alt: "A heron")).Document)[^1];
        var textMessage = ChatSteps.MessageIds((await ann.SendAsync(id, "Just words")).Document)[^1];

        Assert.Equal(HttpStatusCode.NotFound, (await eve.Client.GetAsync(ChatUrls.Photo(id, photoMessage))).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await bo.Client.GetAsync(ChatUrls.Photo(id, textMessage))).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await bo.Client.GetAsync(ChatUrls.Photo(id, 999_999_999))).Status);
        await ann.DeleteMessageAsync(id, photoMessage);
        Assert.Equal(HttpStatusCode.NotFound, (await bo.Client.GetAsync(ChatUrls.Photo(id, photoMessage))).Status);
    }

    [Fact]
    public async Task Only_the_first_messages_into_an_empty_window_remove_its_note_so_no_swap_targets_a_note_that_is_gone()
    {
        using var ann = await app.NewPersonAsync("Ann");
        using var bo = await app.NewPersonAsync("Bo");
        var id = await ann.StartConversationAsync(null, bo);
        var window = await ann.OpenAsync(id);
        Assert.NotNull(window.Document.QuerySelector("#messages #empty-log"));

        var first = await ann.SendWithHtmxAsync(window, "First!");
        Assert.Equal("delete", first.QuerySelector("#empty-log")?.GetAttribute("data-hx-swap-oob"));

        // The window's cursor has moved on: the note is gone from it, and nothing asks to remove it again.
        var (after, v) = ChatSteps.CursorOf(first);
        var second = await ann.SendWithHtmxAsync(window, "Second", after, v);
        Assert.Equal(["Second"], ChatSteps.MessageTexts(second));
        Assert.Null(second.QuerySelector("#empty-log"));
        var poll = await bo.PollAsync(id, after, v);
        Assert.Null(poll.Fragment.QuerySelector("#empty-log"));
    }
}

public sealed class PolishTestsOnSqlite(SqliteApp app) : PolishTests<SqliteApp>(app);

public sealed class PolishTestsOnMariaDb(MariaDbApp app) : PolishTests<MariaDbApp>(app);
