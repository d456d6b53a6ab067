using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using ChatMvc.Chat;
using ChatMvc.Data;
using ChatMvc.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ChatMvc.Tests.Chat;

// A list poll that found a change answers with only the rows that changed, out of band, each placed where the list's
// order puts it; the list page and the chat window's sidebar render from cached rows.
public abstract class ConversationListDeltaTests<TApp>(TApp app) : IClassFixture<TApp>
    where TApp : ChatAppFactory
{
    private static readonly HtmlParser Parser = new();

    [Fact]
    public async Task A_list_poll_after_one_message_in_one_of_many_conversations_returns_only_that_row_out_of_band_first()
    {
        using var ann = await app.NewPersonAsync("Ann Many");
        using var bo = await app.NewPersonAsync("Bo Many");
        var groups = new List<long>();
        for (var i = 1; i <= 5; i++)
        {
            var id = await ann.StartConversationAsync($"Group {i}", bo);
            await ann.SendAsync(id, $"Opening {i}");
            groups.Add(id);
        }

        var version = ListVersionOf((await bo.Client.GetAsync("/")).Document);
        await ann.SendAsync(groups[1], "News in the second for @Bo Many");

        var poll = await ListPollAsync(bo, version);

        Assert.Equal(HttpStatusCode.OK, poll.Status);
        Assert.Equal("none", poll.Reswap);
        var rows = poll.Fragment.QuerySelectorAll("li.conversation-row");
        var row = Assert.Single(rows);
        Assert.Equal($"conversation-{groups[1]}", row.Id);
        Assert.Contains("News in the second", row.QuerySelector(".conversation-preview")!.TextContent);
        Assert.Equal("afterbegin:#conversation-rows", row.ParentElement!.GetAttribute("data-hx-swap-oob"));
        var state = poll.State!;
        Assert.Equal("true", state.GetAttribute("data-hx-swap-oob"));
        // Groups count mentions by default.
        Assert.Equal("1", state.GetAttribute("data-unread-total"));
        Assert.Equal("true", state.GetAttribute("data-mentioned"));
        Assert.Equal("", state.GetAttribute("data-removed"));
        Assert.Null(poll.Fragment.QuerySelector("#conversation-list"));

        // The new version is idle, and the list page agrees with the database.
        Assert.Equal(HttpStatusCode.NoContent, (await ListPollAsync(bo, poll.Version)).Status);
        await AssertListMatchesDatabaseAsync(bo);
    }

    [Fact]
    public async Task A_changed_row_that_is_not_the_newest_goes_after_the_row_before_it()
    {
        using var ann = await app.NewPersonAsync("Ann Order");
        using var bo = await app.NewPersonAsync("Bo Order");
        var older = await ann.StartConversationAsync("Older", bo);
        await ann.SendAsync(older, "Old news for @Bo Order");
        var newer = await ann.StartConversationAsync("Newer", bo);
        await ann.SendAsync(newer, "New news for @Bo Order");
        var version = ListVersionOf((await bo.Client.GetAsync("/")).Document);

        // Reading the older one changes its count, not its place.
        await bo.OpenAsync(older);
        var poll = await ListPollAsync(bo, version);

        var row = Assert.Single(poll.Fragment.QuerySelectorAll("li.conversation-row"));
        Assert.Equal($"conversation-{older}", row.Id);
        Assert.Equal($"afterend:#conversation-{newer}", row.ParentElement!.GetAttribute("data-hx-swap-oob"));
        Assert.Equal("0", row.GetAttribute("data-unread"));
        Assert.Equal("1", poll.State!.GetAttribute("data-unread-total"));
    }

    [Fact]
    public async Task Leaving_being_removed_and_deletion_take_the_row_out_and_a_new_conversation_adds_one()
    {
        using var ann = await app.NewPersonAsync("Ann Moves");
        using var bo = await app.NewPersonAsync("Bo Moves");
        using var cy = await app.NewPersonAsync("Cy Moves");
        var kept = await ann.StartConversationAsync("Kept", bo);
        var left = await ann.StartConversationAsync("Left", bo);
        var removedFrom = await ann.StartConversationAsync("Removed from", bo);
        var deleted = await bo.StartConversationAsync("Deleted", ann);
        var version = ListVersionOf((await bo.Client.GetAsync("/")).Document);

        AssertDone(await bo.PostWithTokenAsync(ChatUrls.Leave(left)));
        AssertDone(await ann.PostWithTokenAsync(ChatUrls.RemoveMember(removedFrom, bo.Id)));
        AssertDone(await bo.PostWithTokenAsync(ChatUrls.Delete(deleted)));
        var poll = await ListPollAsync(bo, version);

        Assert.Empty(poll.Fragment.QuerySelectorAll("li.conversation-row"));
        Assert.Equal(
            new[] { left, removedFrom, deleted }.Order().Select(id => id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            poll.State!.GetAttribute("data-removed")!.Split(' '));

        var started = await cy.StartConversationAsync(null, bo);
        var added = await ListPollAsync(bo, poll.Version);
        var row = Assert.Single(added.Fragment.QuerySelectorAll("li.conversation-row"));
        Assert.Equal($"conversation-{started}", row.Id);
        Assert.Equal("Cy Moves", row.QuerySelector(".conversation-title")!.TextContent);
        Assert.Equal("afterbegin:#conversation-rows", row.ParentElement!.GetAttribute("data-hx-swap-oob"));

        var page = (await bo.Client.GetAsync("/")).Document;
        Assert.Equal(
            [$"conversation-{started}", $"conversation-{kept}"],
            page.QuerySelectorAll("#conversation-rows > li").Select(li => li.Id));
        await AssertListMatchesDatabaseAsync(bo);
    }

    [Fact]
    public async Task A_version_the_server_cannot_account_for_gets_the_whole_list()
    {
        using var ann = await app.NewPersonAsync("Ann Old");
        using var bo = await app.NewPersonAsync("Bo Old");
        var first = await ann.StartConversationAsync("First", bo);
        var second = await ann.StartConversationAsync("Second", bo);
        var version = ListVersionOf((await bo.Client.GetAsync("/")).Document);

        // More changes than are remembered, through the write path every change takes.
        var cache = app.Services.GetRequiredService<ConversationCache>();
        for (var i = 0; i <= ConversationCache.InboxChangesKept; i++)
        {
            await cache.TouchInboxesAsync(first, [bo.Id]);
        }

        var tooOld = await ListPollAsync(bo, version);
        Assert.Null(tooOld.Reswap);
        Assert.Equal(
            [$"conversation-{second}", $"conversation-{first}"],
            tooOld.Fragment.QuerySelectorAll("#conversation-list #conversation-rows > li").Select(li => li.Id));

        // A version from another time (before the cache was flushed, or made up) as well.
        var unknown = await ListPollAsync(bo, "1");
        Assert.Equal(2, unknown.Fragment.QuerySelectorAll("#conversation-list li.conversation-row").Length);

        // From the whole list's version on, deltas again.
        await ann.SendAsync(first, "Back to deltas");
        var delta = await ListPollAsync(bo, tooOld.Version);
        Assert.Equal($"conversation-{first}", Assert.Single(delta.Fragment.QuerySelectorAll("li.conversation-row")).Id);
    }

    [Fact]
    public async Task Unread_counts_mentions_and_notification_levels_stay_right_through_deltas()
    {
        using var ann = await app.NewPersonAsync("Ann Counts");
        using var bo = await app.NewPersonAsync("Bo Counts");
        var quiet = await ann.StartConversationAsync("Quiet", bo);
        var busy = await ann.StartConversationAsync("Busy", bo);
        var direct = await ann.StartConversationAsync(null, bo);
        var version = ListVersionOf((await bo.Client.GetAsync("/")).Document);

        await ann.SendAsync(busy, "One");
        await ann.SendAsync(busy, "Two for @Bo Counts");
        await ann.SendAsync(quiet, "Hush");
        await ann.SendAsync(direct, "Psst");
        var poll = await ListPollAsync(bo, version);
        Assert.Equal(3, poll.Fragment.QuerySelectorAll("li.conversation-row").Length);
        Assert.Equal("2", poll.State!.GetAttribute("data-unread-total"));
        Assert.Equal("true", poll.State.GetAttribute("data-mentioned"));
        var busyRow = poll.Fragment.QuerySelector($"#conversation-{busy}")!;
        Assert.Equal("1", busyRow.GetAttribute("data-unread"));
        Assert.Equal("1", busyRow.GetAttribute("data-mentions"));
        Assert.Equal("0", poll.Fragment.QuerySelector($"#conversation-{quiet}")!.GetAttribute("data-unread"));

        // Everything: the quiet group's message counts now; nothing: the direct one's no longer does.
        AssertDone(await bo.PostWithTokenAsync(
            ChatUrls.Notifications(quiet), new Dictionary<string, string> { ["level"] = NotificationLevels.All }));
        AssertDone(await bo.PostWithTokenAsync(
            ChatUrls.Notifications(direct), new Dictionary<string, string> { ["level"] = NotificationLevels.None }));
        var levelled = await ListPollAsync(bo, poll.Version);
        Assert.Equal(2, levelled.Fragment.QuerySelectorAll("li.conversation-row").Length);
        Assert.Equal("1", levelled.Fragment.QuerySelector($"#conversation-{quiet}")!.GetAttribute("data-unread"));
        Assert.Equal("0", levelled.Fragment.QuerySelector($"#conversation-{direct}")!.GetAttribute("data-unread"));
        Assert.Equal("2", levelled.State!.GetAttribute("data-unread-total"));

        // The direct conversation's title is the other person's name, and follows it.
        await ann.SubmitOnAsync("/profile", "form[action='/profile']", new Dictionary<string, string> { ["displayName"] = "Ann Renamed" });
        var renamed = await ListPollAsync(bo, levelled.Version);
        Assert.Equal("Ann Renamed", renamed.Fragment.QuerySelector($"#conversation-{direct} .conversation-title")!.TextContent);

        await bo.OpenAsync(busy);
        var read = await ListPollAsync(bo, renamed.Version);
        Assert.Equal("1", read.State!.GetAttribute("data-unread-total"));
        Assert.Equal("false", read.State.GetAttribute("data-mentioned"));
        await AssertListMatchesDatabaseAsync(bo);
    }

    [Fact]
    public async Task A_warm_list_page_runs_no_sql_and_a_change_reads_only_the_changed_row()
    {
        using var ann = await app.NewPersonAsync("Ann Warm");
        using var bo = await app.NewPersonAsync("Bo Warm");
        var id = await ann.StartConversationAsync("Warm", bo);
        await ann.StartConversationAsync("Also warm", bo);
        await bo.Client.GetAsync("/");
        var db = app.Services.GetRequiredService<ChatDb>();

        var opens = db.OpenCount;
        var warm = await bo.Client.GetAsync("/");
        Assert.Equal(opens, db.OpenCount);
        Assert.Equal(2, warm.Document.QuerySelectorAll("li.conversation-row").Length);

        await ann.SendAsync(id, "Warm again");
        opens = db.OpenCount;
        var changed = await bo.Client.GetAsync("/");
        Assert.Equal(opens + 1, db.OpenCount);
        Assert.Contains("Warm again", changed.Document.QuerySelector($"#conversation-{id} .conversation-preview")!.TextContent);
    }

    [Fact]
    public async Task A_warm_chat_windows_sidebar_runs_no_sql_and_shows_the_new_name_after_a_profile_change()
    {
        using var ann = await app.NewPersonAsync("Ann Shell");
        using var bo = await app.NewPersonAsync("Bo Shell");
        var id = await ann.StartConversationAsync("Shell", bo);
        var other = await ann.StartConversationAsync("Other", bo);
        await ann.SendAsync(id, "Hello");
        await bo.OpenAsync(id); // marks it read, which the next opening reads back
        await bo.OpenAsync(id);
        var db = app.Services.GetRequiredService<ChatDb>();

        var opens = db.OpenCount;
        await bo.OpenAsync(id);
        var window = db.OpenCount - opens;
        Assert.Equal(0, window);

        // A change in another conversation costs the sidebar exactly one read (that row, by id); otherwise it
        // costs nothing.
        await ann.SendAsync(other, "Elsewhere");
        opens = db.OpenCount;
        var page = await bo.OpenAsync(id);
        Assert.Equal(window + 1, db.OpenCount - opens);
        Assert.Contains("Elsewhere", page.Document.QuerySelector($".sidebar #conversation-{other} .conversation-preview")!.TextContent);
        opens = db.OpenCount;
        await bo.OpenAsync(id);
        Assert.Equal(window, db.OpenCount - opens);

        await bo.SubmitOnAsync("/profile", "form[action='/profile']", new Dictionary<string, string> { ["displayName"] = "Bo Renamed" });
        var renamed = await bo.OpenAsync(id);
        Assert.Equal("Bo Renamed", renamed.Document.QuerySelector(".sidebar-me bdi")!.TextContent);
    }

    private static void AssertDone(HttpResponseMessage response) =>
        Assert.True((int)response.StatusCode < 400, $"The form answered {response.StatusCode}.");

    // What the list page shows, from cached rows, is what the database says.
    private async Task AssertListMatchesDatabaseAsync(Participant person)
    {
        var page = (await person.Client.GetAsync("/")).Document;
        var expected = await app.Services.GetRequiredService<ConversationQueries>().ListForUserAsync(person.Id);
        var shown = page.QuerySelectorAll("#conversation-rows > li").ToList();
        Assert.Equal(expected.Select(c => $"conversation-{c.Id}"), shown.Select(li => li.Id));
        Assert.Equal(expected.Select(c => c.Unread.ToString(System.Globalization.CultureInfo.InvariantCulture)), shown.Select(li => li.GetAttribute("data-unread")));
        Assert.Equal(expected.Select(c => c.MarkedMentions.ToString(System.Globalization.CultureInfo.InvariantCulture)), shown.Select(li => li.GetAttribute("data-mentions")));
        Assert.Equal(expected.Select(c => c.DisplayTitle), shown.Select(li => li.QuerySelector(".conversation-title")!.TextContent));
        Assert.Equal(
            expected.Sum(c => c.Unread).ToString(System.Globalization.CultureInfo.InvariantCulture),
            page.QuerySelector("#conversation-list")!.GetAttribute("data-unread-total"));
    }

    internal static async Task<ListPoll> ListPollAsync(Participant person, string version)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/conversations/poll?v={version}");
        request.Headers.Add("HX-Request", "true");
        using var response = await person.Client.Http.SendAsync(request);
        var fragment = Parser.ParseDocument(await response.Content.ReadAsStringAsync());
        var reswap = response.Headers.TryGetValues("HX-Reswap", out var values) ? values.Single() : null;
        var state = fragment.QuerySelector("#conversation-list-state");
        var version2 = state?.GetAttribute("data-poll")!.Split("v=")[1].Split('&')[0] ?? version;
        return new ListPoll(response.StatusCode, fragment, reswap, state, version2);
    }

    internal static string ListVersionOf(IHtmlDocument page) =>
        page.QuerySelector("#conversation-list")!.GetAttribute("data-hx-get")!.Split("v=")[1].Split('&')[0];

    internal sealed record ListPoll(HttpStatusCode Status, IHtmlDocument Fragment, string? Reswap, IElement? State, string Version);
}

public sealed class ConversationListDeltaTestsOnSqlite(SqliteApp app) : ConversationListDeltaTests<SqliteApp>(app);

public sealed class ConversationListDeltaTestsOnMariaDb(MariaDbApp app) : ConversationListDeltaTests<MariaDbApp>(app);
