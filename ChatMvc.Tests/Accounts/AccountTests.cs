using System.Net;
using ChatMvc.Data;
using ChatMvc.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace ChatMvc.Tests.Accounts;

public abstract class AccountTests<TApp>(TApp app) : IClassFixture<TApp>
    where TApp : ChatAppFactory
{
    private async Task<long> CountUsersAsync(string email)
    {
        var db = app.Services.GetRequiredService<ChatDb>();
        await using var connection = await db.OpenAsync();
        return await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM users WHERE normalized_email = @email", new { email = email.ToUpperInvariant() });
    }

    [Fact]
    public async Task Registering_signs_the_person_in_and_stores_the_user_with_a_display_name()
    {
        using var client = new WebSession(app);
        var user = AccountSteps.NewUser("Zoë Ünicode");

        var page = await client.RegisterAsync(user);

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.True(page.IsSignedIn(), page.MainText);
        var db = app.Services.GetRequiredService<ChatDb>();
        await using var connection = await db.OpenAsync();
        var displayName = await connection.ExecuteScalarAsync<string>(
            "SELECT display_name FROM users WHERE normalized_email = @email", new { email = user.Email.ToUpperInvariant() });
        Assert.Equal("Zoë Ünicode", displayName);
    }

    [Fact]
    public async Task Registering_without_a_display_name_shows_the_error_and_stores_nothing()
    {
        using var client = new WebSession(app);
        var user = AccountSteps.NewUser("   ");

        var page = await client.RegisterAsync(user);

        Assert.False(page.IsSignedIn());
        Assert.NotNull(page.Document.QuerySelector("[data-valmsg-for='Input.DisplayName'].field-validation-error"));
        Assert.Equal(0, await CountUsersAsync(user.Email));
    }

    [Fact]
    public async Task A_registered_user_can_sign_out_and_sign_in_again()
    {
        using var client = new WebSession(app);
        var user = AccountSteps.NewUser();
        await client.RegisterAsync(user);

        var signedOut = await client.SignOutAsync();
        Assert.False(signedOut.IsSignedIn());
        var home = await client.GetAsync("/");
        Assert.StartsWith("/Identity/Account/Login", home.Url);

        var signedIn = await client.SignInAsync(user.Email, user.Password);
        Assert.True(signedIn.IsSignedIn(), signedIn.MainText);
    }

    [Fact]
    public async Task A_wrong_password_is_refused_with_a_message()
    {
        using var client = new WebSession(app);
        var user = AccountSteps.NewUser();
        await client.RegisterAsync(user);
        await client.SignOutAsync();

        var page = await client.SignInAsync(user.Email, "Wrong-password-1");

        Assert.False(page.IsSignedIn());
        Assert.Contains("The email or password is incorrect", page.Document.QuerySelector("[role=alert]")?.TextContent);
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_even_against_the_right_one()
    {
        using var client = new WebSession(app);
        var user = AccountSteps.NewUser();
        await client.RegisterAsync(user);
        await client.SignOutAsync();

        for (var attempt = 0; attempt < 5; attempt++)
        {
            await client.SignInAsync(user.Email, "Wrong-password-1");
        }

        var page = await client.SignInAsync(user.Email, user.Password);

        // The answer is the one a wrong password gets (AccountEnumerationTests), and it mentions the lock.
        Assert.False(page.IsSignedIn());
        Assert.StartsWith("/Identity/Account/Login", page.Path);
        Assert.Contains("locked for 5 minutes", page.Document.QuerySelector("[role=alert]")?.TextContent);
    }

    [Fact]
    public async Task Two_factor_sign_in_works_with_an_authenticator_code_and_with_a_recovery_code()
    {
        using var client = new WebSession(app);
        var user = AccountSteps.NewUser();
        await client.RegisterAsync(user);

        var enable = await client.GetAsync("/Identity/Account/Manage/EnableAuthenticator");
        var key = enable.Document.QuerySelector("kbd")!.TextContent;
        var codes = await client.SubmitAsync(enable, new Dictionary<string, string> { ["Input.Code"] = Totp.Code(key) }, "form#send-code");
        var recoveryCodes = codes.Document.QuerySelectorAll("code.recovery-code").Select(c => c.TextContent.Trim()).ToList();
        Assert.Equal(10, recoveryCodes.Count);

        await client.SignOutAsync();
        var challenge = await client.SignInAsync(user.Email, user.Password);
        Assert.StartsWith("/Identity/Account/LoginWith2fa", challenge.Path);
        Assert.False(challenge.IsSignedIn());
        // The code that turned two-factor on has been used: sign in with the next one.
        var signedIn = await client.SubmitAsync(challenge, new Dictionary<string, string> { ["Input.TwoFactorCode"] = Totp.Code(key, DateTimeOffset.UtcNow.AddSeconds(30)) });
        Assert.True(signedIn.IsSignedIn(), signedIn.MainText);

        await client.SignOutAsync();
        await client.SignInAsync(user.Email, user.Password);
        var recovery = await client.GetAsync("/Identity/Account/LoginWithRecoveryCode");
        var recovered = await client.SubmitAsync(recovery, new Dictionary<string, string> { ["Input.RecoveryCode"] = recoveryCodes[0] });
        Assert.True(recovered.IsSignedIn(), recovered.MainText);

        // A recovery code works once.
        await client.SignOutAsync();
        await client.SignInAsync(user.Email, user.Password);
        recovery = await client.GetAsync("/Identity/Account/LoginWithRecoveryCode");
        var reused = await client.SubmitAsync(recovery, new Dictionary<string, string> { ["Input.RecoveryCode"] = recoveryCodes[0] });
        Assert.False(reused.IsSignedIn());
    }

    [Fact]
    public async Task An_authenticator_code_signs_in_once_and_a_replay_of_it_is_refused()
    {
        using var client = new WebSession(app);
        var user = AccountSteps.NewUser();
        await client.RegisterAsync(user);
        var enable = await client.GetAsync("/Identity/Account/Manage/EnableAuthenticator");
        var key = enable.Document.QuerySelector("kbd")!.TextContent;
        await client.SubmitAsync(enable, new Dictionary<string, string> { ["Input.Code"] = Totp.Code(key) }, "form#send-code");
        var next = Totp.Code(key, DateTimeOffset.UtcNow.AddSeconds(30));
        await client.SignOutAsync();

        var first = await client.SubmitAsync(await client.SignInAsync(user.Email, user.Password), new Dictionary<string, string> { ["Input.TwoFactorCode"] = next });
        Assert.True(first.IsSignedIn(), first.MainText);
        await client.SignOutAsync();
        using var other = new WebSession(app);
        var replay = await other.SubmitAsync(await other.SignInAsync(user.Email, user.Password), new Dictionary<string, string> { ["Input.TwoFactorCode"] = next });
        var enabling = await client.SubmitAsync(await client.SignInAsync(user.Email, user.Password), new Dictionary<string, string> { ["Input.TwoFactorCode"] = Totp.Code(key) });

        Assert.False(replay.IsSignedIn());
        Assert.Contains("Invalid authenticator code", replay.MainText);
        Assert.False(enabling.IsSignedIn(), "The code from before the last one accepted still signed in.");
        var later = await client.SubmitAsync(await client.SignInAsync(user.Email, user.Password), new Dictionary<string, string> { ["Input.TwoFactorCode"] = Totp.Code(key, DateTimeOffset.UtcNow.AddSeconds(60)) });
        Assert.True(later.IsSignedIn(), later.MainText);
    }

    [Fact]
    public async Task Downloading_personal_data_returns_the_users_own_fields()
    {
        using var client = new WebSession(app);
        var user = AccountSteps.NewUser("Bo Download");
        await client.RegisterAsync(user);

        var page = await client.GetAsync("/Identity/Account/Manage/PersonalData");
        var form = page.Document.QuerySelector("form#download-data")!;
        var token = form.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var response = await client.Http.PostAsync(
            form.GetAttribute("action"),
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await response.Content.ReadAsStringAsync();
        Assert.Contains(user.Email, json);
        Assert.Contains("Bo Download", json);
        Assert.DoesNotContain("PasswordHash", json);
    }

    [Fact]
    public async Task Deleting_personal_data_removes_the_user()
    {
        using var client = new WebSession(app);
        var user = AccountSteps.NewUser();
        await client.RegisterAsync(user);
        Assert.Equal(1, await CountUsersAsync(user.Email));

        var page = await client.GetAsync("/Identity/Account/Manage/DeletePersonalData");
        var after = await client.SubmitAsync(page, new Dictionary<string, string> { ["Input.Password"] = user.Password }, "form#delete-user");

        Assert.False(after.IsSignedIn());
        Assert.Equal(0, await CountUsersAsync(user.Email));
        var signIn = await client.SignInAsync(user.Email, user.Password);
        Assert.False(signIn.IsSignedIn());
    }

    [Fact]
    public async Task Forgot_password_writes_a_reset_link_to_the_pickup_folder_and_the_link_resets_the_password()
    {
        using var client = new WebSession(app);
        var user = AccountSteps.NewUser();
        await client.RegisterAsync(user);
        await client.SignOutAsync();

        var forgot = await client.GetAsync("/Identity/Account/ForgotPassword");
        await client.SubmitAsync(forgot, new Dictionary<string, string> { ["Input.Email"] = user.Email });

        var mail = Directory.GetFiles(app.MailFolder).Select(File.ReadAllText).Single(m => m.Contains(user.Email));
        var parser = new AngleSharp.Html.Parser.HtmlParser();
        var body = parser.ParseDocument(mail);
        var link = WebUtility.HtmlDecode(body.QuerySelector("a")!.GetAttribute("href")!);
        var reset = await client.GetAsync(new Uri(link).PathAndQuery);
        var done = await client.SubmitAsync(reset, new Dictionary<string, string>
        {
            ["Input.Email"] = user.Email,
            ["Input.Password"] = "New-password-77",
            ["Input.ConfirmPassword"] = "New-password-77",
        });
        Assert.StartsWith("/Identity/Account/ResetPasswordConfirmation", done.Path);

        Assert.False((await client.SignInAsync(user.Email, user.Password)).IsSignedIn());
        Assert.True((await client.SignInAsync(user.Email, "New-password-77")).IsSignedIn());
    }

    [Fact]
    public async Task Data_protection_keys_are_kept_in_the_database()
    {
        using var client = new WebSession(app);
        await client.RegisterAsync(AccountSteps.NewUser());

        var db = app.Services.GetRequiredService<ChatDb>();
        await using var connection = await db.OpenAsync();
        Assert.True(await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM data_protection_keys") >= 1);
    }
}

public sealed class AccountTestsOnSqlite(SqliteApp app) : AccountTests<SqliteApp>(app);

public sealed class AccountTestsOnMariaDb(MariaDbApp app) : AccountTests<MariaDbApp>(app);
