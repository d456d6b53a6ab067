using ChatMvc.Images;
using ChatMvc.Tests.Images;
using ChatMvc.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatMvc.Tests.Browser;

// Photos and avatars in a real Chromium: the upload through the composer with and without JavaScript, the
// thumbnail actually displayed (auth cookie, Content-Security-Policy), and axe on the pages that show them.
public sealed class ImageBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private static readonly FilePayload Photo = new()
    {
        Name = "lake.jpg",
        MimeType = "image/jpeg",
        Buffer = TestImages.Encode(1600, 1200, ImageFormat.Jpeg),
    };

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_photo_chosen_in_the_composer_appears_in_both_windows_as_a_loaded_thumbnail_with_its_description(bool javaScript)
    {
        await using var ann = await browser.RegisterPersonAsync("Ann", javaScript);
        await using var bea = await browser.RegisterPersonAsync("Bea");
        var id = await ann.StartConversationAsync(bea);
        await ann.Page.GotoAsync($"/conversations/{id}");
        await bea.Page.GotoAsync($"/conversations/{id}");

        await ann.Page.GetByLabel("Photo (optional)").SetInputFilesAsync(Photo);
        await ann.Page.GetByLabel("Describe the photo").FillAsync("A heron on the jetty");
        await ann.Page.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();

        var sent = ann.Page.GetByRole(AriaRole.Log).GetByRole(AriaRole.Img, new() { Name = "A heron on the jetty" });
        await Expect(sent).ToBeVisibleAsync();
        await Expect(ann.Page.GetByLabel("Photo (optional)")).ToHaveValueAsync(string.Empty);
        await Expect(ann.Page.Locator("#upload-progress")).ToBeHiddenAsync();
        Assert.Equal(320, await sent.EvaluateAsync<int>("img => img.naturalWidth"));
        var received = bea.Page.GetByRole(AriaRole.Log).GetByRole(AriaRole.Img, new() { Name = "A heron on the jetty" });
        await Expect(received).ToBeVisibleAsync(new() { Timeout = 5000 });
        Assert.Empty(await BrowserFixture.AxeViolationsAsync(bea.Page));
    }

    [Fact]
    public async Task A_picture_uploaded_on_the_profile_page_replaces_the_initials_and_the_page_passes_axe()
    {
        await using var ann = await browser.RegisterPersonAsync("Ann Picture");
        await ann.Page.GotoAsync("/profile");
        await Expect(ann.Page.Locator(".avatar-settings .avatar-initials")).ToHaveTextAsync(Avatars.Initials(ann.Name));
        Assert.Empty(await BrowserFixture.AxeViolationsAsync(ann.Page));

        await ann.Page.GetByLabel("New picture").SetInputFilesAsync(Photo);
        await ann.Page.GetByRole(AriaRole.Button, new() { Name = "Upload picture" }).ClickAsync();

        var picture = ann.Page.GetByRole(AriaRole.Img, new() { Name = "Your current picture" });
        await Expect(picture).ToBeVisibleAsync();
        Assert.Equal(256, await picture.EvaluateAsync<int>("img => img.naturalWidth"));
        Assert.Empty(await BrowserFixture.AxeViolationsAsync(ann.Page));
    }
}
