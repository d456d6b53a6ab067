using ChatMvc.Chat;
using ChatMvc.Tests.Accounts;
using ChatMvc.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace ChatMvc.Tests.Chat;

// A window opened again with nothing changed is the page kept from last time (WindowPages), with a fresh antiforgery
// token and client message id. After every kind of change the kept page must be exactly what rendering it afresh
// gives: a window opened with a query is never kept, so it is the fresh render to compare with.
public abstract class WindowPagesTests<TApp>(TApp app) : IClassFixture<TApp>
    where TApp : ChatAppFactory
{
    [Fact]
    public async Task After_every_kind_of_change_a_kept_window_is_the_page_a_fresh_render_gives()
    {
        using var ann = await app.NewPersonAsync("Ann Kept");
        using var bo = await app.NewPersonAsync("Bo Kept");
        using var cy = await app.NewPersonAsync("Cy Kept");
        using var dee = await app.NewPersonAsync("Dee Kept");
        var id = await ann.StartConversationAsync("Kept room", bo, cy);
        var elsewhere = await bo.StartConversationAsync(null, ann);
        await AssertKeptAsRenderedAsync(ann, id, "an empty window");

        await bo.SendAsync(id, "Hello @Ann Kept");
        await AssertKeptAsRenderedAsync(ann, id, "a message mentioning the viewer");

        var own = ChatSteps.MessageIds((await ann.SendAsync(id, "My own words")).Document)[^1];
        await AssertKeptAsRenderedAsync(ann, id, "the viewer's own message");

        var bos = ChatSteps.MessageIds((await bo.SendAsync(id, "To be edited")).Document)[^1];
        await AssertKeptAsRenderedAsync(ann, id, "another message");
        await bo.SubmitOnAsync(ChatUrls.EditMessage(id, bos), "main form", new() { ["body"] = "Edited words" });
        await AssertKeptAsRenderedAsync(ann, id, "an edit");

        await bo.ReactAsync(id, own, "👍");
        await AssertKeptAsRenderedAsync(ann, id, "someone else's reaction");
        await ann.ReactAsync(id, own, "🎉");
        await AssertKeptAsRenderedAsync(ann, id, "the viewer's reaction");

        await bo.DeleteMessageAsync(id, bos);
        await AssertKeptAsRenderedAsync(ann, id, "a deletion");

        await ann.SubmitOnAsync(ChatUrls.Members(id), $"form[action='{ChatUrls.Title(id)}']", new() { ["title"] = "Renamed room" });
        await AssertKeptAsRenderedAsync(ann, id, "a new title");

        await ann.SubmitOnAsync(ChatUrls.Members(id), "form.add-members", new() { ["selected"] = dee.Id.ToString() });
        await AssertKeptAsRenderedAsync(ann, id, "a new member");
        await cy.SubmitOnAsync("/profile", "main form", new() { ["displayName"] = "Cy Renamed" });
        await AssertKeptAsRenderedAsync(ann, id, "a member's new name");
        await ann.SubmitOnAsync(ChatUrls.Members(id), $"#member-{cy.Id} form");
        await AssertKeptAsRenderedAsync(ann, id, "a member removed");

        await bo.SendAsync(elsewhere, "Over here");
        await AssertKeptAsRenderedAsync(ann, id, "news in another conversation (the sidebar, the tab title)");

        await ann.Client.SubmitAsync(await ann.OpenAsync(id), new() { ["level"] = NotificationLevels.None }, "form#notification-level");
        await AssertKeptAsRenderedAsync(ann, id, "a new notification level");

        await ann.SubmitOnAsync("/profile", "main form", new() { ["displayName"] = "Ann Renamed" });
        await AssertKeptAsRenderedAsync(ann, id, "the viewer's new name");

        await ann.SubmitOnAsync("/profile", "main form", new() { ["timeZone"] = "Pacific/Kiritimati" });
        await AssertKeptAsRenderedAsync(ann, id, "the viewer's new time zone");

        // Another viewer never gets Ann's page: their own controls, reactions and sidebar.
        await AssertKeptAsRenderedAsync(bo, id, "another viewer");
    }

    [Fact]
    public async Task Each_kept_window_sends_with_its_own_client_message_id_and_a_working_token()
    {
        using var ann = await app.NewPersonAsync("Ann Twice");
        using var bo = await app.NewPersonAsync("Bo Twice");
        var id = await ann.StartConversationAsync(null, bo);
        await ann.OpenAsync(id);
        var pages = app.Services.GetRequiredService<WindowPages>();
        var reused = pages.Reuses;

        var first = await ann.OpenAsync(id);
        var second = await ann.OpenAsync(id);

        Assert.Equal(reused + 2, pages.Reuses);
        Assert.NotEqual(ClientMessageIdOf(first), ClientMessageIdOf(second));
        Assert.NotEqual(TokenOf(first), TokenOf(second));
        Assert.EndsWith(
            $"?checked={ClientMessageIdOf(second)}#composer", second.Document.QuerySelector("a.check-link")!.GetAttribute("href"), StringComparison.Ordinal);

        // Sent from both pages, as from two tabs: two messages, not a retry of one.
        await ann.Client.SubmitAsync(first, new() { ["Body"] = "From the first tab" }, "form#composer");
        await ann.Client.SubmitAsync(second, new() { ["Body"] = "From the second tab" }, "form#composer");
        Assert.Equal(["From the first tab", "From the second tab"], ChatSteps.MessageTexts((await bo.OpenAsync(id)).Document));
    }

    [Fact]
    public async Task A_window_with_a_status_to_show_once_or_a_query_is_rendered_and_not_kept()
    {
        using var ann = await app.NewPersonAsync("Ann Status");
        using var bo = await app.NewPersonAsync("Bo Status");
        var id = await ann.StartConversationAsync("Status room", bo);
        var messageId = ChatSteps.MessageIds((await bo.SendAsync(id, "Reply to me")).Document)[^1];
        await ann.OpenAsync(id);
        var kept = await ann.OpenAsync(id);
        var pages = app.Services.GetRequiredService<WindowPages>();
        var (reused, rendered) = (pages.Reuses, pages.Renders);

        var withStatus = await ann.Client.SubmitAsync(kept, new() { ["level"] = NotificationLevels.Mentions }, "form#notification-level");
        var replying = await ann.Client.GetAsync(ChatUrls.Conversation(id) + $"?replyTo={messageId}");
        var checkedAgain = await ann.Client.GetAsync(ChatUrls.Conversation(id) + "?checked=1");

        Assert.Equal((reused, rendered), (pages.Reuses, pages.Renders));
        Assert.Equal(ChatUrls.Conversation(id), withStatus.Path);
        Assert.NotNull(withStatus.Document.QuerySelector("main .status-message"));
        Assert.NotNull(replying.Document.QuerySelector("#reply-slot .reply-quote"));
        Assert.Equal(System.Net.HttpStatusCode.OK, checkedAgain.Status);

        // Said once: the next window has no status, and is the one kept from now on.
        Assert.Null((await ann.OpenAsync(id)).Document.QuerySelector("main .status-message"));
        Assert.Null((await ann.OpenAsync(id)).Document.QuerySelector("main .status-message"));
        Assert.Equal(reused + 1, pages.Reuses);
    }

    private async Task AssertKeptAsRenderedAsync(Participant viewer, long id, string after)
    {
        var pages = app.Services.GetRequiredService<WindowPages>();
        // The first opening may move the read position, which the next one shows; that one is kept.
        await viewer.OpenAsync(id);
        var previous = await viewer.OpenAsync(id);
        var reused = pages.Reuses;

        var kept = await viewer.OpenAsync(id);
        var fresh = await viewer.Client.GetAsync(ChatUrls.Conversation(id) + "?fresh=1");

        Assert.True(pages.Reuses == reused + 1, $"After {after}, the window was not kept.");
        Assert.NotEqual(TokenOf(previous), TokenOf(kept));
        Assert.NotEqual(ClientMessageIdOf(previous), ClientMessageIdOf(kept));
        Assert.Equal(Headers(fresh), Headers(kept));
        var expected = Normalised(fresh);
        var actual = Normalised(kept);
        Assert.True(expected == actual, $"After {after}, the kept window differs from a fresh one:\n{FirstDifference(expected, actual)}");
    }

    private static string TokenOf(Page page) =>
        page.Document.QuerySelector("input[name='__RequestVerificationToken']")!.GetAttribute("value")!;

    private static string ClientMessageIdOf(Page page) =>
        page.Document.QuerySelector("#client-message-id")!.GetAttribute("value")!;

    private static string Normalised(Page page) =>
        page.Document.DocumentElement.OuterHtml.Replace(TokenOf(page), "TOKEN", StringComparison.Ordinal)
            .Replace(ClientMessageIdOf(page), "CLIENT-MESSAGE-ID", StringComparison.Ordinal);

    private static List<string> Headers(Page page) =>
        page.Response.Headers.Concat(page.Response.Content.Headers)
            .Where(header => header.Key is not ("Date" or "Content-Length" or "Set-Cookie"))
            .Select(header => $"{header.Key}: {string.Join(", ", header.Value)}")
            .Order(StringComparer.Ordinal)
            .ToList();

    private static string FirstDifference(string expected, string actual)
    {
        var at = 0;
        while (at < expected.Length && at < actual.Length && expected[at] == actual[at])
        {
            at++;
        }

        var from = Math.Max(0, at - 200);
        return $"fresh: …{expected[from..Math.Min(expected.Length, at + 200)]}\nkept:  …{actual[from..Math.Min(actual.Length, at + 200)]}";
    }
}

public sealed class WindowPagesTestsOnSqlite(SqliteApp app) : WindowPagesTests<SqliteApp>(app);

public sealed class WindowPagesTestsOnMariaDb(MariaDbApp app) : WindowPagesTests<MariaDbApp>(app);

// The day a page was rendered on is part of what it shows ("Today", a time without a date): a window kept yesterday is
// not today's.
public sealed class WindowPagesDayTests : IDisposable
{
    private readonly DayClockApp app = new();

    [Fact]
    public async Task A_window_kept_yesterday_is_rendered_again_today()
    {
        using var ann = await app.NewPersonAsync("Ann Day");
        using var bo = await app.NewPersonAsync("Bo Day");
        var id = await ann.StartConversationAsync(null, bo);
        await bo.SendAsync(id, "Sent today");
        await ann.OpenAsync(id);
        var pages = app.Services.GetRequiredService<WindowPages>();
        var today = await ann.OpenAsync(id);
        var reused = pages.Reuses;
        Assert.Equal("Today", DayLabel(await ann.OpenAsync(id)));
        Assert.Equal(reused + 1, pages.Reuses);

        app.Clock.Advance(TimeSpan.FromDays(1));
        var tomorrow = await ann.OpenAsync(id);

        Assert.Equal(reused + 1, pages.Reuses);
        Assert.Equal("Today", DayLabel(today));
        Assert.Equal("Yesterday", DayLabel(tomorrow));
    }

    public void Dispose() => app.Dispose();

    private static string DayLabel(Page page) => page.Document.QuerySelector("#messages .day-separator")!.TextContent.Trim();

    private sealed class DayClockApp() : ChatAppFactory(Engine.Sqlite)
    {
        public SecurityStampTests.ManualClock Clock { get; } = new();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
        }
    }
}
