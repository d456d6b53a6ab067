using ChatMvc.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatMvc.Tests.Browser;

// The conversation list and the sidebar take only the rows that changed: each is updated in place, moved to where the
// list's order puts it, and the keyboard focus stays where it was.
public sealed class ConversationListBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private static readonly LocatorAssertionsToHaveTextOptions WithinFiveSeconds = new() { Timeout = 5000 };

    [Theory]
    [InlineData("/")]
    [InlineData("sidebar")]
    public async Task A_changed_row_moves_to_the_top_in_place_and_keeps_the_focus(string where)
    {
        await using var ann = await browser.RegisterPersonAsync("Ann");
        await using var bea = await browser.RegisterPersonAsync("Bea");
        await using var cy = await browser.RegisterPersonAsync("Cy");
        var older = await ann.StartConversationAsync(bea);
        await ann.SendAsync(older, "First");
        var newer = await cy.StartConversationAsync(bea);
        await cy.SendAsync(newer, "Second");
        var open = await ann.StartGroupAsync("Open beside", bea);
        var page = bea.Page;
        await page.SetViewportSizeAsync(1280, 800);
        await page.GotoAsync(where == "/" ? "/" : $"/conversations/{open}");
        var rows = page.Locator("#conversation-rows > li");
        await Expect(rows.First).ToHaveIdAsync($"conversation-{open}");

        // Marked, so a list drawn anew (rather than updated) would show.
        await page.EvaluateAsync("() => document.getElementById('conversation-list').dataset.drawn = 'once'");
        var link = page.Locator($"#conversation-{older} a.conversation-link");
        await link.FocusAsync();
        await ann.SendAsync(older, "Ping");

        await Expect(rows.First).ToHaveIdAsync($"conversation-{older}", new() { Timeout = 5000 });
        await Expect(page.Locator($"#conversation-{older} .conversation-unread")).ToHaveTextAsync("2 unread messages", WithinFiveSeconds);
        await Expect(link).ToBeFocusedAsync();
        await Expect(page.Locator($"#conversation-{older}")).ToHaveCountAsync(1);
        await Expect(rows).ToHaveCountAsync(3);
        Assert.Equal("once", await page.EvaluateAsync<string>("() => document.getElementById('conversation-list').dataset.drawn"));
        await Expect(page).ToHaveTitleAsync(new System.Text.RegularExpressions.Regex(@"^\(3\) "));

        // The next change comes from the version the first one brought: only that row moves.
        await cy.SendAsync(newer, "Pong");
        await Expect(rows.First).ToHaveIdAsync($"conversation-{newer}", new() { Timeout = 5000 });
        await Expect(rows.Nth(1)).ToHaveIdAsync($"conversation-{older}");
        await Expect(link).ToBeFocusedAsync();
        await Expect(rows).ToHaveCountAsync(3);
        Assert.Equal("once", await page.EvaluateAsync<string>("() => document.getElementById('conversation-list').dataset.drawn"));
    }
}
