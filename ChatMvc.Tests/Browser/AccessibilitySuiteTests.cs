using System.Collections.Concurrent;
using System.Text.Json.Serialization;
using ChatMvc.Chat;
using ChatMvc.Data;
using ChatMvc.Images;
using ChatMvc.Tests.Files;
using ChatMvc.Tests.Images;
using ChatMvc.Tests.Infrastructure;
using Dapper;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace ChatMvc.Tests.Browser;

// Issue 7: every page and state under axe's WCAG 2.2 A and AA rules (light and dark), every flow by keyboard alone
// with and without JavaScript, what the live log adds, reflow at 320 px and 200% zoom, and the user's media
// preferences. Each check collects its findings and fails once with all of them.
[TestCaseOrderer("ChatMvc.Tests.Infrastructure.RunsLastOrderer", "ChatMvc.Tests")]
public sealed class AccessibilitySuiteTests(BrowserFixture browser, AccessibilityCoverage coverage, ITestOutputHelper output)
    : IClassFixture<BrowserFixture>, IClassFixture<AccessibilityCoverage>
{
    private static readonly string[] WcagTags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

    private static readonly FilePayload Photo = new()
    {
        Name = "heron.jpg",
        MimeType = "image/jpeg",
        Buffer = TestImages.Encode(1200, 900, ImageFormat.Jpeg),
    };

    private const string AuditTest = nameof(Every_page_and_state_passes_axe_wcag_2_2_a_and_aa_in_light_and_dark_and_reflows_without_horizontal_scrolling);

    // Skip link, sign in, start a conversation, load older, send, edit, delete, attach a photo, and pausing live
    // updates (with JavaScript) or checking for new messages (without).
    private const int KeyboardFlowsPerMode = 9;

    private readonly List<string> findings = [];

    [Fact]
    public async Task Every_page_and_state_passes_axe_wcag_2_2_a_and_aa_in_light_and_dark_and_reflows_without_horizontal_scrolling()
    {
        // Signed out: sign in and register, each also with its errors showing.
        await using (var anonymous = await browser.NewContextAsync())
        {
            var page = await anonymous.NewPageAsync();
            await OpenAsync(page, "/Identity/Account/Login");
            await AuditAsync(page, "sign in", screenshot: "sign-in");
            await page.GetByLabel("Email").FillAsync("nobody@example.test");
            await page.GetByLabel("Password").FillAsync("Not-the-password-1");
            await page.GetByLabel("Password").PressAsync("Enter");
            await Expect(page.GetByText("The email or password is incorrect")).ToBeVisibleAsync();
            await AuditAsync(page, "sign in, refused");
            await OpenAsync(page, "/Identity/Account/Register");
            await AuditAsync(page, "register", reflow: true);
            await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).PressAsync("Enter");
            await Expect(page.Locator(".field-error").First).Not.ToBeEmptyAsync();
            await AuditAsync(page, "register, with errors");
            await OpenAsync(page, "/Identity/Account/ForgotPassword");
            await AuditAsync(page, "forgot password");
            foreach (var (path, name) in new[]
            {
                ("/Identity/Account/ForgotPasswordConfirmation", "reset link sent"), ("/Identity/Account/ResetPasswordConfirmation", "password changed"),
                ("/Identity/Account/Lockout", "account locked"), ("/Identity/Account/ResendEmailConfirmation", "send the confirmation again"),
                ("/Identity/Account/Logout", "signed out"),
            })
            {
                await OpenAsync(page, path);
                await AuditAsync(page, name);
            }

            // Single sign-on, from the sign-in page's button: the identity provider vouches for the address of an
            // account that exists here, so the person proves its password once (and first gets it wrong). Then the
            // page a failed sign-in ends on.
            await using (var local = await browser.RegisterPersonAsync("Sol Linked"))
            {
                browser.Provider.Add(local.User.Email, "Sol at the provider");
                await OpenAsync(page, "/Identity/Account/Login");
                await page.GetByRole(AriaRole.Button, new() { Name = "Sign in with Example ID" }).PressAsync("Enter");
                await page.GetByLabel("Email").FillAsync(local.User.Email);
                await page.GetByLabel("Email").PressAsync("Enter");
                await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Link your account" })).ToBeVisibleAsync();
                await AuditAsync(page, "link account");
                await page.GetByLabel("Password of your account here").FillAsync("Not-the-password-1");
                await page.GetByLabel("Password of your account here").PressAsync("Enter");
                await Expect(page.Locator("#password-error")).Not.ToBeEmptyAsync();
                await AuditAsync(page, "link account, refused");
            }

            await page.GotoAsync("/Identity/Account/ExternalLogin?handler=Failure&reason=state");
            await Expect(page.Locator("#external-login-message")).Not.ToBeEmptyAsync();
            await AuditAsync(page, "single sign-on failed");
        }

        // Two-factor: set up an authenticator, then sign in again with it.
        await using (var tess = await browser.RegisterPersonAsync("Tess"))
        {
            var page = tess.Page;
            await OpenAsync(page, "/Identity/Account/Manage/EnableAuthenticator");
            await AuditAsync(page, "two-factor set-up", screenshot: "two-factor-set-up");
            var key = await page.Locator("kbd").First.InnerTextAsync();
            await page.Locator("#Input_Code").FillAsync(Totp.Code(key));
            await page.Locator("#Input_Code").PressAsync("Enter");
            await Expect(page.Locator("code.recovery-code").First).ToBeVisibleAsync();
            await AuditAsync(page, "recovery codes");
            foreach (var (path, name) in new[]
            {
                ("/Identity/Account/Manage/TwoFactorAuthentication", "two-factor settings, on"), ("/Identity/Account/Manage/GenerateRecoveryCodes", "make new recovery codes"),
                ("/Identity/Account/Manage/Disable2fa", "turn two-factor sign-in off"), ("/Identity/Account/Manage/ResetAuthenticator", "reset the authenticator key"),
            })
            {
                await OpenAsync(page, path);
                await AuditAsync(page, name);
            }

            await using var again = await browser.NewContextAsync();
            var signIn = await again.NewPageAsync();
            await OpenAsync(signIn, "/Identity/Account/Login");
            await signIn.GetByLabel("Email").FillAsync(tess.User.Email);
            await signIn.GetByLabel("Password").FillAsync(tess.User.Password);
            await signIn.GetByLabel("Password").PressAsync("Enter");
            await Expect(signIn).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("LoginWith2fa"));
            await AuditAsync(signIn, "two-factor sign in");
            await OpenAsync(signIn, "/Identity/Account/LoginWithRecoveryCode");
            await AuditAsync(signIn, "recovery code sign in");
        }

        await using var ann = await browser.RegisterPersonAsync("Ann Audit");
        await using var bea = await browser.RegisterPersonAsync("Bea Audit");
        await using var cy = await browser.RegisterPersonAsync("Cy Audit");
        await using var dee = await browser.RegisterPersonAsync("Dee Audit");
        var annPage = ann.Page;

        await OpenAsync(annPage, "/");
        await Expect(annPage.GetByText("You have no conversations yet.")).ToBeVisibleAsync();
        await AuditAsync(annPage, "conversation list, empty", reflow: true);

        // A direct conversation with text, a link, a photo, an edited and a deleted message; a group with unread ones.
        var direct = await ann.StartConversationAsync(bea);
        await bea.SendAsync(direct, "Morning! The agenda is at https://example.test/agenda/2026/a-long-path-that-wraps?with=query");
        await ann.SendAsync(direct, "Thanks, I will read it");
        await SendPhotoAsync(bea, direct, "A heron standing on a wooden jetty at dawn", "From the lake");
        await ann.SendAsync(direct, "Typo in this one");
        await ann.SendAsync(direct, "I did not mean to send this");
        await PostAsync(ann, $"/conversations/{direct}/messages/{await MessageIdAsync(direct, "Typo in this one")}",
            new() { ["body"] = "Fixed the typo in this one" });
        await PostAsync(ann, $"/conversations/{direct}/messages/{await MessageIdAsync(direct, "I did not mean to send this")}/delete", []);
        // A reply quoting an earlier message, and reactions: one of Ann's own (pressed) and one of Bea's.
        var thanks = await MessageIdAsync(direct, "Thanks, I will read it");
        await PostAsync(bea, ChatUrls.Messages(direct), new() { ["Body"] = "Tell me what you think", ["ReplyToId"] = $"{thanks}" });
        await PostAsync(ann, ChatUrls.Reactions(direct, await MessageIdAsync(direct, "Fixed the typo in this one")), new() { ["emoji"] = "👍" });
        await PostAsync(bea, ChatUrls.Reactions(direct, thanks), new() { ["emoji"] = "ship it" });
        await ann.ReadAsync(direct);
        var group = await ann.StartGroupAsync("Design team", bea, cy);
        await bea.SendAsync(group, "Sketches are ready for review");
        await bea.SendAsync(group, $"@{ann.Name} and @everyone, comments by Friday");

        await OpenAsync(annPage, "/");
        await Expect(annPage.Locator(".conversation-row")).ToHaveCountAsync(2);
        await Expect(annPage.Locator(".conversation-mention")).ToHaveCountAsync(1);
        await AuditAsync(annPage, "conversation list", screenshot: "conversations");
        // A live update carries only the new row, put first by an out-of-band swap.
        var fromDee = await dee.StartConversationAsync(ann);
        await dee.SendAsync(fromDee, "Have you got a minute?");
        await Expect(annPage.Locator("#conversation-rows > li").First).ToHaveIdAsync($"conversation-{fromDee}", new() { Timeout = 5000 });
        await AuditAsync(annPage, "conversation list after a live update");
        await OpenAsync(annPage, $"/conversations/{group}");
        await Expect(annPage.Locator("mark.mention")).ToHaveCountAsync(2);
        await AuditAsync(annPage, "group window with mentions and the notification level");

        await OpenAsync(annPage, $"/conversations/{direct}");
        await Expect(annPage.GetByRole(AriaRole.Log).GetByRole(AriaRole.Img, new() { Name = "A heron standing on a wooden jetty at dawn" })).ToBeVisibleAsync();
        await Expect(annPage.GetByRole(AriaRole.Log)).ToContainTextAsync("(edited)");
        await Expect(annPage.GetByRole(AriaRole.Log)).ToContainTextAsync("Message deleted.");
        await Expect(annPage.Locator("ul.reactions button.reaction")).ToHaveCountAsync(2);
        await Expect(annPage.Locator(".message-quote")).ToHaveCountAsync(1);
        await AuditAsync(annPage, "chat window with text, a photo, an edited and a deleted message, a reply and reactions", screenshot: "chat-window");
        await annPage.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Dark });
        await ScreenshotAsync(annPage, "chat-window-dark", 1280, 800);
        await annPage.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Light });

        var fixedId = await MessageIdAsync(direct, "Fixed the typo in this one");
        await annPage.Locator($"#message-{fixedId} .message-menu summary").ClickAsync();
        await annPage.Locator($"#message-{fixedId} .message-actions a[href$='/edit']").FocusAsync();
        await annPage.Keyboard.PressAsync("Enter");
        await Expect(annPage.Locator($"#edit-body-{fixedId}")).ToBeFocusedAsync();
        await AuditAsync(annPage, "chat window, editing a message in place", sweepFocus: false);

        await OpenAsync(annPage, $"/conversations/{direct}/messages/{fixedId}/edit");
        await AuditAsync(annPage, "edit message page");
        await OpenAsync(annPage, ChatUrls.DeleteMessage(direct, fixedId));
        await AuditAsync(annPage, "delete message confirmation");
        await OpenAsync(annPage, ChatUrls.ReplyTo(direct, thanks));
        await Expect(annPage.Locator("#reply-quote")).ToBeVisibleAsync();
        await AuditAsync(annPage, "chat window, replying to a message");
        await annPage.Locator($"#message-{thanks} .message-menu summary").ClickAsync();
        await AuditAsync(annPage, "chat window, a message's menu open with reactions", sweepFocus: false);
        await OpenAsync(annPage, ChatUrls.Reactions(direct, thanks));
        await AuditAsync(annPage, "react to a message");
        await annPage.GetByLabel("Other reaction").FillAsync("far too long a word");
        await annPage.GetByLabel("Other reaction").PressAsync("Enter");
        await Expect(annPage.GetByRole(AriaRole.Alert)).ToContainTextAsync("at most 16 characters");
        await AuditAsync(annPage, "react to a message, refused");
        await OpenAsync(annPage, ChatUrls.Photo(direct, await MessageIdAsync(direct, "From the lake")));
        await Expect(annPage.GetByRole(AriaRole.Img, new() { Name = "A heron standing on a wooden jetty at dawn" })).ToBeVisibleAsync();
        await AuditAsync(annPage, "photo viewer", reflow: true);

        // Search: results with marked words, a refused query, and a result's window around its message.
        await OpenAsync(annPage, "/search?q=typo");
        await Expect(annPage.Locator("li.search-hit mark").First).ToBeVisibleAsync();
        await AuditAsync(annPage, "search results", reflow: true);
        Assert.Equal(400, (await annPage.GotoAsync("/search?q=%2A"))!.Status);
        await AuditAsync(annPage, "search, refused");
        await OpenAsync(annPage, $"/conversations/{direct}?at={fixedId}#message-{fixedId}");
        await Expect(annPage.Locator($"#message-{fixedId}")).ToBeVisibleAsync();
        await AuditAsync(annPage, "chat window around a message");

        // Files: a video with its poster and length, a sound, and a document's card.
        var files = await ann.StartConversationAsync(cy);
        await SendFileAsync(cy, files, new() { Name = "walk.mp4", MimeType = "video/mp4", Buffer = await FileSteps.Mp4Async(320, 240, 2) }, "The walk");
        await SendFileAsync(cy, files, new() { Name = "tone.wav", MimeType = "audio/wav", Buffer = FileSteps.Wav(1) }, string.Empty);
        await SendFileAsync(cy, files, new() { Name = "minutes.pdf", MimeType = "application/pdf", Buffer = FileSteps.Pdf() }, "The minutes");
        await OpenAsync(annPage, $"/conversations/{files}");
        var filesLog = annPage.GetByRole(AriaRole.Log);
        await Expect(filesLog.Locator("video[poster]")).ToHaveCountAsync(1);
        await Expect(filesLog.Locator("audio")).ToHaveCountAsync(1);
        await Expect(filesLog.GetByRole(AriaRole.Link, new() { Name = "minutes.pdf" })).ToBeVisibleAsync();
        await AuditAsync(annPage, "chat window with a video, a sound and a file", reflow: true);

        await OpenAsync(annPage, $"/conversations/new?q={Uri.EscapeDataString("Audit")}");
        await Expect(annPage.GetByRole(AriaRole.Checkbox, new() { Name = dee.Name })).ToBeVisibleAsync();
        await AuditAsync(annPage, "new conversation, people found", screenshot: "new-conversation");

        await OpenAsync(annPage, $"/conversations/{group}/members");
        await annPage.GetByRole(AriaRole.Button, new() { Name = "Create invite link" }).PressAsync("Enter");
        var inviteLink = await annPage.Locator("#new-invite-link").InputValueAsync();
        await AuditAsync(annPage, "group members and settings, with a new invite link", screenshot: "members");
        await OpenAsync(annPage, $"/conversations/{group}/bots");
        await annPage.GetByLabel("Name", new() { Exact = true }).FillAsync("Audit CI");
        await annPage.GetByLabel("Name", new() { Exact = true }).PressAsync("Enter");
        var webhook = await annPage.Locator("#new-webhook-url").InputValueAsync();
        await AuditAsync(annPage, "group bots, with a new webhook address");
        using (var hook = browser.App.CreateClient())
        {
            var posted = await hook.PostAsync(
                new Uri(webhook).PathAndQuery, new StringContent("{\"text\": \"Build 42 passed\"}", System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal(System.Net.HttpStatusCode.Created, posted.StatusCode);
        }

        await OpenAsync(annPage, $"/conversations/{group}");
        await Expect(annPage.GetByRole(AriaRole.Log).Locator(".message-bot-mark")).ToHaveCountAsync(1);
        await AuditAsync(annPage, "group window with a bot's message");
        await OpenAsync(annPage, $"/conversations/{direct}/members");
        await AuditAsync(annPage, "direct conversation settings");
        await OpenAsync(annPage, $"/conversations/{group}/delete");
        await AuditAsync(annPage, "delete a group");

        await OpenAsync(dee.Page, new Uri(inviteLink).PathAndQuery);
        await Expect(dee.Page.GetByRole(AriaRole.Button, new() { Name = "Join the group" })).ToBeVisibleAsync();
        await AuditAsync(dee.Page, "invite");
        Assert.Equal(404, (await dee.Page.GotoAsync("/invites/not-a-real-token"))!.Status);
        await AuditAsync(dee.Page, "invite not valid");

        await OpenAsync(annPage, "/profile");
        await AuditAsync(annPage, "profile", screenshot: "profile");
        var unsubscribe = new Uri(browser.App.Services.GetRequiredService<ChatMvc.Notifications.UnsubscribeLinks>().For(ann.Id)).PathAndQuery;
        await OpenAsync(annPage, unsubscribe);
        await AuditAsync(annPage, "stop the missed-message mail");
        await annPage.GetByRole(AriaRole.Button, new() { Name = "Stop these mails" }).ClickAsync();
        await Expect(annPage.GetByRole(AriaRole.Status)).ToContainTextAsync("no more mail");
        await AuditAsync(annPage, "missed-message mail stopped");
        Assert.Equal(400, (await annPage.GotoAsync($"{ChatMvc.Notifications.UnsubscribeLinks.Path}?token=forged"))!.Status);
        await AuditAsync(annPage, "missed-message mail link not valid");
        await OpenAsync(annPage, $"/users/{bea.Id}");
        await AuditAsync(annPage, "someone's profile");
        await OpenAsync(annPage, "/Identity/Account/AccessDenied");
        await AuditAsync(annPage, "access denied");
        foreach (var (path, name) in new[]
        {
            ("/Identity/Account/Manage/Email", "account email"), ("/Identity/Account/Manage/ChangePassword", "change password"),
            ("/Identity/Account/Manage/TwoFactorAuthentication", "two-factor settings"), ("/Identity/Account/Manage/PersonalData", "personal data"),
            ("/Identity/Account/Manage/DeletePersonalData", "delete account"), ("/Identity/Account/Manage/ExternalLogins", "sign-in services"),
        })
        {
            await OpenAsync(annPage, path);
            await AuditAsync(annPage, name);
        }

        // The admin area: people, creating an account, who may join (refused, and with the join link), the audit
        // log, and the Register page while joining is closed. Registration is open again afterwards for the other tests.
        await ChatMvc.Tests.Admin.AdminSteps.MakeAdministratorAsync(browser.App, ann.Id);
        // Its people table keeps its columns at any width (a data table needs its two dimensions) and scrolls within
        // its own focusable region, so the page is audited without the reflow check.
        await OpenAsync(annPage, "/admin");
        await AuditAsync(annPage, "admin: people");
        await OpenAsync(annPage, "/admin/people/new");
        await AuditAsync(annPage, "admin: create an account");
        await OpenAsync(annPage, "/admin/settings");
        await annPage.GetByLabel("Allowed email domains").FillAsync("not_a_domain");
        await annPage.GetByRole(AriaRole.Button, new() { Name = "Save" }).PressAsync("Enter");
        await Expect(annPage.Locator("#allowed-domains-error")).Not.ToBeEmptyAsync();
        await AuditAsync(annPage, "admin: who may join, refused");
        await annPage.Locator("#mode-invite").CheckAsync();
        await annPage.GetByLabel("Allowed email domains").FillAsync(string.Empty);
        await annPage.GetByRole(AriaRole.Button, new() { Name = "Save" }).PressAsync("Enter");
        await Expect(annPage.Locator("#join-url")).ToBeVisibleAsync();
        await AuditAsync(annPage, "admin: who may join, with the join link");
        await annPage.Locator("#mode-closed").CheckAsync();
        await annPage.GetByRole(AriaRole.Button, new() { Name = "Save" }).PressAsync("Enter");
        await Expect(annPage.GetByRole(AriaRole.Status)).ToContainTextAsync("Saved");
        await OpenAsync(annPage, "/Identity/Account/Register");
        await Expect(annPage.Locator("#registration-closed")).ToBeVisibleAsync();
        await AuditAsync(annPage, "register, joining closed");
        await OpenAsync(annPage, "/admin/settings");
        await annPage.Locator("#mode-open").CheckAsync();
        await annPage.GetByRole(AriaRole.Button, new() { Name = "Save" }).PressAsync("Enter");
        await Expect(annPage.GetByRole(AriaRole.Status)).ToContainTextAsync("Saved");
        await OpenAsync(annPage, "/admin/audit");
        await Expect(annPage.Locator("ol.audit-log li").First).ToBeVisibleAsync();
        await AuditAsync(annPage, "admin: audit log");

        Assert.Equal(404, (await annPage.GotoAsync("/no-such-page"))!.Status);
        await AuditAsync(annPage, "not found", reflow: true);
        foreach (var (status, name) in new[] { (400, "form not accepted"), (403, "not allowed"), (429, "too many attempts") })
        {
            await OpenAsync(annPage, $"/status/{status}");
            await AuditAsync(annPage, name);
        }

        Assert.Equal(500, (await annPage.GotoAsync("/test/fail"))!.Status);
        await Expect(annPage.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Something went wrong");
        await AuditAsync(annPage, "error", reflow: true);
        Assert.Equal(503, (await annPage.GotoAsync("/test/database-down"))!.Status);
        await Expect(annPage.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Temporarily unavailable");
        await AuditAsync(annPage, "database unavailable");

        AssertNoFindings();
        coverage.Finished(AuditTest);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Every_flow_works_by_keyboard_alone_with_visible_focus_and_24_px_targets(bool javaScript)
    {
        var mode = Mode(javaScript);
        await using var kim = await browser.RegisterPersonAsync("Kim Keys", javaScript);
        await using var lee = await browser.RegisterPersonAsync("Lee Keys");
        await using var context = await browser.NewContextAsync(javaScript);
        var page = await context.NewPageAsync();
        await page.SetViewportSizeAsync(1280, 800);
        page.Dialog += (_, dialog) => dialog.AcceptAsync(); // the delete confirmation, answered with Enter

        // Skip link, then sign in.
        await page.GotoAsync("/Identity/Account/Login");
        await TabAsync(page);
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Skip to main content" })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("main")).ToBeFocusedAsync();
        coverage.Flow("skip to main content" + mode);

        await TabToAsync(page, "#Input_Email");
        await page.Keyboard.TypeAsync(kim.User.Email);
        await TabAsync(page);
        await Expect(page.Locator("#Input_Password")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync(kim.User.Password);
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeVisibleAsync();
        await ExpectFocusAtStartOfPageAsync(page);
        coverage.Flow("sign in" + mode);

        // Start a direct conversation.
        await TabToAsync(page, ".page-heading a.button");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/conversations/new"));
        await TabToAsync(page, "#people-query");
        // The search for the whole name, answered before the box is ticked: a search sent while the name was still
        // being typed (typing is slow on a busy machine) can be answered after, and its list replace the ticked box.
        var searched = page.WaitForResponseAsync(response =>
            response.Url.Contains("/conversations/new", StringComparison.Ordinal)
            && Uri.UnescapeDataString(response.Url.Replace('+', ' ')).Contains(lee.Name, StringComparison.Ordinal));
        await page.Keyboard.TypeAsync(lee.Name);
        if (!javaScript)
        {
            await page.Keyboard.PressAsync("Enter");
        }

        await searched;
        var leeBox = $"#people-picker input[value='{lee.Id}']";
        await Expect(page.Locator(leeBox)).ToBeVisibleAsync();
        await TabToAsync(page, leeBox);
        await page.Keyboard.PressAsync("Space");
        await Expect(page.Locator(leeBox)).ToBeCheckedAsync();
        await TabToAsync(page, "form.new-conversation > button[type=submit]");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(lee.Name);
        await ExpectFocusAtStartOfPageAsync(page);
        var id = long.Parse(new Uri(page.Url).AbsolutePath.Split('/')[2]);
        coverage.Flow("start a direct conversation" + mode);

        // Load older messages: more than one page, read already (unread ones would open the window at the first of them).
        for (var i = 1; i <= 41; i++)
        {
            await lee.SendAsync(id, $"Note {i}");
        }

        await kim.ReadAsync(id);

        await page.GotoAsync($"/conversations/{id}");
        if (!javaScript)
        {
            await ScreenshotAsync(page, "chat-window-no-javascript", 1280, 800);
        }

        var log = page.GetByRole(AriaRole.Log);
        await TabToAsync(page, "#load-older");
        await page.Keyboard.PressAsync("Enter");
        await Expect(log).ToContainTextAsync("Note 1");
        if (javaScript)
        {
            await Expect(page.Locator("#older")).ToHaveTextAsync("This is the start of the conversation.");
            await Expect(log).ToBeFocusedAsync(); // no further page to load: the reader goes on in the log
        }
        else
        {
            await ExpectFocusAtStartOfPageAsync(page);
            await TabToAsync(page, "main a[href='/conversations/" + id + "']");
            await page.Keyboard.PressAsync("Enter");
            await Expect(log).ToContainTextAsync("Note 41");
        }

        coverage.Flow("load older messages" + mode);

        // Send.
        var composer = page.Locator("#message-body");
        await TabToAsync(page, "#message-body");
        await page.Keyboard.TypeAsync("Hello by keyboard");
        if (javaScript)
        {
            await page.Keyboard.PressAsync("Enter");
        }
        else
        {
            await TabAsync(page);
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Send" })).ToBeFocusedAsync();
            await page.Keyboard.PressAsync("Enter");
            await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("#composer$"));
            await TabAsync(page); // the page opened at the composer, so the next stop is the message field
        }

        await Expect(log).ToContainTextAsync("Hello by keyboard");
        await Expect(composer).ToBeFocusedAsync();
        await Expect(composer).ToHaveValueAsync(string.Empty);
        coverage.Flow("send" + mode);

        // Edit the message just sent.
        var mine = await MessageIdAsync(id, "Hello by keyboard");
        var menu = $"#message-{mine} .message-menu summary";
        var editLink = $"#message-{mine} .message-actions a[href$='/edit']";
        await TabToAsync(page, menu, backwards: true);
        await page.Keyboard.PressAsync("Enter");
        await TabAsync(page);
        await Expect(page.Locator(editLink)).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator($"#edit-body-{mine}")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Control+A");
        await page.Keyboard.TypeAsync("Hello, edited by keyboard");
        await TabAsync(page);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Save" })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator($"#message-{mine}")).ToContainTextAsync("Hello, edited by keyboard");
        await Expect(page.Locator($"#message-{mine}")).ToContainTextAsync("(edited)");
        if (!javaScript)
        {
            await TabAsync(page); // the page opened at the message, so the next stop is its actions menu
        }

        await Expect(page.Locator(menu)).ToBeFocusedAsync();
        coverage.Flow("edit an own message" + mode);

        // Delete it.
        await page.Keyboard.PressAsync("Enter");
        await TabAsync(page);
        await TabAsync(page);
        await Expect(page.Locator($"#message-{mine} .message-actions form[action$='/delete'] button")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        if (!javaScript)
        {
            // Without JavaScript the button opens a page that asks first.
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Delete this message?" })).ToBeVisibleAsync();
            await TabToAsync(page, "main form button.danger");
            await page.Keyboard.PressAsync("Enter");
            await Expect(page.Locator(".status-message")).ToHaveTextAsync("Message deleted.");
        }

        await Expect(page.Locator($"#message-{mine}")).ToContainTextAsync("Message deleted.");
        if (javaScript)
        {
            await Expect(page.Locator($"#message-{mine}")).ToBeFocusedAsync();
        }
        else
        {
            await TabAsync(page); // from the deleted message on: nothing else in the log, so Check for new messages
            await Expect(page.Locator(".check-link")).ToBeFocusedAsync();
        }

        coverage.Flow("delete an own message" + mode);

        // Attach a photo with a description; only the operating system's file dialog is skipped.
        await TabToAsync(page, "#message-image");
        await page.Locator("#message-image").SetInputFilesAsync(Photo);
        await TabAsync(page);
        await Expect(page.Locator("#message-image-alt")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("A heron on the jetty");
        await page.Keyboard.PressAsync("Enter");
        await Expect(log.GetByRole(AriaRole.Img, new() { Name = "A heron on the jetty" })).ToBeVisibleAsync();
        if (!javaScript)
        {
            await TabAsync(page);
        }

        await Expect(composer).ToBeFocusedAsync();
        coverage.Flow("attach a photo with a description" + mode);

        // Pause live updates; without JavaScript, check for new messages instead.
        await page.Keyboard.PressAsync("Shift+Tab");
        await CheckFocusAsync(page);
        if (javaScript)
        {
            var toggle = page.GetByRole(AriaRole.Button, new() { Name = "Pause live updates" });
            await Expect(toggle).ToBeFocusedAsync();
            await page.Keyboard.PressAsync("Space");
            await Expect(toggle).ToHaveAttributeAsync("aria-pressed", "true");
            await Expect(toggle).ToBeFocusedAsync();
            await lee.SendAsync(id, "Sent while Kim paused");
            await page.WaitForTimeoutAsync(3500);
            await Expect(log).Not.ToContainTextAsync("Sent while Kim paused");
            await page.Keyboard.PressAsync("Enter");
            await Expect(toggle).ToHaveAttributeAsync("aria-pressed", "false");
            await Expect(log).ToContainTextAsync("Sent while Kim paused", new() { Timeout = 5000 });
            await Expect(toggle).ToBeFocusedAsync();
            coverage.Flow("pause live updates" + mode);
        }
        else
        {
            await Expect(page.Locator(".check-link")).ToBeFocusedAsync();
            await lee.SendAsync(id, "Sent while Kim was reading");
            await page.Keyboard.PressAsync("Enter");
            await Expect(log).ToContainTextAsync("Sent while Kim was reading");
            await TabAsync(page);
            await Expect(composer).ToBeFocusedAsync();
            coverage.Flow("check for new messages" + mode);
        }

        AssertNoFindings();
        coverage.Finished(KeyboardTest(javaScript));
    }

    [Fact]
    public async Task The_live_log_adds_a_message_once_for_each_side_and_nothing_while_paused()
    {
        await using var ann = await browser.RegisterPersonAsync("Ann Log");
        await using var bea = await browser.RegisterPersonAsync("Bea Log");
        var id = await ann.StartConversationAsync(bea);
        var page = ann.Page;
        await page.GotoAsync($"/conversations/{id}");
        await Expect(page.GetByRole(AriaRole.Log)).ToHaveAttributeAsync("aria-live", "polite");
        await page.EvaluateAsync("""
            () => {
                window.logAdditions = [];
                window.logMutations = 0;
                new MutationObserver(records => {
                    for (const record of records) {
                        window.logMutations++;
                        for (const node of record.addedNodes) {
                            if (node.nodeType === 1 && node.matches(".message")) {
                                window.logAdditions.push(node.querySelector(".message-body")?.textContent.trim() ?? node.id);
                            }
                        }
                    }
                }).observe(document.getElementById("messages"), { childList: true, subtree: true, characterData: true });
            }
            """);

        await bea.SendAsync(id, "From Bea");
        await Expect(page.GetByRole(AriaRole.Log)).ToContainTextAsync("From Bea", new() { Timeout = 5000 });
        await NextPollAsync(page);
        Assert.Equal(["From Bea"], await AdditionsAsync(page));

        await page.Locator("#message-body").PressSequentiallyAsync("From Ann");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Log)).ToContainTextAsync("From Ann");
        await NextPollAsync(page);
        await NextPollAsync(page);
        Assert.Equal(["From Bea", "From Ann"], await AdditionsAsync(page));
        coverage.Flow("announcements: once for someone else's message and once for one's own");

        await page.Locator("#live-toggle").PressAsync("Space");
        await Expect(page.Locator("#live-toggle")).ToHaveAttributeAsync("aria-pressed", "true");
        await page.EvaluateAsync("() => { window.logAdditions = []; window.logMutations = 0; }");
        await bea.SendAsync(id, "While paused");
        await page.WaitForTimeoutAsync(4000); // more than a poll interval
        Assert.Empty(await AdditionsAsync(page));
        Assert.Equal(0, await page.EvaluateAsync<int>("() => window.logMutations"));

        await page.Locator("#live-toggle").PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Log)).ToContainTextAsync("While paused", new() { Timeout = 5000 });
        await NextPollAsync(page);
        Assert.Equal(["While paused"], await AdditionsAsync(page));
        coverage.Flow("announcements: nothing while paused");
        coverage.Finished(nameof(The_live_log_adds_a_message_once_for_each_side_and_nothing_while_paused));
    }

    [Theory]
    [InlineData(320, 640, "320 px wide")]
    [InlineData(640, 400, "200% zoom")]
    public async Task At_narrow_widths_the_chat_window_does_not_scroll_sideways_and_nothing_hides_the_focused_element(int width, int height, string name)
    {
        await using var ann = await browser.RegisterPersonAsync("Ann Narrow");
        await using var bea = await browser.RegisterPersonAsync("Bea Narrow");
        var id = await ann.StartConversationAsync(bea);
        for (var i = 1; i <= 12; i++)
        {
            await bea.SendAsync(id, $"Line {i}: https://example.test/{new string('x', 60)}");
        }

        await ann.SendAsync(id, "Mine, with Edit and Delete");
        var page = ann.Page;
        await page.SetViewportSizeAsync(width, height);
        await page.GotoAsync($"/conversations/{id}");
        await CheckReflowAsync(page, name);

        var seen = new HashSet<string>();
        for (var stop = 0; stop < 60; stop++)
        {
            await page.Keyboard.PressAsync("Tab");
            var focus = await FocusAsync(page);
            if (focus is null || !seen.Add(focus.Key))
            {
                break;
            }

            var hidden = await page.EvaluateAsync<bool>("""
                () => {
                    const e = document.activeElement;
                    const r = e.getBoundingClientRect();
                    const x = Math.min(Math.max(r.left + r.width / 2, 0), innerWidth - 1);
                    const y = Math.min(Math.max(r.top + Math.min(r.height, 24) / 2, 0), innerHeight - 1);
                    const hit = document.elementFromPoint(x, y);
                    return r.bottom < 0 || r.top > innerHeight || !(hit === e || e.contains(hit));
                }
                """);
            if (hidden)
            {
                findings.Add($"{name}: {focus.Describe} is focused but hidden or covered");
            }
        }

        Assert.True(seen.Count > 5, "Tab visited almost nothing.");
        coverage.Flow($"focus never hidden at {name}");
        AssertNoFindings();
        coverage.Finished($"{nameof(At_narrow_widths_the_chat_window_does_not_scroll_sideways_and_nothing_hides_the_focused_element)} at {name}");
    }

    [Fact]
    public async Task Reduced_motion_forced_colors_and_the_dark_scheme_are_honoured()
    {
        await using var ann = await browser.RegisterPersonAsync("Ann Media");
        await using var bea = await browser.RegisterPersonAsync("Bea Media");
        var id = await ann.StartConversationAsync(bea);
        await bea.SendAsync(id, "Hello in every colour scheme");
        var page = ann.Page;
        await page.GotoAsync($"/conversations/{id}");

        await page.EmulateMediaAsync(new() { ReducedMotion = ReducedMotion.Reduce });
        var moving = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll("*")].filter(e => {
                const s = getComputedStyle(e);
                return s.animationName !== "none" || s.transitionDuration.split(",").some(d => parseFloat(d) > 0) || s.scrollBehavior === "smooth";
            }).map(e => e.tagName + (e.id ? "#" + e.id : ""))
            """);
        Assert.Empty(moving);

        await page.EmulateMediaAsync(new() { ReducedMotion = ReducedMotion.NoPreference, ColorScheme = ColorScheme.Dark });
        var background = await page.EvaluateAsync<string>("() => getComputedStyle(document.documentElement).backgroundColor");
        Assert.Equal("rgb(21, 24, 28)", background);
        await Expect(page.Locator("#message-body")).ToHaveCSSAsync("color-scheme", "light dark");
        await AxeAsync(page, "chat window, dark (all WCAG rules)", WcagTags);
        await page.Locator("#live-toggle").PressAsync("Space");
        await AxeAsync(page, "chat window, dark, paused", WcagTags);

        await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Light, ForcedColors = ForcedColors.Active });
        Assert.True(await page.EvaluateAsync<bool>("() => matchMedia('(forced-colors: active)').matches"));
        await AxeAsync(page, "chat window, forced colours", WcagTags);
        // The pressed state shows as more than a colour, which forced colours would flatten.
        Assert.Equal("3px", await page.Locator("#live-toggle").EvaluateAsync<string>("e => getComputedStyle(e).borderTopWidth"));
        Assert.NotEqual("none", await page.Locator("#live-toggle").EvaluateAsync<string>("e => getComputedStyle(e, '::before').content"));
        await page.Locator("#live-toggle").PressAsync("Space");
        await page.GotoAsync($"/conversations/{id}");
        await SweepFocusAsync(page, "chat window, forced colours");
        coverage.Flow("reduced motion, dark scheme and forced colours");
        AssertNoFindings();
        coverage.Finished(nameof(Reduced_motion_forced_colors_and_the_dark_scheme_are_honoured));
    }

    [Fact]
    [RunsLast]
    public void The_suite_reports_what_it_covered()
    {
        var summary = coverage.Summary;
        output.WriteLine(summary);
        Console.WriteLine(summary);

        // A filter may leave tests out, and a failed test has failed already: each test that finished in this run is
        // held to what it covers, and a report with nothing to report on says so.
        Assert.True(
            coverage.FinishedTests.Count > 0,
            "No other test of the accessibility suite finished in this run, so there is nothing to report. Run the class "
            + "as a whole (--filter FullyQualifiedName~AccessibilitySuiteTests), or see why its other tests failed.");
        if (coverage.FinishedTests.Contains(AuditTest))
        {
            Assert.True(coverage.Counts.Pages >= 17, $"The audit finished having visited too few pages. {summary}");
        }

        foreach (var javaScript in new[] { true, false })
        {
            if (coverage.FinishedTests.Contains(KeyboardTest(javaScript)))
            {
                Assert.True(
                    coverage.FlowsEndingWith(Mode(javaScript)) >= KeyboardFlowsPerMode,
                    $"The keyboard test{Mode(javaScript)} finished having walked fewer than {KeyboardFlowsPerMode} flows. {summary}");
            }
        }
    }

    [Fact]
    [RunsLast]
    public async Task Every_audited_page_is_valid_html_by_the_nu_html_checker()
    {
        var documents = coverage.Documents;
        if (documents.Count == 0)
        {
            // Run alone (a filter), this test checks pages of its own rather than passing on nothing.
            await using var person = await browser.RegisterPersonAsync("Val");
            var page = person.Page;
            foreach (var path in new[] { "/", "/conversations/new", "/profile", "/Identity/Account/Manage/EnableAuthenticator" })
            {
                await OpenAsync(page, path);
                coverage.Markup(path, await page.ContentAsync());
            }
        }

        var errors = await NuHtmlChecker.ErrorsAsync(coverage.Documents);

        Assert.True(errors.Count == 0, $"{errors.Count} HTML errors:\n" + string.Join("\n", errors));
    }

    private static string Mode(bool javaScript) => javaScript ? " (JavaScript on)" : " (JavaScript off)";

    private static string KeyboardTest(bool javaScript) =>
        nameof(Every_flow_works_by_keyboard_alone_with_visible_focus_and_24_px_targets) + Mode(javaScript);

    private async Task OpenAsync(IPage page, string path)
    {
        var response = await page.GotoAsync(path);
        Assert.True(response is { Ok: true }, $"{path} answered {response?.Status}.");
    }

    // axe (light, then the colour rules in dark), every Tab stop for visible focus and target size, reflow at
    // 320 px and at 200% zoom, and the screenshots of the main pages.
    private async Task AuditAsync(IPage page, string name, string? screenshot = null, bool reflow = false, bool sweepFocus = true)
    {
        coverage.Markup(name, await page.ContentAsync());
        await page.SetViewportSizeAsync(1280, 800);
        await AxeAsync(page, name, WcagTags);
        await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Dark });
        await AxeAsync(page, name + ", dark", WcagTags, rule: "color-contrast");
        await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Light });
        if (sweepFocus)
        {
            await SweepFocusAsync(page, name);
        }

        if (screenshot is not null || reflow)
        {
            foreach (var (width, height, label) in new[] { (320, 800, "320 px wide"), (640, 400, "200% zoom") })
            {
                await page.SetViewportSizeAsync(width, height);
                await CheckReflowAsync(page, $"{name} at {label}");
            }
        }

        if (screenshot is not null)
        {
            await ScreenshotAsync(page, screenshot, 375, 812, "phone");
            await CheckReflowAsync(page, $"{name} at 375 px");
            await ScreenshotAsync(page, screenshot, 1280, 800, "desktop");
        }

        await page.SetViewportSizeAsync(1280, 800);
        coverage.Page(name);
        output.WriteLine($"audited: {name} ({page.Url})");
    }

    private async Task AxeAsync(IPage page, string name, string[] tags, string? rule = null)
    {
        var options = rule is null
            ? new AxeRunOptions
            {
                RunOnly = new RunOnlyOptions { Type = "tag", Values = [.. tags] },
                Rules = new Dictionary<string, RuleOptions> { ["target-size"] = new() { Enabled = true } },
            }
            : new AxeRunOptions { RunOnly = new RunOnlyOptions { Type = "rule", Values = [rule] } };
        var result = await page.RunAxe(options);
        findings.AddRange(result.Violations.Select(v =>
            $"{name}: axe {v.Id} ({v.Help}) at {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}"));
    }

    private async Task CheckReflowAsync(IPage page, string name)
    {
        // The widest elements that stick out, by themselves rather than through a child, name the culprit.
        var overflow = await page.EvaluateAsync<string?>("""
            () => {
                const root = document.scrollingElement;
                if (root.scrollWidth <= root.clientWidth) {
                    return null;
                }
                const out = e => e.getBoundingClientRect().right > root.clientWidth + 1;
                const culprits = [...document.body.querySelectorAll("*")]
                    .filter(e => out(e) && ![...e.children].some(out))
                    .slice(0, 3)
                    .map(e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + (e.className ? "." + String(e.className).split(" ").join(".") : ""));
                return `${root.scrollWidth} px of content in ${root.clientWidth} px; ${culprits.join(", ")}`;
            }
            """);
        if (overflow is not null)
        {
            findings.Add($"{name}: scrolls sideways ({overflow})");
        }
    }

    private static async Task ScreenshotAsync(IPage page, string name, int width, int height, string? device = null)
    {
        await page.SetViewportSizeAsync(width, height);
        await page.EvaluateAsync("() => { document.activeElement?.blur(); window.scrollTo(0, 0); }");
        var folder = SourceTree.PathOf("TestResults", "screenshots");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new() { Path = Path.Combine(folder, $"{name}-{device ?? "desktop"}.png") });
    }

    // Tabs from the top of the page to the end, checking every stop.
    private async Task SweepFocusAsync(IPage page, string name)
    {
        await page.EvaluateAsync("() => { document.activeElement?.blur(); window.scrollTo(0, 0); }");
        var seen = new HashSet<string>();
        for (var stop = 0; stop < 150; stop++)
        {
            await page.Keyboard.PressAsync("Tab");
            var focus = await FocusAsync(page);
            if (focus is null || !seen.Add(focus.Key))
            {
                break;
            }

            Check(focus, name);
        }

        if (seen.Count == 0)
        {
            findings.Add($"{name}: Tab reached nothing");
        }
    }

    private async Task TabAsync(IPage page)
    {
        await page.Keyboard.PressAsync("Tab");
        await CheckFocusAsync(page);
    }

    private async Task CheckFocusAsync(IPage page)
    {
        if (await FocusAsync(page) is { } focus)
        {
            Check(focus, page.Url);
        }
    }

    private async Task TabToAsync(IPage page, string selector, bool backwards = false)
    {
        for (var presses = 0; presses < 120; presses++)
        {
            await page.Keyboard.PressAsync(backwards ? "Shift+Tab" : "Tab");
            await CheckFocusAsync(page);
            if (await EvaluateSettledAsync<bool>(page, "selector => document.activeElement?.matches(selector) ?? false", selector))
            {
                return;
            }
        }

        Assert.Fail($"Tab never reached {selector} on {page.Url}.");
    }

    private void Check(Focus focus, string where)
    {
        if (!focus.Visible)
        {
            findings.Add($"{where}: no visible focus on {focus.Describe}");
        }

        if ((focus.Width < 24 || focus.Height < 24) && !focus.Inline)
        {
            findings.Add($"{where}: {focus.Describe} is {focus.Width:0.#}×{focus.Height:0.#} px, under 24×24");
        }
    }

    private static async Task ExpectFocusAtStartOfPageAsync(IPage page) =>
        Assert.True(
            await EvaluateSettledAsync<bool>(page, "() => document.activeElement === document.body || document.activeElement.id === 'main'"),
            $"A new page ({page.Url}) did not start with the focus at its top.");

    // A key press that submits a form without JavaScript starts a navigation; reading the page while it runs fails
    // with "Execution context was destroyed". Wait for the new page and read that one.
    private static async Task<T> EvaluateSettledAsync<T>(IPage page, string script, object? argument = null)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await page.EvaluateAsync<T>(script, argument);
            }
            catch (PlaywrightException e) when (attempt < 3 && e.Message.Contains("Execution context was destroyed"))
            {
                await page.WaitForLoadStateAsync(LoadState.Load);
            }
        }
    }

    private static Task<Focus?> FocusAsync(IPage page) => EvaluateSettledAsync<Focus?>(page, """
        () => {
            const e = document.activeElement;
            if (!e || e === document.body) {
                return null;
            }
            window.focusKeys ??= new WeakMap();
            if (!window.focusKeys.has(e)) {
                window.focusKeys.set(e, String(Math.random()));
            }
            const s = getComputedStyle(e);
            const r = e.getBoundingClientRect();
            const text = t => (t ?? "").replace(/\s+/g, " ").trim();
            const own = text(e.textContent);
            // WCAG 2.5.8 exempts a target inside a sentence, sized by the line it sits on.
            const inline = s.display === "inline" && text(e.parentElement?.textContent).length > own.length;
            const visible = (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== "none";
            const describe = e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + ' "' + (e.getAttribute("aria-label") || own || e.getAttribute("name") || "").slice(0, 50) + '"';
            return { key: window.focusKeys.get(e), describe, visible, width: r.width, height: r.height, inline };
        }
        """);

    private static async Task<string[]> AdditionsAsync(IPage page) => await page.EvaluateAsync<string[]>("() => window.logAdditions");

    // Resolves when the window's next live poll has finished and been swapped in.
    private static Task NextPollAsync(IPage page) => page.EvaluateAsync("""
        () => new Promise((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error("no poll within 6 s")), 6000);
            document.body.addEventListener("htmx:afterRequest", function done(event) {
                if (event.detail.requestConfig.path.includes("/poll")) {
                    clearTimeout(timer);
                    document.body.removeEventListener("htmx:afterRequest", done);
                    setTimeout(resolve, 50);
                }
            });
        })
        """);

    private async Task<long> MessageIdAsync(long conversationId, string body)
    {
        var db = browser.App.Services.GetRequiredService<ChatDb>();
        await using var connection = await db.OpenAsync();
        return await connection.ExecuteScalarAsync<long>(
            "SELECT id FROM messages WHERE conversation_id = @conversationId AND body = @body", new { conversationId, body });
    }

    private static async Task PostAsync(BrowserPerson person, string path, Dictionary<string, string> fields)
    {
        var form = person.Context.APIRequest.CreateFormData();
        form.Set("__RequestVerificationToken", await person.AntiforgeryTokenAsync());
        foreach (var (key, value) in fields)
        {
            form.Set(key, value);
        }

        var response = await person.Context.APIRequest.PostAsync(path, new() { Form = form, MaxRedirects = 0 });
        Assert.True(response.Status is 200 or 302, $"POST {path} answered {response.Status}.");
    }

    private static async Task SendPhotoAsync(BrowserPerson person, long conversationId, string alt, string body)
    {
        var form = person.Context.APIRequest.CreateFormData();
        form.Set("__RequestVerificationToken", await person.AntiforgeryTokenAsync());
        form.Set("Body", body);
        form.Set("ImageAlt", alt);
        form.Set("ClientMessageId", Guid.NewGuid().ToString("N"));
        form.Set("Image", Photo);
        var response = await person.Context.APIRequest.PostAsync(
            $"/conversations/{conversationId}/messages", new() { Multipart = form, MaxRedirects = 0 });
        Assert.True(response.Status == 302, $"Sending a photo answered {response.Status}: {await response.TextAsync()}");
    }


    private static async Task SendFileAsync(BrowserPerson person, long conversationId, FilePayload file, string body)
    {
        var form = person.Context.APIRequest.CreateFormData();
        form.Set("__RequestVerificationToken", await person.AntiforgeryTokenAsync());
        form.Set("Body", body);
        form.Set("ClientMessageId", Guid.NewGuid().ToString("N"));
        form.Set("File", file);
        var response = await person.Context.APIRequest.PostAsync(
            $"/conversations/{conversationId}/messages", new() { Multipart = form, MaxRedirects = 0 });
        Assert.True(response.Status == 302, $"Sending {file.Name} answered {response.Status}: {await response.TextAsync()}");
    }

    private void AssertNoFindings() =>
        Assert.True(findings.Count == 0, $"{findings.Count} accessibility findings:\n" + string.Join("\n", findings.Distinct()));

    private sealed class Focus
    {
        [JsonPropertyName("key")]
        public string Key { get; set; } = string.Empty;

        [JsonPropertyName("describe")]
        public string Describe { get; set; } = string.Empty;

        [JsonPropertyName("visible")]
        public bool Visible { get; set; }

        [JsonPropertyName("width")]
        public double Width { get; set; }

        [JsonPropertyName("height")]
        public double Height { get; set; }

        [JsonPropertyName("inline")]
        public bool Inline { get; set; }
    }
}

// What the suite covered, across its tests, for the report at the end.
public sealed class AccessibilityCoverage
{
    private readonly ConcurrentDictionary<string, byte> pages = new();
    private readonly ConcurrentDictionary<string, byte> flows = new();
    private readonly ConcurrentDictionary<string, string> markup = new();
    private readonly ConcurrentDictionary<string, byte> finished = new();

    public (int Pages, int Flows) Counts => (pages.Count, flows.Count);

    public string Summary =>
        $"Accessibility suite: {pages.Count} pages, {flows.Count} flows; finished: {string.Join(", ", finished.Keys.Order(StringComparer.Ordinal))}";

    // The tests that reached their end in this run.
    public IReadOnlySet<string> FinishedTests => finished.Keys.ToHashSet();

    public void Finished(string test) => finished.TryAdd(test, 0);

    public int FlowsEndingWith(string suffix) => flows.Keys.Count(f => f.EndsWith(suffix, StringComparison.Ordinal));

    public void Page(string name) => pages.TryAdd(name, 0);

    public void Flow(string name) => flows.TryAdd(name, 0);

    // The document of each audited page, as the browser holds it (htmx's changes included), for the HTML checker.
    public void Markup(string name, string html) => markup.TryAdd(name, html);

    public IReadOnlyDictionary<string, string> Documents => markup;
}
