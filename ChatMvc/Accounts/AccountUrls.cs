namespace ChatMvc.Accounts;

// The account pages (ASP.NET Core Identity UI, under /Identity) that every page's header links to. Written out
// rather than generated per request: the header is on every page, and generating its links through the route
// table was a measurable part of a chat window's time.
public static class AccountUrls
{
    public const string Login = "/Identity/Account/Login";

    public const string Register = "/Identity/Account/Register";

    public const string Manage = "/Identity/Account/Manage/Email";

    // Signing out goes back to the start page.
    public const string Logout = "/Identity/Account/Logout?returnUrl=%2F";
}
