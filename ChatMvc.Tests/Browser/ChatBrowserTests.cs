using System.Text.RegularExpressions;
using ChatMvc.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatMvc.Tests.Browser;

// The chat pages in a real Chromium against the real app: each person signs in in a browser context of their own.
public sealed partial class ChatBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private static readonly LocatorAssertionsToContainTextOptions WithinFiveSeconds = new() { Timeout = 5000 };

    [Fact]
    public async Task Without_javascript_a_person_starts_a_conversation_sends_and_the_other_sees_it_by_checking_for_new_messages()
    {
        await using var ann = await browser.RegisterPersonAsync("Ann", javaScript: false);
        await using var bea = await browser.RegisterPersonAsync("Bea", javaScript: false);

        await ann.Page.GotoAsync("/conversations/new");
        await ann.Page.GetByLabel("Find people by name or email").FillAsync(bea.Name);
        await ann.Page.Locator("#main").GetByRole(AriaRole.Button, new() { Name = "Search", Exact = true }).ClickAsync();
        await ann.Page.GetByRole(AriaRole.Checkbox, new() { Name = bea.Name }).CheckAsync();
        await ann.Page.GetByRole(AriaRole.Button, new() { Name = "Start conversation" }).ClickAsync();
        await Expect(ann.Page).ToHaveURLAsync(WindowUrl());
        await Expect(ann.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(bea.Name);
        await Expect(ann.Page.GetByRole(AriaRole.Button, new() { Name = "Pause live updates" })).ToBeHiddenAsync();
        var id = long.Parse(new Uri(ann.Page.Url).AbsolutePath.Split('/')[2]);
        await SendManyAsync(ann, id, 15); // more than the window's height: new messages arrive below the fold
        await bea.Page.GotoAsync($"/conversations/{id}");

        await ann.Page.GetByLabel("Message", new() { Exact = true }).FillAsync("Hello from Ann without JavaScript");
        await ann.Page.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
        await Expect(MessagesIn(ann.Page, "Hello from Ann without JavaScript")).ToBeInViewportAsync();
        await bea.Page.GetByRole(AriaRole.Link, new() { Name = "Check for new messages" }).ClickAsync();

        await Expect(bea.Page.GetByRole(AriaRole.Log)).ToContainTextAsync("Hello from Ann without JavaScript");
        await Expect(MessagesIn(bea.Page, "Hello from Ann without JavaScript")).ToBeInViewportAsync();

        // Checking again from the page the link led to still loads what arrived since.
        await ann.Page.GetByLabel("Message", new() { Exact = true }).FillAsync("And a second one");
        await ann.Page.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
        await bea.Page.GetByRole(AriaRole.Link, new() { Name = "Check for new messages" }).ClickAsync();
        await Expect(bea.Page.GetByRole(AriaRole.Log)).ToContainTextAsync("And a second one");
    }

    [Fact]
    public async Task A_message_sent_with_enter_appears_in_the_other_open_window_without_reload_and_once_in_the_senders()
    {
        await using var ann = await browser.RegisterPersonAsync("Ann");
        await using var bea = await browser.RegisterPersonAsync("Bea");
        var id = await ann.StartConversationAsync(bea);
        await ann.Page.GotoAsync($"/conversations/{id}");
        await bea.Page.GotoAsync($"/conversations/{id}");
        await MarkDocumentAsync(bea.Page);
        var composer = ann.Page.GetByLabel("Message", new() { Exact = true });

        await composer.FillAsync("Live hello");
        await composer.PressAsync("Enter");

        await Expect(bea.Page.GetByRole(AriaRole.Log)).ToContainTextAsync("Live hello", WithinFiveSeconds);
        Assert.True(await IsSameDocumentAsync(bea.Page), "Bea's window reloaded instead of updating in place.");
        await Expect(MessagesIn(bea.Page, "Live hello")).ToBeInViewportAsync();
        await Expect(composer).ToHaveValueAsync(string.Empty);
        await Expect(composer).ToBeFocusedAsync();
        Assert.Equal("message-body", await ann.Page.EvaluateAsync<string>("document.activeElement.id"));
        await NextPollAsync(ann.Page);
        await Expect(MessagesIn(ann.Page, "Live hello")).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task A_message_edited_elsewhere_keeps_the_focus_on_its_edit_link_and_never_replaces_an_open_editor()
    {
        await using var ann = await browser.RegisterPersonAsync("Ann");
        await using var bea = await browser.RegisterPersonAsync("Bea");
        var id = await ann.StartConversationAsync(bea);
        await ann.SendAsync(id, "Focus stays here");
        var page = ann.Page;
        await page.GotoAsync($"/conversations/{id}");
        var message = MessagesIn(page, "Focus stays here");
        await message.Locator("summary").ClickAsync();
        var editLink = message.GetByRole(AriaRole.Link, new() { Name = "Edit" });
        await editLink.FocusAsync();
        var otherTab = await ann.Context.NewPageAsync();
        await otherTab.GotoAsync($"/conversations/{id}");

        await EditInAsync(otherTab, "Focus stays here", "Edited in another tab");

        await Expect(page.GetByRole(AriaRole.Log)).ToContainTextAsync("Edited in another tab", WithinFiveSeconds);
        await Expect(MessagesIn(page, "Edited in another tab").GetByRole(AriaRole.Link, new() { Name = "Edit" })).ToBeFocusedAsync();

        await MessagesIn(page, "Edited in another tab").GetByRole(AriaRole.Link, new() { Name = "Edit" }).PressAsync("Enter");
        var editor = page.GetByRole(AriaRole.Textbox, new() { Name = "Edit your message" });
        await Expect(editor).ToBeFocusedAsync();
        await editor.FillAsync("My draft");
        await EditInAsync(otherTab, "Edited in another tab", "Edited twice");
        await NextPollAsync(page);
        await NextPollAsync(page);

        await Expect(editor).ToHaveValueAsync("My draft");
        await Expect(editor).ToBeFocusedAsync();
    }

    [Fact]
    public async Task A_message_menu_left_open_stays_open_when_someone_edits_that_message_elsewhere()
    {
        await using var ann = await browser.RegisterPersonAsync("Ann");
        await using var bea = await browser.RegisterPersonAsync("Bea");
        var id = await ann.StartConversationAsync(bea);
        await ann.SendAsync(id, "Menu stays open");
        var page = ann.Page;
        await page.GotoAsync($"/conversations/{id}");
        await MessagesIn(page, "Menu stays open").Locator("summary").ClickAsync();
        await page.EvaluateAsync("() => document.getElementById('message-body').focus()");
        var otherTab = await ann.Context.NewPageAsync();
        await otherTab.GotoAsync($"/conversations/{id}");

        await EditInAsync(otherTab, "Menu stays open", "Edited while the menu was open");

        await Expect(page.GetByRole(AriaRole.Log)).ToContainTextAsync("Edited while the menu was open", WithinFiveSeconds);
        var edited = MessagesIn(page, "Edited while the menu was open");
        await Expect(edited.Locator("details.message-menu")).ToHaveAttributeAsync("open", string.Empty);
        await Expect(edited.GetByRole(AriaRole.Link, new() { Name = "Edit" })).ToBeVisibleAsync();
        await Expect(page.GetByLabel("Message", new() { Exact = true })).ToBeFocusedAsync();
    }

    private static async Task EditInAsync(IPage page, string text, string replacement)
    {
        await MessagesIn(page, text).Locator("summary").ClickAsync();
        await MessagesIn(page, text).GetByRole(AriaRole.Link, new() { Name = "Edit" }).ClickAsync();
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Edit your message" }).FillAsync(replacement);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Log)).ToContainTextAsync(replacement);
    }

    [Fact]
    public async Task A_send_that_fails_keeps_the_text_in_the_composer_and_says_so()
    {
        await using var ann = await browser.RegisterPersonAsync("Ann");
        await using var bea = await browser.RegisterPersonAsync("Bea");
        var id = await ann.StartConversationAsync(bea);
        await ann.Page.GotoAsync($"/conversations/{id}");
        await ann.Page.RouteAsync($"**/conversations/{id}/messages", route => route.FulfillAsync(new() { Status = 500 }));
        var composer = ann.Page.GetByLabel("Message", new() { Exact = true });

        await composer.FillAsync("Into the void");
        await composer.PressAsync("Enter");

        await Expect(ann.Page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Your message was not sent. Check your connection and try again.");
        await Expect(composer).ToHaveValueAsync("Into the void");
    }

    [Fact]
    public async Task The_conversation_list_refreshes_live_without_taking_the_keyboard_focus_away()
    {
        await using var ann = await browser.RegisterPersonAsync("Ann");
        await using var bea = await browser.RegisterPersonAsync("Bea");
        var id = await ann.StartConversationAsync(bea);
        await bea.Page.GotoAsync("/");
        await TabToAsync(bea.Page, $"#conversation-{id} a.conversation-link");

        await ann.SendAsync(id, "Ping");

        await Expect(bea.Page.Locator($"#conversation-{id} .conversation-unread")).ToHaveTextAsync("1 unread message");
        await Expect(bea.Page.Locator($"#conversation-{id} a.conversation-link")).ToBeFocusedAsync();
    }

    [Fact]
    public async Task Pausing_live_updates_is_remembered_and_holds_new_messages_until_resumed()
    {
        await using var ann = await browser.RegisterPersonAsync("Ann");
        await using var bea = await browser.RegisterPersonAsync("Bea");
        var id = await ann.StartConversationAsync(bea);
        await bea.Page.GotoAsync($"/conversations/{id}");

        // The label stays the same; only the pressed state changes.
        var toggle = bea.Page.GetByRole(AriaRole.Button, new() { Name = "Pause live updates" });
        await toggle.ClickAsync();
        await Expect(toggle).ToHaveAttributeAsync("aria-pressed", "true");
        await bea.Page.ReloadAsync();
        await Expect(toggle).ToHaveAttributeAsync("aria-pressed", "true");
        await bea.Page.GotoAsync("/"); // the list is paused too, and says so
        await Expect(toggle).ToHaveAttributeAsync("aria-pressed", "true");
        await bea.Page.GotoAsync($"/conversations/{id}");

        await ann.SendAsync(id, "Sent while Bea paused");
        await bea.Page.WaitForTimeoutAsync(4000); // longer than one poll interval: a live window would have shown it
        await Expect(MessagesIn(bea.Page, "Sent while Bea paused")).ToHaveCountAsync(0);

        await toggle.ClickAsync();
        await Expect(toggle).ToHaveAttributeAsync("aria-pressed", "false");
        await Expect(bea.Page.GetByRole(AriaRole.Log)).ToContainTextAsync("Sent while Bea paused", WithinFiveSeconds);
    }

    [Fact]
    public async Task The_skip_link_composer_send_button_and_pause_toggle_work_by_keyboard_alone()
    {
        await using var ann = await browser.RegisterPersonAsync("Ann");
        await using var bea = await browser.RegisterPersonAsync("Bea");
        var id = await ann.StartConversationAsync(bea);
        await ann.SendAsync(id, "Say something back");
        await bea.Page.GotoAsync($"/conversations/{id}");
        var page = bea.Page;
        var log = page.GetByRole(AriaRole.Log);
        var composer = page.GetByLabel("Message", new() { Exact = true });

        await page.Keyboard.PressAsync("Tab");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Skip to main content" })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("main")).ToBeFocusedAsync();

        await TabToAsync(page, "#message-body");
        await AssertFocusIsVisibleAsync(page);
        await page.Keyboard.TypeAsync("Typed on one line");
        await page.Keyboard.PressAsync("Shift+Enter");
        await page.Keyboard.TypeAsync("and sent with Enter");
        await page.Keyboard.PressAsync("Enter");
        await Expect(MessagesIn(page, "Typed on one line").Locator(".message-body br")).ToHaveCountAsync(1);
        await Expect(composer).ToBeFocusedAsync();

        // The composer's order: the message, Send, then the optional photo and its description.
        await page.Keyboard.TypeAsync("Sent with the button");
        var send = page.GetByRole(AriaRole.Button, new() { Name = "Send" });
        await page.Keyboard.PressAsync("Tab");
        await Expect(send).ToBeFocusedAsync();
        await AssertFocusIsVisibleAsync(page);
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.GetByLabel("Photo (optional)")).ToBeFocusedAsync();
        await AssertFocusIsVisibleAsync(page);
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.GetByLabel("Describe the photo")).ToBeFocusedAsync();
        await AssertFocusIsVisibleAsync(page);
        await page.Keyboard.PressAsync("Shift+Tab");
        await page.Keyboard.PressAsync("Shift+Tab");
        await Expect(send).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(log).ToContainTextAsync("Sent with the button");
        await Expect(composer).ToBeFocusedAsync();

        // Just above the composer: Check for new messages, then the toggle.
        await page.Keyboard.PressAsync("Shift+Tab");
        await Expect(page.Locator("#live-toggle")).ToBeFocusedAsync();
        await AssertFocusIsVisibleAsync(page);
        await page.Keyboard.PressAsync("Space");
        await Expect(page.Locator("#live-toggle")).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Pause live updates", Pressed = true })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#live-toggle")).ToHaveAttributeAsync("aria-pressed", "false");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Pause live updates", Pressed = false })).ToBeFocusedAsync();
    }

    [Fact]
    public async Task The_empty_conversation_list_has_no_axe_violations()
    {
        await using var ann = await browser.RegisterPersonAsync("Ann");

        await ann.Page.GotoAsync("/");

        await Expect(ann.Page.GetByText("You have no conversations yet.")).ToBeVisibleAsync();
        await AssertNoAxeViolationsAsync(ann.Page);
    }

    [Fact]
    public async Task The_conversation_list_with_an_unread_conversation_has_no_axe_violations()
    {
        await using var ann = await browser.RegisterPersonAsync("Ann");
        await using var bea = await browser.RegisterPersonAsync("Bea");
        var id = await ann.StartConversationAsync(bea);
        await ann.SendAsync(id, "Are you there? See https://example.test/agenda for the plan.");

        await bea.Page.GotoAsync("/");

        await Expect(bea.Page.Locator(".conversation-unread")).ToHaveTextAsync("1 unread message");
        await AssertNoAxeViolationsAsync(bea.Page);
    }

    [Fact]
    public async Task The_people_picker_with_search_results_has_no_axe_violations()
    {
        await using var ann = await browser.RegisterPersonAsync("Ann");
        await using var bea = await browser.RegisterPersonAsync("Picker Bea");
        await using var cy = await browser.RegisterPersonAsync("Picker Cy");

        await ann.Page.GotoAsync("/conversations/new");
        var status = ann.Page.GetByRole(AriaRole.Status);
        await MarkElementAsync(status);
        await ann.Page.GetByLabel("Find people by name or email").FillAsync("Picker");
        await Expect(ann.Page.GetByRole(AriaRole.Checkbox, new() { Name = cy.Name })).ToBeVisibleAsync();
        await Expect(status).ToHaveTextAsync("2 people found.");
        Assert.True(await IsMarkedAsync(status), "The search status was replaced, so screen readers would not announce it.");
        await ann.Page.GetByRole(AriaRole.Checkbox, new() { Name = bea.Name }).CheckAsync();

        await AssertNoAxeViolationsAsync(ann.Page);
    }

    [Fact]
    public async Task A_person_ticked_while_a_search_is_on_its_way_stays_ticked_when_its_answer_comes()
    {
        await using var ann = await browser.RegisterPersonAsync("Ann");
        await using var bea = await browser.RegisterPersonAsync("Racing Bea");
        await using var cy = await browser.RegisterPersonAsync("Racing Cy");
        var page = ann.Page;
        await page.GotoAsync("/conversations/new");
        var search = page.GetByLabel("Find people by name or email");
        await search.FillAsync("Racing");
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("2 people found.");

        // The next search is held on its way, as on a slow network, while Bea is ticked from the list on screen.
        var held = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        await page.RouteAsync(url => url.Contains("/conversations/new?", StringComparison.Ordinal), async route =>
        {
            held.TrySetResult();
            await release.Task;
            await route.ContinueAsync();
        });
        await search.FillAsync(cy.Name);
        await held.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await page.GetByRole(AriaRole.Checkbox, new() { Name = bea.Name }).CheckAsync();
        release.SetResult();

        // The answer for Cy alone found one person either way; Bea must still be there, ticked.
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("1 person found.");
        await Expect(page.GetByRole(AriaRole.Checkbox, new() { Name = cy.Name })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Checkbox, new() { Name = bea.Name })).ToBeCheckedAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Start conversation" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(bea.Name);
    }

    [Fact]
    public async Task The_chat_window_with_unread_messages_and_a_long_linked_message_has_no_axe_violations()
    {
        await using var ann = await browser.RegisterPersonAsync("Ann");
        await using var bea = await browser.RegisterPersonAsync("Bea");
        var id = await ann.StartConversationAsync(bea);
        await ann.SendAsync(id, "Read already");
        await bea.ReadAsync(id);
        await ann.SendAsync(id, "Not read yet");
        await ann.SendAsync(id, string.Join(' ', Enumerable.Repeat("A long message that wraps over several lines.", 30))
            + "\nThe notes are at https://example.test/notes/2026/a-very-long-path-that-does-not-fit-on-one-line?with=query&and=more");

        await bea.Page.GotoAsync($"/conversations/{id}");

        await Expect(bea.Page.Locator("#messages #unread-divider")).ToBeVisibleAsync();
        await Expect(bea.Page.GetByRole(AriaRole.Log).GetByRole(AriaRole.Link)).ToHaveCountAsync(1);
        await AssertNoAxeViolationsAsync(bea.Page);
    }

    [Fact]
    public async Task Loading_older_messages_inserts_them_above_without_reloading_the_page()
    {
        await using var ann = await browser.RegisterPersonAsync("Ann");
        await using var bea = await browser.RegisterPersonAsync("Bea");
        var id = await ann.StartConversationAsync(bea);
        await SendManyAsync(ann, id, 45);
        await bea.ReadAsync(id); // with them unread the window would open at the first of them, not the newest page
        await bea.Page.GotoAsync($"/conversations/{id}");
        var messages = bea.Page.Locator("#messages article.message");
        await Expect(messages).ToHaveCountAsync(40);
        await MarkDocumentAsync(bea.Page);

        await bea.Page.GetByRole(AriaRole.Link, new() { Name = "Load older messages" }).ClickAsync();

        await Expect(messages).ToHaveCountAsync(45);
        Assert.True(await IsSameDocumentAsync(bea.Page), "Loading older messages reloaded the page.");
        Assert.Equal(Enumerable.Range(1, 45).Select(i => $"Note {i}"), await messages.Locator(".message-body").AllInnerTextsAsync());
        await Expect(bea.Page.Locator("#older")).ToHaveTextAsync("This is the start of the conversation.");
        await Expect(bea.Page.Locator("#load-older")).ToHaveCountAsync(0);
        await Expect(bea.Page.GetByRole(AriaRole.Log)).ToBeFocusedAsync();
        // The older page is in the log but not live (a screen reader would read it out as new); the rest is live.
        var liveness = await bea.Page.EvaluateAsync<string[]>(
            "() => [...document.querySelectorAll('#messages article.message')].map(m => m.closest('[aria-live]').getAttribute('aria-live'))");
        Assert.Equal(Enumerable.Repeat("off", 5).Concat(Enumerable.Repeat("polite", 40)), liveness);
    }

    [GeneratedRegex(@"/conversations/\d+(#composer)?$")]
    private static partial Regex WindowUrl();

    private static ILocator MessagesIn(IPage page, string text) =>
        page.Locator("#messages article.message").Filter(new() { Has = page.Locator(".message-body", new() { HasTextString = text }) });

    private static Task MarkDocumentAsync(IPage page) => page.EvaluateAsync("() => { window.sameDocument = true; }");

    private static Task<bool> IsSameDocumentAsync(IPage page) => page.EvaluateAsync<bool>("() => window.sameDocument === true");

    private static Task MarkElementAsync(ILocator element) => element.EvaluateAsync("e => { e.kept = true; }");

    private static Task<bool> IsMarkedAsync(ILocator element) => element.EvaluateAsync<bool>("e => e.kept === true");

    // Resolves when the window's next live poll has finished and been swapped in.
    private static Task NextPollAsync(IPage page) => page.EvaluateAsync("""
        () => new Promise((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error("no poll within 5 s")), 5000);
            document.body.addEventListener("htmx:afterRequest", function done(event) {
                if (event.detail.requestConfig.path.includes("/poll")) {
                    clearTimeout(timer);
                    document.body.removeEventListener("htmx:afterRequest", done);
                    resolve();
                }
            });
        })
        """);

    private static async Task TabToAsync(IPage page, string selector, bool backwards = false)
    {
        for (var presses = 0; presses < 40; presses++)
        {
            await page.Keyboard.PressAsync(backwards ? "Shift+Tab" : "Tab");
            if (await page.EvaluateAsync<bool>("selector => document.activeElement?.matches(selector) ?? false", selector))
            {
                return;
            }
        }

        Assert.Fail($"Tab never reached {selector}.");
    }

    private static async Task AssertFocusIsVisibleAsync(IPage page)
    {
        var outline = await page.EvaluateAsync<string>("() => getComputedStyle(document.activeElement).outlineStyle");
        Assert.NotEqual("none", outline);
    }

    private static async Task AssertNoAxeViolationsAsync(IPage page)
    {
        var violations = await BrowserFixture.AxeViolationsAsync(page);
        Assert.True(violations.Count == 0, $"axe found on {page.Url}:\n" + string.Join("\n", violations));
    }

    private static async Task SendManyAsync(BrowserPerson person, long conversationId, int count)
    {
        for (var i = 1; i <= count; i++)
        {
            await person.SendAsync(conversationId, $"Note {i}");
        }
    }
}
