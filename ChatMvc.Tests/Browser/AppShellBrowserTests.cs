using System.Text.RegularExpressions;
using ChatMvc.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatMvc.Tests.Browser;

// Where the window opens, on a desktop and on a phone, with JavaScript and without: at the newest message with the
// composer in view, or at the first unread message right after the divider.
public sealed class AppShellBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Theory]
    [InlineData(1280, 800, true)]
    [InlineData(1280, 800, false)]
    [InlineData(390, 844, true)]
    [InlineData(390, 844, false)]
    public async Task A_window_of_100_messages_opens_at_the_newest_with_the_whole_composer_in_view(int width, int height, bool javaScript)
    {
        await using var ann = await browser.RegisterPersonAsync("Ann", javaScript);
        await using var bea = await browser.RegisterPersonAsync("Bea");
        var id = await ann.StartConversationAsync(bea);
        await SendManyAsync(bea, id, "Note", 100);
        await ReadAllAsync(ann, id);
        var page = ann.Page;
        await page.SetViewportSizeAsync(width, height);

        await page.GotoAsync($"/conversations/{id}");

        await ExpectFullyInViewportAsync(page, page.Locator("#message-body"), width, height);
        await Expect(MessageIn(page, "Note 100")).ToBeInViewportAsync(new() { Ratio = 1 });
        await Expect(page.Locator("#unread-divider")).ToHaveCountAsync(0);
    }

    [Theory]
    [InlineData(1280, 800, true)]
    [InlineData(1280, 800, false)]
    [InlineData(390, 844, true)]
    [InlineData(390, 844, false)]
    public async Task A_window_with_60_unread_opens_at_the_first_unread_right_after_the_divider(int width, int height, bool javaScript)
    {
        await using var ann = await browser.RegisterPersonAsync("Ann", javaScript);
        await using var bea = await browser.RegisterPersonAsync("Bea");
        var id = await ann.StartConversationAsync(bea);
        await SendManyAsync(bea, id, "Read", 30);
        await ReadAllAsync(ann, id);
        await SendManyAsync(bea, id, "Unread", 60);
        var page = ann.Page;
        await page.SetViewportSizeAsync(width, height);

        await page.GotoAsync($"/conversations/{id}");

        var divider = page.Locator("#messages #unread-divider");
        await Expect(divider).ToBeInViewportAsync(new() { Ratio = 1 });
        await Expect(MessageIn(page, "Unread 1")).ToBeInViewportAsync(new() { Ratio = 1 });
        Assert.Equal("Unread 1", await divider.EvaluateAsync<string>("d => d.nextElementSibling.querySelector('.message-body').textContent.trim()"));
        await ExpectFullyInViewportAsync(page, page.Locator("#message-body"), width, height);
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "10 more unread messages" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Scrolled_up_the_reader_hears_of_new_messages_below_and_jumps_to_them_and_the_tab_title_counts_unread()
    {
        await using var ann = await browser.RegisterPersonAsync("Ann");
        await using var bea = await browser.RegisterPersonAsync("Bea");
        var id = await ann.StartConversationAsync(bea);
        await using var cy = await browser.RegisterPersonAsync("Cy");
        var other = await ann.StartConversationAsync(cy);
        await SendManyAsync(bea, id, "Note", 40);
        await ReadAllAsync(ann, id);
        var page = ann.Page;
        await page.SetViewportSizeAsync(1280, 800);
        await page.GotoAsync($"/conversations/{id}");
        var jump = page.GetByRole(AriaRole.Button, new() { Name = "Jump to latest" });
        await Expect(jump).ToBeHiddenAsync();

        await page.Locator("#messages").EvaluateAsync("box => { box.scrollTop = 0; }");
        await Expect(jump).ToBeVisibleAsync();
        await bea.SendAsync(id, "Arrived below");
        await bea.SendAsync(id, "And another");

        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasTextString = "new message" }))
            .ToHaveTextAsync("2 new messages below", new() { Timeout = 8000 });
        await Expect(MessageIn(page, "And another")).Not.ToBeInViewportAsync();
        await jump.ClickAsync();
        await Expect(MessageIn(page, "And another")).ToBeInViewportAsync();
        await Expect(page.Locator("#new-below")).ToBeEmptyAsync();
        await Expect(jump).ToBeHiddenAsync();

        await cy.SendAsync(other, "Elsewhere");
        await Expect(page).ToHaveTitleAsync(new Regex(@"^\(1\) "), new() { Timeout = 8000 });
    }

    private static ILocator MessageIn(IPage page, string text) =>
        page.Locator("#messages article.message").Filter(new() { Has = page.Locator(".message-body", new() { HasTextRegex = new Regex($"^{Regex.Escape(text)}$") }) });

    private static async Task ExpectFullyInViewportAsync(IPage page, ILocator element, int width, int height)
    {
        await Expect(element).ToBeVisibleAsync();
        var box = (await element.BoundingBoxAsync())!;
        var inside = box.X >= 0 && box.Y >= 0 && box.X + box.Width <= width && box.Y + box.Height <= height;
        Assert.True(inside, $"{await element.GetAttributeAsync("id")} is at ({box.X}, {box.Y}) sized {box.Width}×{box.Height} in a {width}×{height} viewport "
            + $"on {page.Url}: {await page.EvaluateAsync<string>("() => `body ${document.body.className} ${innerWidth}×${innerHeight}, log ${getComputedStyle(document.getElementById('messages')).overflowY}`")}.");
        var scrolled = await page.EvaluateAsync<double>("() => window.scrollY");
        Assert.Equal(0, scrolled);
    }

    private static async Task SendManyAsync(BrowserPerson person, long conversationId, string prefix, int count)
    {
        for (var i = 1; i <= count; i++)
        {
            await person.SendAsync(conversationId, $"{prefix} {i}");
        }
    }

    // Each opening shows up to one window of unread messages and marks them read.
    private static async Task ReadAllAsync(BrowserPerson person, long conversationId)
    {
        for (var i = 0; i < 5; i++)
        {
            await person.ReadAsync(conversationId);
        }
    }
}
