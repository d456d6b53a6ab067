using System.Text.RegularExpressions;
using ChatMvc.Chat;
using ChatMvc.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatMvc.Tests.Browser;

// Reactions and replies with JavaScript, by keyboard: the focus stays where the person is, the change is said, and
// the other member's open window shows it on its next poll.
public sealed class ReactionsBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task A_reaction_is_added_from_the_menu_and_toggled_off_by_keyboard_with_the_focus_kept_and_axe_clean()
    {
        await using var ann = await browser.RegisterPersonAsync("Ann Keys");
        await using var bea = await browser.RegisterPersonAsync("Bea Keys");
        var id = await ann.StartConversationAsync(bea);
        await bea.SendAsync(id, "React with the keyboard");
        await bea.Page.GotoAsync(ChatUrls.Conversation(id));
        var page = ann.Page;
        await page.GotoAsync(ChatUrls.Conversation(id));
        var messageId = await page.Locator("article.message", new() { HasText = "React with the keyboard" }).GetAttributeAsync("id");
        var message = page.Locator($"#{messageId}");

        await message.Locator("summary").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await PickerReadyAsync(message);
        await message.GetByRole(AriaRole.Button, new() { Name = "React with 👍" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");

        var reaction = message.Locator("ul.reactions button.reaction");
        await Expect(reaction).ToBeFocusedAsync();
        await Expect(reaction).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(reaction).ToHaveAccessibleNameAsync("👍 1 from you");
        await Expect(page.Locator("#reaction-status")).ToHaveTextAsync("You reacted with 👍.");
        Assert.Empty(await BrowserFixture.AxeViolationsAsync(page));

        // The other member's open window shows it on its next poll.
        var seen = bea.Page.Locator($"#{messageId} ul.reactions button.reaction");
        await Expect(seen).ToHaveAccessibleNameAsync($"👍 1 from {ann.Name}", new() { Timeout = 15_000 });
        await Expect(seen).ToHaveAttributeAsync("aria-pressed", "false");

        // Back in Ann's window: with several pages open in one browser, focus is reported only for the one in front.
        await page.BringToFrontAsync();
        await page.Keyboard.PressAsync("Space");
        await Expect(message.Locator("ul.reactions")).ToHaveCountAsync(0);
        await Expect(message.Locator("summary")).ToBeFocusedAsync();
        await Expect(page.Locator("#reaction-status")).ToHaveTextAsync("You removed your reaction 👍.");
        Assert.Empty(await BrowserFixture.AxeViolationsAsync(page));
    }

    [Fact]
    public async Task The_picker_arrives_when_the_menu_opens_and_takes_the_focus_from_the_link_it_replaces()
    {
        await using var ann = await browser.RegisterPersonAsync("Ann Waits");
        await using var bea = await browser.RegisterPersonAsync("Bea Waits");
        var id = await ann.StartConversationAsync(bea);
        await bea.SendAsync(id, "A slow network");
        var page = ann.Page;
        // The picker is held back until the keyboard has reached the link it replaces, as on a slow network.
        var release = new TaskCompletionSource();
        await page.RouteAsync("**/reactions", async route =>
        {
            await release.Task;
            await route.ContinueAsync();
        });
        await page.GotoAsync(ChatUrls.Conversation(id));
        var message = page.Locator("article.message", new() { HasText = "A slow network" });
        await Expect(message.Locator(".reaction-picker")).ToHaveCountAsync(0);

        await message.Locator("summary").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Tab");
        await Expect(message.GetByRole(AriaRole.Link, new() { Name = "React to this message" })).ToBeFocusedAsync();
        release.SetResult();

        await Expect(message.GetByRole(AriaRole.Button, new() { Name = "React with 👍" })).ToBeFocusedAsync();
        await Expect(message.GetByRole(AriaRole.Link, new() { Name = "React to this message" })).ToHaveCountAsync(0);
        Assert.Empty(await BrowserFixture.AxeViolationsAsync(page));
        await page.Keyboard.PressAsync("Enter");
        await Expect(message.Locator("ul.reactions button.reaction")).ToHaveAccessibleNameAsync("👍 1 from you");
    }

    [Fact]
    public async Task A_word_typed_in_the_menu_becomes_a_reaction_and_a_bad_one_shows_its_reason_in_place()
    {
        await using var ann = await browser.RegisterPersonAsync("Ann Words");
        await using var bea = await browser.RegisterPersonAsync("Bea Words");
        var id = await ann.StartConversationAsync(bea);
        await bea.SendAsync(id, "Say it in words");
        var page = ann.Page;
        await page.GotoAsync(ChatUrls.Conversation(id));
        var messageId = await page.Locator("article.message", new() { HasText = "Say it in words" }).GetAttributeAsync("id");
        var message = page.Locator($"#{messageId}");

        await message.Locator("summary").ClickAsync();
        await PickerReadyAsync(message);
        var field = message.GetByLabel("Other reaction");
        await field.FillAsync("far too long a word");
        await field.PressAsync("Enter");
        await Expect(message.GetByRole(AriaRole.Alert)).ToHaveTextAsync("A reaction can be at most 16 characters; this one has 19.");
        await Expect(message.GetByLabel("Other reaction")).ToBeFocusedAsync();
        Assert.Empty(await BrowserFixture.AxeViolationsAsync(page));

        await message.GetByLabel("Other reaction").FillAsync("nice");
        await message.GetByLabel("Other reaction").PressAsync("Enter");
        var reaction = message.Locator("ul.reactions button.reaction");
        await Expect(reaction).ToHaveAccessibleNameAsync("nice 1 from you");
        await Expect(reaction).ToBeFocusedAsync();
    }

    [Fact]
    public async Task Reply_from_the_menu_puts_the_quote_above_the_composer_and_the_sent_reply_quotes_the_original()
    {
        await using var ann = await browser.RegisterPersonAsync("Ann Replies");
        await using var bea = await browser.RegisterPersonAsync("Bea Asks");
        var id = await ann.StartConversationAsync(bea);
        await bea.SendAsync(id, "Who has the keys?");
        var page = ann.Page;
        await page.GotoAsync(ChatUrls.Conversation(id));
        var original = page.Locator("article.message", new() { HasText = "Who has the keys?" });

        await original.Locator("summary").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await original.GetByRole(AriaRole.Link, new() { Name = "Reply to this message" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");

        await Expect(page.Locator("#reply-quote")).ToContainTextAsync($"Replying to {bea.Name}: Who has the keys?");
        var composer = page.GetByLabel("Message", new() { Exact = true });
        await Expect(composer).ToBeFocusedAsync();
        Assert.Contains("/conversations/", page.Url);
        Assert.DoesNotContain("replyTo", page.Url);
        Assert.Empty(await BrowserFixture.AxeViolationsAsync(page));

        await composer.FillAsync("I do");
        await composer.PressAsync("Enter");

        var reply = page.Locator("article.message", new() { HasText = "I do" });
        await Expect(reply.Locator(".message-quote")).ToHaveTextAsync($"In reply to {bea.Name}: Who has the keys?");
        await Expect(page.Locator("#reply-quote")).ToHaveCountAsync(0);
        await Expect(composer).ToBeFocusedAsync();
    }

    // The picker arrives when the menu opens; until htmx has settled it (htmx-added is gone), its buttons and field are
    // still the plain forms that work without JavaScript, so a key pressed at once would leave the page, as it would for
    // a person that quick.
    private static async Task PickerReadyAsync(ILocator message)
    {
        var picker = message.Locator(".reaction-picker");
        await Expect(picker).ToHaveCountAsync(1);
        await Expect(picker).Not.ToHaveClassAsync(new Regex("htmx-added"));
    }
}
