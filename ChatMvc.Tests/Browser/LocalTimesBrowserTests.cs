using System.Globalization;
using ChatMvc.Chat;
using ChatMvc.Data;
using ChatMvc.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatMvc.Tests.Browser;

// A person in New York, in Chromium: with JavaScript the browser's zone, without it the zone of their profile.
public sealed class LocalTimesBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private const string NewYork = "America/New_York";

    private static readonly TimeZoneInfo NewYorkZone = TimeZoneInfo.FindSystemTimeZoneById(NewYork);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task In_New_York_no_message_time_reads_UTC_and_days_are_New_York_days(bool javaScript)
    {
        // en-GB: the browser's clock reads 23:30 like the server's, so one expectation serves both.
        await using var ann = await browser.RegisterPersonAsync("Ann York", javaScript, NewYork, "en-GB");
        await using var bea = await browser.RegisterPersonAsync("Bea York");
        var id = await ann.StartConversationAsync(bea);
        await bea.SendAsync(id, "Four days back");
        await bea.SendAsync(id, "Late last night");
        await bea.SendAsync(id, "Just now");
        var fourDaysBack = LocalNoonUtc(daysAgo: 4);
        // 23:30 yesterday in New York is already today in UTC: only a New York clock puts it under "Yesterday".
        var lateLastNight = LocalNoonUtc(daysAgo: 1).AddHours(11.5);
        await browser.App.BackdateMessageAsync(id, "Four days back", fourDaysBack);
        await browser.App.BackdateMessageAsync(id, "Late last night", lateLastNight);
        var page = ann.Page;
        if (!javaScript)
        {
            // Only the profile tells the server where the person is; with JavaScript it stays the default (UTC).
            await page.GotoAsync("/profile");
            await page.GetByLabel("Time zone").SelectOptionAsync(NewYork);
            await page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync(NewYork);
        }

        await page.GotoAsync(ChatUrls.Conversation(id));

        var log = page.GetByRole(AriaRole.Log);
        await Expect(TimeOf(page, "Late last night")).ToHaveTextAsync(MessageTime(lateLastNight));
        await Expect(TimeOf(page, "Four days back")).ToHaveTextAsync(MessageTime(fourDaysBack));
        var now = DateTime.Parse((await TimeOf(page, "Just now").GetAttributeAsync("datetime"))!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal);
        await Expect(TimeOf(page, "Just now")).ToHaveTextAsync(Local(now).ToString("HH:mm", CultureInfo.InvariantCulture));
        await Expect(log.Locator(".day-separator")).ToHaveTextAsync([DayLabel(fourDaysBack), "Yesterday", "Today"]);
        Assert.All(await page.Locator("time").AllInnerTextsAsync(), text => Assert.DoesNotContain("UTC", text));

        if (javaScript)
        {
            // A message arriving live joins today's group of days: no second "Today", its time in New York too.
            await bea.SendAsync(id, "Live from Bea");
            await Expect(log).ToContainTextAsync("Live from Bea", new() { Timeout = 5000 });
            await Expect(log.Locator(".day-separator")).ToHaveTextAsync([DayLabel(fourDaysBack), "Yesterday", "Today"]);
            await Expect(page.Locator("article.message").Last).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("message-continued"));
            Assert.All(await page.Locator("time").AllInnerTextsAsync(), text => Assert.DoesNotContain("UTC", text));
        }
    }

    private static string MessageTime(DateTime utc) =>
        Local(utc).ToString(Local(utc).Year == Local(DateTime.UtcNow).Year ? "d MMM, HH:mm" : "d MMM yyyy, HH:mm", CultureInfo.InvariantCulture);

    private static string DayLabel(DateTime utc) =>
        Local(utc).ToString(Local(utc).Year == Local(DateTime.UtcNow).Year ? "dddd d MMMM" : "dddd d MMMM yyyy", CultureInfo.InvariantCulture);

    private static DateTime Local(DateTime utc) => TimeZoneInfo.ConvertTimeFromUtc(utc, NewYorkZone);

    private static DateTime LocalNoonUtc(int daysAgo) =>
        TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(Local(DateTime.UtcNow).Date.AddDays(-daysAgo).AddHours(12), DateTimeKind.Unspecified), NewYorkZone);

    private static ILocator TimeOf(IPage page, string body) =>
        page.Locator("#messages article.message").Filter(new() { Has = page.Locator(".message-body", new() { HasTextString = body }) })
            .Locator(".message-meta time");
}
