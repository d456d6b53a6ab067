namespace ChatMvc.Tests.Infrastructure;

public sealed record TestUser(string Email, string Password, string DisplayName);

// Account steps as a person takes them through the Identity pages.
public static class AccountSteps
{
    public const string Password = "Correct-horse-42";

    public static TestUser NewUser(string displayName = "Ann Example") =>
        new($"{Guid.NewGuid():N}@example.test", Password, displayName);

    public static async Task<Page> RegisterAsync(this WebSession client, TestUser user)
    {
        var form = await client.GetAsync("/Identity/Account/Register");
        return await client.SubmitAsync(form, new Dictionary<string, string>
        {
            ["Input.Email"] = user.Email,
            ["Input.DisplayName"] = user.DisplayName,
            ["Input.Password"] = user.Password,
            ["Input.ConfirmPassword"] = user.Password,
        });
    }

    public static async Task<Page> SignInAsync(this WebSession client, string email, string password)
    {
        var form = await client.GetAsync("/Identity/Account/Login");
        return await client.SubmitAsync(form, new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        }, "main form#account");
    }

    public static async Task<Page> SignOutAsync(this WebSession client)
    {
        var page = await client.GetAsync("/");
        return await client.SubmitAsync(page, new Dictionary<string, string>(), "header form");
    }

    public static bool IsSignedIn(this Page page) =>
        page.Document.QuerySelectorAll("header form button").Any(b => b.TextContent.Trim() == "Sign out");
}
