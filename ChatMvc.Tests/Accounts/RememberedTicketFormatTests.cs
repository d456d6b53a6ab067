using System.Security.Claims;
using ChatMvc.Accounts;
using ChatMvc.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChatMvc.Tests.Accounts;

public sealed class RememberedTicketFormatTests
{
    private readonly CountingFormat inner = new();
    private readonly RememberedTicketFormat format;

    public RememberedTicketFormatTests() => format = new RememberedTicketFormat(inner);

    [Fact]
    public void A_cookie_is_decrypted_once_and_each_request_gets_its_own_copy_of_the_ticket()
    {
        var first = format.Unprotect("cookie-of-ann")!;
        first.Principal.Identities.First().AddClaim(new Claim("added", "by one request"));
        first.Properties.Items["changed"] = "by one request";
        var second = format.Unprotect("cookie-of-ann")!;

        Assert.Equal(1, inner.Unprotects);
        Assert.NotSame(first, second);
        Assert.Equal("ann", second.Principal.Identity!.Name);
        Assert.Null(second.Principal.FindFirst("added"));
        Assert.False(second.Properties.Items.ContainsKey("changed"));
        Assert.Equal(inner.ExpiresUtc, second.Properties.ExpiresUtc);
    }

    [Fact]
    public void Cookies_that_do_not_decrypt_are_not_remembered()
    {
        Assert.Null(format.Unprotect("forged"));
        Assert.Null(format.Unprotect("forged"));

        Assert.Equal(2, inner.Unprotects);
    }

    [Fact]
    public void Different_cookies_are_decrypted_separately()
    {
        Assert.Equal("ann", format.Unprotect("cookie-of-ann")!.Principal.Identity!.Name);
        Assert.Equal("bo", format.Unprotect("cookie-of-bo")!.Principal.Identity!.Name);

        Assert.Equal(2, inner.Unprotects);
    }

    [Fact]
    public void Protecting_and_purpose_bound_reads_go_straight_to_data_protection()
    {
        Assert.Equal("protected", format.Protect(inner.Ticket("ann")));
        format.Unprotect("cookie-of-ann", "a purpose");
        format.Unprotect("cookie-of-ann", "a purpose");

        Assert.Equal(2, inner.Unprotects);
    }

    [Fact]
    public void The_sign_in_cookie_of_the_app_uses_it()
    {
        using var app = new SqliteApp();
        var options = app.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>();

        Assert.IsType<RememberedTicketFormat>(options.Get(IdentityConstants.ApplicationScheme).TicketDataFormat);
    }

    // Stands in for Data Protection: "cookie-of-NAME" decrypts to NAME's ticket, anything else to nothing.
    private sealed class CountingFormat : ISecureDataFormat<AuthenticationTicket>
    {
        public int Unprotects { get; private set; }

        public DateTimeOffset ExpiresUtc { get; } = DateTimeOffset.UnixEpoch.AddYears(60);

        public AuthenticationTicket Ticket(string name) => new(
            new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, name)], "test")),
            new AuthenticationProperties { ExpiresUtc = ExpiresUtc },
            IdentityConstants.ApplicationScheme);

        public string Protect(AuthenticationTicket data) => "protected";

        public string Protect(AuthenticationTicket data, string? purpose) => "protected";

        public AuthenticationTicket? Unprotect(string? protectedText) => Unprotect(protectedText, null);

        public AuthenticationTicket? Unprotect(string? protectedText, string? purpose)
        {
            Unprotects++;
            return protectedText is not null && protectedText.StartsWith("cookie-of-", StringComparison.Ordinal)
                ? Ticket(protectedText["cookie-of-".Length..])
                : null;
        }
    }
}
