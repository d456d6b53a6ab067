using ChatMvc.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace ChatMvc.Tests.Accounts;

// Identity's security stamp check: after a password change the person's other sessions end once the check
// falls due (every 30 minutes of a cookie's life), and the check is not run before then.
public sealed class SecurityStampTests : IDisposable
{
    private readonly StampClockApp app = new();

    [Fact]
    public async Task After_a_password_change_other_sessions_end_when_the_check_falls_due_and_not_before()
    {
        var user = AccountSteps.NewUser("Stamp Changer");
        using var changer = new WebSession(app);
        await changer.RegisterAsync(user);
        using var other = new WebSession(app);
        Assert.True((await other.SignInAsync(user.Email, user.Password)).IsSignedIn());

        var form = await changer.GetAsync("/Identity/Account/Manage/ChangePassword");
        var changed = await changer.SubmitAsync(form, new Dictionary<string, string>
        {
            ["Input.OldPassword"] = user.Password,
            ["Input.NewPassword"] = "Another-horse-43",
            ["Input.ConfirmPassword"] = "Another-horse-43",
        }, "form#change-password-form");
        Assert.Contains("Your password has been changed", changed.Document.Body!.TextContent);

        Assert.True((await other.GetAsync("/conversations")).IsSignedIn(), "The check ran before it was due.");

        app.Clock.Advance(TimeSpan.FromMinutes(31));

        var ended = await other.GetAsync("/conversations");
        Assert.False(ended.IsSignedIn(), "The other session outlived the password change.");
        Assert.Contains("/Identity/Account/Login", ended.Url, StringComparison.Ordinal);
        Assert.True((await changer.GetAsync("/conversations")).IsSignedIn(), "The session that changed the password ended too.");
    }

    public void Dispose() => app.Dispose();

    private sealed class StampClockApp() : ChatAppFactory(Engine.Sqlite)
    {
        public ManualClock Clock { get; } = new();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services =>
                services.Configure<SecurityStampValidatorOptions>(options => options.TimeProvider = Clock));
        }
    }

    public sealed class ManualClock : TimeProvider
    {
        private TimeSpan offset;

        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + offset;

        public void Advance(TimeSpan by) => offset += by;
    }
}
