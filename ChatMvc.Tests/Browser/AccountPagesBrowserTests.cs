using ChatMvc.Tests.Infrastructure;
using Microsoft.Playwright;

namespace ChatMvc.Tests.Browser;

public sealed class AccountPagesBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Theory]
    [InlineData("/Identity/Account/Login")]
    [InlineData("/Identity/Account/Register")]
    [InlineData("/Identity/Account/ForgotPassword")]
    public async Task Account_page_has_no_axe_violations(string path)
    {
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();

        await page.GotoAsync(path);

        Assert.Empty(await BrowserFixture.AxeViolationsAsync(page));
    }

    [Fact]
    public async Task A_person_registers_and_signs_in_by_keyboard_alone_with_javascript_off()
    {
        await using var context = await browser.NewContextAsync(javaScript: false);
        var page = await context.NewPageAsync();
        var email = $"{Guid.NewGuid():N}@example.test";

        await page.GotoAsync("/Identity/Account/Register");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Display name").FillAsync("Keyboard Kim");
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(AccountSteps.Password);
        await page.GetByLabel("Confirm password").FillAsync(AccountSteps.Password);
        await page.GetByLabel("Confirm password").PressAsync("Enter");

        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Sign in" })).ToBeVisibleAsync();

        await page.GotoAsync("/Identity/Account/Login");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(AccountSteps.Password);
        await page.GetByLabel("Password").PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeVisibleAsync();
    }
}
