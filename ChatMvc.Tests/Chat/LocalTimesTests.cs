using System.Globalization;
using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using ChatMvc.Chat;
using ChatMvc.Data;
using ChatMvc.Tests.Infrastructure;
using Dapper;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ChatMvc.Tests.Chat;

// Times without JavaScript: in the zone of the person's profile (App:DefaultTimeZone until they pick one), a day
// separator before each day's first message, a sender's quick succession of messages under one name, and the actions
// on a message in one menu.
public abstract class LocalTimesTests<TApp>(TApp app) : IClassFixture<TApp>
    where TApp : ChatAppFactory
{
    private const string NewYork = "America/New_York";

    private static readonly TimeZoneInfo NewYorkZone = TimeZoneInfo.FindSystemTimeZoneById(NewYork);

    [Fact]
    public async Task The_time_zone_picked_on_the_profile_is_stored_and_message_times_render_in_it()
    {
        using var ann = await app.NewPersonAsync("Ann Zone");
        using var bo = await app.NewPersonAsync("Bo Zone");
        var id = await ann.StartConversationAsync(null, bo);
        await ann.SendAsync(id, "Three days back");
        await ann.SendAsync(id, "Just now");
        var threeDaysBack = LocalNoonUtc(NewYorkZone, daysAgo: 3).AddMinutes(7);
        await app.BackdateMessageAsync(id, "Three days back", threeDaysBack);

        var saved = await SetTimeZoneAsync(ann, NewYork);

        Assert.Equal(HttpStatusCode.OK, saved.Status);
        Assert.Equal(NewYork, saved.Document.QuerySelector<IHtmlSelectElement>("#time-zone")!.Value);
        Assert.Equal(NewYork, await StoredZoneAsync(ann));
        var window = await ann.OpenAsync(id);
        var old = TimeOf(window.Document, "Three days back");
        Assert.Equal(threeDaysBack.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture), old.GetAttribute("datetime"));
        Assert.Equal(MessageTimeText(threeDaysBack, NewYorkZone), old.TextContent);
        Assert.Matches("^[0-9]{2}:[0-9]{2}$", TimeOf(window.Document, "Just now").TextContent);
        Assert.All(window.Document.QuerySelectorAll("time"), time => Assert.DoesNotContain("UTC", time.TextContent));
        // Bo picked no zone: the server's default (UTC) applies to him, and his profile offers it.
        Assert.Equal("UTC", (await bo.Client.GetAsync("/profile")).Document.QuerySelector<IHtmlSelectElement>("#time-zone")!.Value);
        Assert.Equal(MessageTimeText(threeDaysBack, TimeZoneInfo.Utc), TimeOf((await bo.OpenAsync(id)).Document, "Three days back").TextContent);
    }

    [Fact]
    public async Task An_unknown_time_zone_is_refused_with_a_form_error_and_nothing_is_stored()
    {
        using var ann = await app.NewPersonAsync("Ann Nowhere");

        var refused = await ann.SubmitOnAsync("/profile", "main form", new() { ["displayName"] = "Ann Renamed", ["timeZone"] = "Mars/Olympus_Mons" });
        var traversal = await ann.SubmitOnAsync("/profile", "main form", new() { ["timeZone"] = "../../../../etc/passwd" });

        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Contains("'Mars/Olympus_Mons' is not a time zone this server knows", refused.Document.QuerySelector("#time-zone-error")!.TextContent);
        Assert.Equal(HttpStatusCode.BadRequest, traversal.Status);
        Assert.Null(await StoredZoneAsync(ann));
        Assert.Equal("Ann Nowhere", (await ann.Client.GetAsync("/profile")).Document.QuerySelector<IHtmlInputElement>("#display-name")!.Value);
    }

    [Fact]
    public async Task Without_a_zone_of_their_own_people_see_times_in_App_DefaultTimeZone()
    {
        using var tokyoApp = app.WithWebHostBuilder(builder => builder.ConfigureAppConfiguration(config =>
            config.AddInMemoryCollection(new Dictionary<string, string?> { ["App:DefaultTimeZone"] = "Asia/Tokyo" })));
        using var client = new WebSession(tokyoApp);
        var user = AccountSteps.NewUser("Ann Tokyo");
        await client.RegisterAsync(user);
        using var ann = new Participant(client, user, await UserIdAsync(user));
        using var bo = await app.NewPersonAsync("Bo Tokyo");
        var id = await ann.StartConversationAsync(null, bo);
        await ann.SendAsync(id, "Konnichiwa");
        var sent = LocalNoonUtc(TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo"), daysAgo: 2).AddHours(9);
        await app.BackdateMessageAsync(id, "Konnichiwa", sent, tokyoApp.Services);

        var profile = await client.GetAsync("/profile");
        var window = await ann.OpenAsync(id);

        Assert.Equal("Asia/Tokyo", profile.Document.QuerySelector<IHtmlSelectElement>("#time-zone")!.Value);
        Assert.EndsWith(", 21:00", TimeOf(window.Document, "Konnichiwa").TextContent);
    }

    [Fact]
    public async Task Day_separators_read_today_yesterday_and_dates_in_each_viewer_s_zone()
    {
        using var ann = await app.NewPersonAsync("Ann Days");
        using var bo = await app.NewPersonAsync("Bo Days");
        var id = await ann.StartConversationAsync(null, bo);
        await SetTimeZoneAsync(ann, NewYork);
        foreach (var body in new[] { "Monday's news", "Late last night", "This morning" })
        {
            await ann.SendAsync(id, body);
        }

        var fourDaysBack = LocalNoonUtc(NewYorkZone, daysAgo: 4);
        // 23:30 yesterday in New York is already the next day in UTC.
        var lateLastNight = LocalNoonUtc(NewYorkZone, daysAgo: 1).AddHours(11.5);
        await app.BackdateMessageAsync(id, "Monday's news", fourDaysBack);
        await app.BackdateMessageAsync(id, "Late last night", lateLastNight);

        var annsWindow = (await ann.OpenAsync(id)).Document;
        var annsLog = annsWindow.QuerySelector("#messages")!;
        var bosLog = (await bo.OpenAsync(id)).Document.QuerySelector("#messages")!;

        var fourDaysBackLocal = TimeZoneInfo.ConvertTimeFromUtc(fourDaysBack, NewYorkZone);
        Assert.Equal(
            [fourDaysBackLocal.ToString(fourDaysBackLocal.Year == DateTime.UtcNow.Year ? "dddd d MMMM" : "dddd d MMMM yyyy", CultureInfo.InvariantCulture), "Yesterday", "Today"],
            annsLog.QuerySelectorAll("h2.day-separator").Select(h => h.TextContent.Trim()));
        Assert.Equal("Yesterday", SeparatorBefore(annsLog, "Late last night"));
        Assert.Equal(
            [DayOf(fourDaysBack, NewYorkZone), DayOf(lateLastNight, NewYorkZone), DayOf(DateTime.UtcNow, NewYorkZone)],
            annsLog.QuerySelectorAll("h2.day-separator").Select(h => h.GetAttribute("data-day")));
        // Bo's days are UTC days: the late message starts the day it was in UTC.
        Assert.Equal(DayOf(lateLastNight, TimeZoneInfo.Utc), PreviousSeparator(bosLog, "Late last night")?.GetAttribute("data-day"));
        Assert.NotEqual(DayOf(lateLastNight, TimeZoneInfo.Utc), DayOf(lateLastNight, NewYorkZone));
        Assert.Equal(["Monday's news", "Late last night", "This morning"], ChatSteps.MessageTexts(annsWindow));
    }

    [Fact]
    public async Task A_sender_s_quick_succession_is_grouped_while_each_message_still_names_its_sender()
    {
        using var ann = await app.NewPersonAsync("Ann Burst");
        using var bo = await app.NewPersonAsync("Bo Burst");
        var id = await ann.StartConversationAsync(null, bo);
        var window = await ann.OpenAsync(id);
        var (after, v) = ChatSteps.CursorOf(window.Document);
        foreach (var (who, body) in new[] { (ann, "One"), (ann, "Two"), (ann, "Three"), (bo, "Four"), (ann, "Five"), (ann, "Six, much later") })
        {
            await who.SendAsync(id, body);
        }

        var sixLater = DateTime.UtcNow.AddMinutes(6);
        await app.BackdateMessageAsync(id, "Six, much later", sixLater);
        var poll = await bo.PollAsync(id, after, v);
        var page = (await bo.OpenAsync(id)).Document;

        foreach (var document in new[] { page, poll.Fragment })
        {
            var articles = document.QuerySelectorAll("article.message").ToList();
            Assert.Equal([false, true, true, false, false, false], articles.Select(a => a.ClassList.Contains("message-continued")));
            Assert.All(articles.Take(3).Concat(articles.Skip(4)), a => Assert.StartsWith("Ann Burst wrote at", AccessibleText(a.QuerySelector(".message-meta")!)));
            Assert.StartsWith("Bo Burst wrote at", AccessibleText(articles[3].QuerySelector(".message-meta")!));
            Assert.All(articles, a => Assert.Equal(a.QuerySelector(".message-sender")!.TextContent.Contains("Ann") ? ann.Id.ToString() : bo.Id.ToString(), a.GetAttribute("data-sender")));
        }
    }

    [Fact]
    public async Task The_actions_menu_offers_edit_and_delete_on_own_messages_only_and_names_the_message_it_acts_on()
    {
        using var ann = await app.NewPersonAsync("Ann Menu");
        using var bo = await app.NewPersonAsync("Bo Menu");
        var id = await ann.StartConversationAsync(null, bo);
        await ann.SendAsync(id, "Mine to change");
        await bo.SendAsync(id, "Bo's own");
        // Read once, so the window opens at the newest page rather than at Bo's unread message.
        await ann.OpenAsync(id);

        var annsPage = (await ann.OpenAsync(id)).Document;
        var mine = Article(annsPage, "Mine to change");
        var bos = Article(annsPage, "Bo's own");

        Assert.Empty(bos.QuerySelectorAll("a[href$='/edit'], form[action$='/delete']"));
        Assert.Equal(["Reply to this message", "React to this message"], bos.QuerySelectorAll(".message-actions a").Select(a => Normalize(a.TextContent)));
        var menu = mine.QuerySelector("details.message-menu")!;
        var summary = menu.QuerySelector("summary")!;
        var time = summary.QuerySelector("time")!;
        Assert.Equal(mine.QuerySelector(".message-meta time")!.GetAttribute("datetime"), time.GetAttribute("datetime"));
        Assert.Equal($"Actions for the message from Ann Menu at {time.TextContent}", AccessibleText(summary));
        Assert.Equal(["Edit message", "Reply to this message", "React to this message"], menu.QuerySelectorAll(".message-actions a").Select(a => Normalize(a.TextContent)));
        Assert.Equal(["Delete message"], menu.QuerySelectorAll(".message-actions form[action$='/delete'] button").Select(b => Normalize(b.TextContent)));
        Assert.Single(Article((await bo.OpenAsync(id)).Document, "Bo's own").QuerySelectorAll("details.message-menu"));

        // Without JavaScript the menu's Edit link and Delete form still do their work.
        var messageId = ChatSteps.MessageIds(annsPage)[0];
        var edit = await ann.Client.GetAsync(menu.QuerySelector(".message-actions a[href$='/edit']")!.GetAttribute("href")!);
        var edited = await ann.Client.SubmitAsync(edit, new() { ["body"] = "Mine, changed" }, $"form#message-{messageId}");
        Assert.Contains("Mine, changed", ChatSteps.MessageTexts(edited.Document));
        var confirmation = await ann.SubmitOnAsync(ChatUrls.Conversation(id), $"#message-{messageId} .message-menu form[action$='/delete']");
        Assert.Equal("Delete this message?", confirmation.Document.QuerySelector("main h1")!.TextContent.Trim());
        var deleted = await ann.Client.SubmitAsync(confirmation, [], $"main form[action='{ChatUrls.DeleteMessage(id, messageId)}']");
        Assert.Equal(HttpStatusCode.OK, deleted.Status);
        Assert.Equal("Message deleted.", deleted.Document.QuerySelector($"#message-{messageId} .message-body")!.TextContent.Trim());
    }

    // The text a screen reader reads: without what is aria-hidden.
    private static string AccessibleText(IElement element) => Normalize(string.Concat(element.Descendants<IText>()
        .Where(text => text.ParentElement?.Closest("[aria-hidden=true]") is null)
        .Select(text => text.Data)));

    private static string Normalize(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    // What a message older than today reads as: "3 Dec, 10:42" (with the year when not this year).
    private static string MessageTimeText(DateTime utc, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTimeFromUtc(utc, zone);
        var thisYear = TimeZoneInfo.ConvertTimeFromUtc(DateTime.UtcNow, zone).Year;
        return local.ToString(local.Year == thisYear ? "d MMM, HH:mm" : "d MMM yyyy, HH:mm", CultureInfo.InvariantCulture);
    }

    private static string DayOf(DateTime utc, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTimeFromUtc(utc, zone).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    // Noon, some days back, in the zone: a time whose day does not move with daylight saving.
    private static DateTime LocalNoonUtc(TimeZoneInfo zone, int daysAgo)
    {
        var today = TimeZoneInfo.ConvertTimeFromUtc(DateTime.UtcNow, zone).Date;
        return TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(today.AddDays(-daysAgo).AddHours(12), DateTimeKind.Unspecified), zone);
    }

    private static IElement Article(IParentNode document, string body) =>
        document.QuerySelectorAll("article.message").Single(a => a.QuerySelector(".message-body")?.TextContent.Trim() == body);

    private static IElement TimeOf(IParentNode document, string body) => Article(document, body).QuerySelector(".message-meta time")!;

    private static IElement? PreviousSeparator(IElement log, string body)
    {
        var element = Article(log, body).PreviousElementSibling;
        while (element is not null && !element.ClassList.Contains("day-separator"))
        {
            element = element.PreviousElementSibling;
        }

        return element;
    }

    private static string? SeparatorBefore(IElement log, string body) => PreviousSeparator(log, body)?.TextContent.Trim();

    private static async Task<Page> SetTimeZoneAsync(Participant person, string zone) =>
        await person.SubmitOnAsync("/profile", "main form", new() { ["timeZone"] = zone });

    private async Task<string?> StoredZoneAsync(Participant person)
    {
        await using var connection = await app.Services.GetRequiredService<ChatDb>().OpenAsync();
        return await connection.ExecuteScalarAsync<string?>("SELECT time_zone FROM users WHERE id = @Id", new { person.Id });
    }

    private async Task<long> UserIdAsync(TestUser user)
    {
        await using var connection = await app.Services.GetRequiredService<ChatDb>().OpenAsync();
        return await connection.ExecuteScalarAsync<long>(
            "SELECT id FROM users WHERE normalized_email = @email", new { email = user.Email.ToUpperInvariant() });
    }
}

public sealed class LocalTimesTestsOnSqlite(SqliteApp app) : LocalTimesTests<SqliteApp>(app);

public sealed class LocalTimesTestsOnMariaDb(MariaDbApp app) : LocalTimesTests<MariaDbApp>(app);
