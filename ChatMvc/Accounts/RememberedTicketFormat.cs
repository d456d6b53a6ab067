using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Caching.Memory;

namespace ChatMvc.Accounts;

// The sign-in cookie's ticket, decrypted once and remembered for a minute. Every request of a signed-in
// person decrypts and verifies the same cookie (Data Protection's key derivation, AES-CBC and HMAC) and
// deserialises its ticket; an open chat window sends one every few seconds. bench/run.sh measured that work
// at about half of an idle poll.
//
// Only decryption is remembered, which is a pure function of the cookie's text: everything the cookie
// handler checks afterwards (expiry, sliding renewal, the security stamp every 30 minutes) still runs on every
// request. Only cookies that decrypted are remembered, so made-up cookies cannot fill the memory. The one
// thing that waits up to a minute is a Data Protection key revoked by hand.
public sealed class RememberedTicketFormat(ISecureDataFormat<AuthenticationTicket> inner) : ISecureDataFormat<AuthenticationTicket>
{
    private static readonly TimeSpan Remember = TimeSpan.FromMinutes(1);

    // Sessions active within a minute; past this, cookies are decrypted every time until entries expire.
    private const int MaxRemembered = 20_000;

    private readonly MemoryCache remembered = new(new MemoryCacheOptions { SizeLimit = MaxRemembered });

    public string Protect(AuthenticationTicket data) => inner.Protect(data);

    public string Protect(AuthenticationTicket data, string? purpose) => inner.Protect(data, purpose);

    public AuthenticationTicket? Unprotect(string? protectedText) => Unprotect(protectedText, purpose: null);

    public AuthenticationTicket? Unprotect(string? protectedText, string? purpose)
    {
        if (protectedText is null || purpose is not null)
        {
            return inner.Unprotect(protectedText, purpose);
        }

        if (!remembered.TryGetValue(protectedText, out AuthenticationTicket? ticket) || ticket is null)
        {
            ticket = inner.Unprotect(protectedText);
            if (ticket is null)
            {
                return null;
            }

            remembered.Set(protectedText, ticket, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = Remember });
        }

        // A copy per request, down to the identities (ClaimsPrincipal.Clone shares them): handlers and the security
        // stamp check may change the principal or the properties.
        return new AuthenticationTicket(
            new ClaimsPrincipal(ticket.Principal.Identities.Select(identity => identity.Clone())),
            ticket.Properties.Clone(),
            ticket.AuthenticationScheme);
    }
}
