using ChatMvc.Chat;
using ChatMvc.Data;
using ChatMvc.Images;
using ChatMvc.Tests.Images;
using ChatMvc.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatMvc.Tests.Browser;

// The composer and the editor with JavaScript: Escape, photos pasted or dropped, and a console that stays clean.
public sealed class ComposerBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private static readonly string PhotoBase64 = Convert.ToBase64String(TestImages.Encode(640, 480, ImageFormat.Jpeg));

    // A photo as the clipboard or a drag from the desktop hands it to the page: a File in a DataTransfer.
    private const string MakeTransfer = """
        base64 => {
            const bytes = Uint8Array.from(atob(base64), c => c.charCodeAt(0));
            const transfer = new DataTransfer();
            transfer.items.add(new File([bytes], "pasted.jpg", { type: "image/jpeg" }));
            return transfer;
        }
        """;

    [Fact]
    public async Task Escape_in_the_editor_cancels_the_edit_in_place_and_keeps_the_message()
    {
        await using var ann = await browser.RegisterPersonAsync("Ann");
        await using var bea = await browser.RegisterPersonAsync("Bea");
        var id = await ann.StartConversationAsync(bea);
        await ann.SendAsync(id, "Keep me as I am");
        var page = ann.Page;
        await page.GotoAsync(ChatUrls.Conversation(id));
        var message = MessageIn(page, "Keep me as I am");
        var messageId = await message.GetAttributeAsync("id");

        await message.Locator("summary").ClickAsync();
        await message.GetByRole(AriaRole.Link, new() { Name = "Edit" }).ClickAsync();
        var editor = page.GetByRole(AriaRole.Textbox, new() { Name = "Edit your message" });
        await Expect(editor).ToBeFocusedAsync();
        await editor.FillAsync("A change I did not mean");
        await editor.PressAsync("Escape");

        await Expect(page.Locator("form.message-editor")).ToHaveCountAsync(0);
        await Expect(page.Locator($"#{messageId} .message-body")).ToHaveTextAsync("Keep me as I am");
        await Expect(page.Locator($"#{messageId} summary")).ToBeFocusedAsync();
        Assert.Equal("Keep me as I am", await BodyAsync(long.Parse(messageId!["message-".Length..])));
    }

    [Theory]
    [InlineData("paste")]
    [InlineData("drop")]
    public async Task A_photo_pasted_or_dropped_into_the_composer_fills_its_file_input_and_is_sent_with_the_message(string how)
    {
        await using var ann = await browser.RegisterPersonAsync("Ann");
        await using var bea = await browser.RegisterPersonAsync("Bea");
        var id = await ann.StartConversationAsync(bea);
        var page = ann.Page;
        await page.GotoAsync(ChatUrls.Conversation(id));
        var composer = page.GetByLabel("Message", new() { Exact = true });
        await composer.FillAsync($"Look what I {how}d");

        var transfer = await page.EvaluateHandleAsync(MakeTransfer, PhotoBase64);
        if (how == "paste")
        {
            await PasteAsync(composer, transfer);
        }
        else
        {
            await page.Locator("#composer").DispatchEventAsync("dragover", new { dataTransfer = transfer });
            await Expect(page.Locator("#composer")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("drop-target"));
            await page.Locator("#composer").DispatchEventAsync("drop", new { dataTransfer = transfer });
        }

        Assert.Equal(1, await page.Locator("#message-image").EvaluateAsync<int>("input => input.files.length"));
        Assert.Equal("pasted.jpg", await page.Locator("#message-image").EvaluateAsync<string>("input => input.files[0].name"));
        await Expect(page.Locator("#photo-attached")).ToHaveTextAsync("Photo attached: pasted.jpg.");
        // The text the person typed is still there: the photo did not go in as a file name.
        await Expect(composer).ToHaveValueAsync($"Look what I {how}d");

        await page.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();

        var sent = MessageIn(page, $"Look what I {how}d");
        await Expect(sent.Locator(".message-image img")).ToBeVisibleAsync();
        await Expect(composer).ToHaveValueAsync(string.Empty);
        Assert.Equal(0, await page.Locator("#message-image").EvaluateAsync<int>("input => input.files.length"));
        await Expect(page.Locator("#composer")).Not.ToHaveClassAsync(new System.Text.RegularExpressions.Regex("drop-target"));
    }

    [Fact]
    public async Task Enter_in_an_empty_composer_sends_a_photo_attached_without_text()
    {
        await using var ann = await browser.RegisterPersonAsync("Ann");
        await using var bea = await browser.RegisterPersonAsync("Bea");
        var id = await ann.StartConversationAsync(bea);
        var page = ann.Page;
        var errors = new List<string>();
        page.PageError += (_, error) => errors.Add(error);
        await page.GotoAsync(ChatUrls.Conversation(id));
        var composer = page.GetByLabel("Message", new() { Exact = true });
        await PasteAsync(composer, await page.EvaluateHandleAsync(MakeTransfer, PhotoBase64));
        await Expect(page.Locator("#photo-attached")).ToHaveTextAsync("Photo attached: pasted.jpg.");

        await composer.PressAsync("Enter");

        await Expect(page.Locator("#messages article.message .message-image img")).ToBeVisibleAsync();
        Assert.Equal(0, await page.Locator("#message-image").EvaluateAsync<int>("input => input.files.length"));
        Assert.True(errors.Count == 0, "Page errors:\n" + string.Join("\n", errors));
    }

    [Fact]
    public async Task Sending_receiving_editing_and_deleting_log_no_console_errors()
    {
        await using var ann = await browser.RegisterPersonAsync("Ann");
        await using var bea = await browser.RegisterPersonAsync("Bea");
        var id = await ann.StartConversationAsync(bea);
        var page = ann.Page;
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add(message.Text);
            }
        };
        page.PageError += (_, error) => errors.Add(error);
        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await page.GotoAsync(ChatUrls.Conversation(id));
        var composer = page.GetByLabel("Message", new() { Exact = true });

        // The first message into the empty window, then more once its "No messages yet" note is gone.
        foreach (var text in new[] { "First", "Second", "Third" })
        {
            await composer.FillAsync(text);
            await composer.PressAsync("Enter");
            await Expect(MessageIn(page, text)).ToHaveCountAsync(1);
        }

        await bea.SendAsync(id, "A reply from Bea");
        await Expect(MessageIn(page, "A reply from Bea")).ToHaveCountAsync(1, new() { Timeout = 10_000 });

        await MessageIn(page, "Second").Locator("summary").ClickAsync();
        await MessageIn(page, "Second").GetByRole(AriaRole.Link, new() { Name = "Edit" }).ClickAsync();
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Edit your message" }).FillAsync("Second, edited");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(MessageIn(page, "Second, edited")).ToContainTextAsync("(edited)");
        await MessageIn(page, "Third").Locator("summary").ClickAsync();
        await MessageIn(page, "Third").GetByRole(AriaRole.Link, new() { Name = "Edit" }).ClickAsync();
        // The window moves the focus into the editor once htmx has set it up, as a person typing there would find it;
        // Escape pressed before that met a Cancel link htmx did not handle yet, and the editor stayed.
        var editor = page.GetByRole(AriaRole.Textbox, new() { Name = "Edit your message" });
        await Expect(editor).ToBeFocusedAsync();
        await editor.PressAsync("Escape");
        await Expect(page.Locator("form.message-editor")).ToHaveCountAsync(0);
        await MessageIn(page, "First").Locator("summary").ClickAsync();
        await MessageIn(page, "First").GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await Expect(page.Locator("#messages")).ToContainTextAsync("Message deleted.");
        await composer.FillAsync("After all that");
        await composer.PressAsync("Enter");
        await Expect(MessageIn(page, "After all that")).ToHaveCountAsync(1);

        Assert.True(errors.Count == 0, "Console errors:\n" + string.Join("\n", errors));
    }

    // As the clipboard hands a pasted photo to the composer.
    private static Task PasteAsync(ILocator composer, IJSHandle transfer) =>
        composer.EvaluateAsync(
            "(box, transfer) => box.dispatchEvent(new ClipboardEvent('paste', { clipboardData: transfer, bubbles: true, cancelable: true }))", transfer);

    private static ILocator MessageIn(IPage page, string text) =>
        page.Locator("#messages article.message").Filter(new() { Has = page.Locator(".message-body", new() { HasTextString = text }) });

    private async Task<string?> BodyAsync(long messageId)
    {
        var db = browser.App.Services.GetRequiredService<ChatDb>();
        await using var connection = await db.OpenAsync();
        return await connection.ExecuteScalarAsync<string?>("SELECT body FROM messages WHERE id = @messageId", new { messageId });
    }
}
