using ChatMvc.Chat;
using ChatMvc.Data;
using ChatMvc.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatMvc.Tests.Browser;

// The composer's @ picker by keyboard, and desktop notifications from the window's poll.
public sealed class MentionBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    // A browser whose tab can be hidden on demand and whose notifications are recorded instead of shown.
    private const string NotificationRecorder = """
        (() => {
            window.__hidden = false;
            window.__notices = [];
            Object.defineProperty(document, "hidden", { get: () => window.__hidden });
            Object.defineProperty(document, "visibilityState", { get: () => window.__hidden ? "hidden" : "visible" });
            class RecordedNotification {
                constructor(title, options) { window.__notices.push({ title: title, body: options && options.body }); }
                close() { }
            }
            RecordedNotification.permission = "granted";
            RecordedNotification.requestPermission = () => Promise.resolve("granted");
            window.Notification = RecordedNotification;
        })();
        """;

    [Fact]
    public async Task The_picker_is_driven_by_arrows_enter_tab_and_escape_and_has_no_axe_violations()
    {
        await using var ann = await browser.RegisterPersonAsync("Ann");
        await using var bea = await browser.RegisterPersonAsync("Bea");
        await using var cal = await browser.RegisterPersonAsync("Cal");
        var id = await ann.StartGroupAsync("Picker group", bea, cal);
        var page = ann.Page;
        await page.GotoAsync(ChatUrls.Conversation(id));
        var composer = page.GetByLabel("Message", new() { Exact = true });
        var listbox = page.GetByRole(AriaRole.Listbox, new() { Name = "People to mention" });

        await composer.PressSequentiallyAsync("Hi @");
        await Expect(listbox).ToBeVisibleAsync();
        var options = listbox.GetByRole(AriaRole.Option);
        await Expect(options).ToHaveTextAsync([bea.Name, cal.Name, "@everyone (every member)"]);
        await Expect(composer).ToHaveAttributeAsync("aria-controls", "mention-listbox");
        await Expect(composer).ToHaveAttributeAsync("aria-activedescendant", $"mention-option-{bea.Id}");
        await Expect(page.Locator("#mention-status")).ToContainTextAsync("3 people to mention");
        Assert.Empty(await BrowserFixture.AxeViolationsAsync(page));

        await composer.PressAsync("ArrowDown");
        await Expect(composer).ToHaveAttributeAsync("aria-activedescendant", $"mention-option-{cal.Id}");
        await Expect(options.Nth(1)).ToHaveAttributeAsync("aria-selected", "true");
        await composer.PressAsync("ArrowUp");
        await composer.PressAsync("ArrowUp");
        await Expect(composer).ToHaveAttributeAsync("aria-activedescendant", "mention-option-everyone");
        await composer.PressAsync("ArrowDown");
        await composer.PressAsync("Enter");

        await Expect(listbox).ToHaveCountAsync(0);
        await Expect(composer).ToHaveValueAsync($"Hi @{bea.Name} ");
        await Expect(composer).ToBeFocusedAsync();
        Assert.Null(await composer.GetAttributeAsync("aria-activedescendant"));

        await composer.PressSequentiallyAsync("and @" + cal.Name[..2].ToLowerInvariant());
        await Expect(options).ToHaveTextAsync([cal.Name]);
        await composer.PressAsync("Tab");
        await Expect(composer).ToHaveValueAsync($"Hi @{bea.Name} and @{cal.Name} ");

        await composer.PressSequentiallyAsync("@zz");
        await Expect(page.Locator("#mention-empty")).ToBeVisibleAsync();
        await composer.PressAsync("Escape");
        await Expect(page.Locator("#mention-empty")).ToHaveCountAsync(0);
        await Expect(composer).ToBeFocusedAsync();
        await composer.PressAsync("Backspace");
        await composer.PressAsync("Backspace");
        await composer.PressAsync("Backspace");
        await composer.PressSequentiallyAsync("thanks");
        await composer.PressAsync("Enter");

        var sent = page.Locator("#messages article.message").Filter(new() { HasTextString = "thanks" });
        await Expect(sent.Locator("mark.mention")).ToHaveTextAsync([$"@{bea.Name} (mention)", $"@{cal.Name} (mention)"]);
        Assert.Equal(new[] { bea.Id, cal.Id }.Order().ToList(), await MentionedAsync(id));
        Assert.Empty(await BrowserFixture.AxeViolationsAsync(page));
    }

    [Fact]
    public async Task With_the_tab_hidden_a_group_at_the_mentions_level_notifies_only_the_message_that_mentions_me()
    {
        await using var ann = await browser.RegisterPersonAsync("Ann");
        await using var bea = await browser.RegisterPersonAsync("Bea");
        await using var cal = await browser.RegisterPersonAsync("Cal");
        var id = await ann.StartGroupAsync("Notice group", bea, cal);
        var page = bea.Page;
        await page.AddInitScriptAsync(NotificationRecorder);
        await page.GotoAsync(ChatUrls.Conversation(id));
        var button = page.GetByRole(AriaRole.Button, new() { Name = "Desktop notifications" });

        await button.ClickAsync();
        await Expect(button).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(page.Locator("#desktop-notifications-status")).ToContainTextAsync("Desktop notifications are on");
        await page.EvaluateAsync("() => { window.__hidden = true; }");
        await ann.SendAsync(id, "Lunch at noon");
        await ann.SendAsync(id, $"@{bea.Name} can you book it?");
        await cal.SendAsync(id, "Count me in");

        await Expect(page.Locator("#messages article.message")).ToHaveCountAsync(3, new() { Timeout = 10_000 });
        var notices = System.Text.Json.JsonSerializer.Deserialize<Notice[]>(
            await page.EvaluateAsync<string>("() => JSON.stringify(window.__notices)"), new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web))!;
        var notice = Assert.Single(notices);
        Assert.Equal($"{ann.Name} mentioned you", notice.Title);
        Assert.Equal($"@{bea.Name} can you book it?", notice.Body);
        Assert.Empty(await BrowserFixture.AxeViolationsAsync(page));
    }

    public sealed record Notice(string Title, string Body);


    private async Task<IReadOnlyList<long>> MentionedAsync(long conversationId)
    {
        await using var connection = await browser.App.Services.GetRequiredService<ChatDb>().OpenAsync();
        return (await connection.QueryAsync<long>(
            """
            SELECT mm.user_id FROM message_mentions mm JOIN messages m ON m.id = mm.message_id
            WHERE m.conversation_id = @conversationId ORDER BY mm.user_id
            """, new { conversationId })).ToList();
    }
}
