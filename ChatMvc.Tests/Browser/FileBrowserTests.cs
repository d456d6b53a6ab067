using ChatMvc.Tests.Files;
using ChatMvc.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatMvc.Tests.Browser;

// Files in a real Chromium: a video the browser can start to play (its metadata read through the members-only
// file URL, with ranges), and a file card downloaded with the keyboard alone.
public sealed class FileBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task A_video_loads_its_metadata_and_a_file_card_downloads_by_keyboard_with_no_axe_violations()
    {
        await using var ann = await browser.RegisterPersonAsync("Ann Files");
        await using var bea = await browser.RegisterPersonAsync("Bea Files");
        var id = await ann.StartConversationAsync(bea);
        var pdf = FileSteps.Pdf();
        await ann.Page.GotoAsync($"/conversations/{id}");

        await ann.Page.GetByLabel("File (optional)").SetInputFilesAsync(new FilePayload
        {
            Name = "walk.webm",
            MimeType = "video/webm",
            Buffer = await FileSteps.Mp4Async(320, 240, 2, webm: true),
        });
        await ann.Page.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
        await Expect(ann.Page.GetByRole(AriaRole.Log).Locator("video")).ToHaveCountAsync(1);
        await Expect(ann.Page.GetByLabel("File (optional)")).ToHaveValueAsync(string.Empty);
        await ann.Page.GetByLabel("File (optional)").SetInputFilesAsync(new FilePayload { Name = "minutes.pdf", MimeType = "application/pdf", Buffer = pdf });
        await ann.Page.GetByLabel("Message", new() { Exact = true }).FillAsync("The minutes");
        await ann.Page.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
        await Expect(ann.Page.GetByRole(AriaRole.Log).GetByRole(AriaRole.Link, new() { Name = "minutes.pdf" })).ToBeVisibleAsync();

        await bea.Page.GotoAsync($"/conversations/{id}");
        var video = bea.Page.GetByRole(AriaRole.Log).Locator("video");
        await Expect(video).ToHaveAttributeAsync("preload", "metadata");
        await bea.Page.WaitForFunctionAsync("() => document.querySelector('#messages video').readyState >= HTMLMediaElement.HAVE_METADATA");
        Assert.Equal(320, await video.EvaluateAsync<int>("v => v.videoWidth"));
        Assert.InRange(await video.EvaluateAsync<double>("v => v.duration"), 1.9, 2.2);
        await Expect(bea.Page.GetByRole(AriaRole.Log)).ToContainTextAsync("0:02");

        // Keyboard only: Tab to the card's link, Enter to download it.
        var link = bea.Page.GetByRole(AriaRole.Link, new() { Name = "minutes.pdf" });
        for (var presses = 0; presses < 80 && !await link.EvaluateAsync<bool>("a => a === document.activeElement"); presses++)
        {
            await bea.Page.Keyboard.PressAsync("Tab");
        }

        Assert.True(await link.EvaluateAsync<bool>("a => a === document.activeElement"), "Tab never reached the file's link.");
        var download = await bea.Page.RunAndWaitForDownloadAsync(() => bea.Page.Keyboard.PressAsync("Enter"));
        Assert.Equal("minutes.pdf", download.SuggestedFilename);
        var saved = await download.PathAsync();
        Assert.Equal(pdf, await File.ReadAllBytesAsync(saved!));
        Assert.Empty(await BrowserFixture.AxeViolationsAsync(bea.Page));
    }
}
