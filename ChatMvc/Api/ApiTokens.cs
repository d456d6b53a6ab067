using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Text.Json;
using ChatMvc.Accounts;
using ChatMvc.Chat;
using ChatMvc.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace ChatMvc.Api;

// The API's bearer scheme: the same tokens and response as Identity's own handler, with two differences. A token
// is refused as soon as its account is deleted or locked (AccountSessions), and the refresh token is a random
// single-use value stored as a hash (RefreshTokens) instead of a self-contained ticket that works until it expires.
public sealed class ApiTokenHandler(
    IOptionsMonitor<BearerTokenOptions> options, ILoggerFactory logger, UrlEncoder encoder, AccountSessions sessions, RefreshTokens refreshTokens)
    : SignInAuthenticationHandler<BearerTokenOptions>(options, logger, encoder)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var ticket = Options.BearerTokenProtector.Unprotect(header["Bearer ".Length..].Trim());
        if (ticket?.Properties.ExpiresUtc is not { } expires)
        {
            return AuthenticateResult.Fail("The token was not issued here.");
        }

        if (TimeProvider.GetUtcNow() >= expires)
        {
            return AuthenticateResult.Fail("The token has expired.");
        }

        return await sessions.IsCurrentAsync(ticket.Principal, ticket.Properties.IssuedUtc)
            ? AuthenticateResult.Success(ticket)
            : AuthenticateResult.Fail("The account was deleted or locked after the token was issued.");
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.Append("WWW-Authenticate", "Bearer");
        return Task.CompletedTask;
    }

    protected override async Task HandleSignInAsync(ClaimsPrincipal user, AuthenticationProperties? properties)
    {
        var now = TimeProvider.GetUtcNow();
        var access = new AuthenticationProperties { IssuedUtc = now, ExpiresUtc = now + Options.BearerTokenExpiration };
        var refreshToken = await refreshTokens.IssueAsync(
            user, RefreshTokens.FamilyOf(properties), now, now + Options.RefreshTokenExpiration);
        Response.Headers.CacheControl = "no-store";
        await Response.WriteAsJsonAsync(
            new AccessTokenResponse
            {
                AccessToken = Options.BearerTokenProtector.Protect(new AuthenticationTicket(user, access, Scheme.Name)),
                ExpiresIn = (long)Options.BearerTokenExpiration.TotalSeconds,
                RefreshToken = refreshToken,
            },
            Json,
            Context.RequestAborted);
    }

    protected override Task HandleSignOutAsync(AuthenticationProperties? properties) => Task.CompletedTask;
}

// Refresh tokens rotate: each is good for one refresh, which answers a new one in the same family. A token
// presented a second time means two parties hold it (one of them a thief), so the whole family is revoked and
// both must sign in again.
public sealed class RefreshTokens(
    SessionQueries queries, AccountSessions sessions, UserManager<ChatUser> users, SignInManager<ChatUser> signIn, TimeProvider time,
    IOptions<IdentityOptions> identityOptions)
{
    private const string FamilyItem = "refresh_family";

    public static string? FamilyOf(AuthenticationProperties? properties) =>
        properties?.Items.TryGetValue(FamilyItem, out var family) == true ? family : null;

    public async Task<string> IssueAsync(ClaimsPrincipal user, string? family, DateTimeOffset now, DateTimeOffset expires)
    {
        var token = SecretTokens.New();
        await queries.AddRefreshTokenAsync(new RefreshTokenRow
        {
            UserId = user.UserId(),
            TokenHash = SecretTokens.Hash(token),
            Family = family ?? Guid.NewGuid().ToString("N"),
            SecurityStamp = user.FindFirstValue(identityOptions.Value.ClaimsIdentity.SecurityStampClaimType) ?? string.Empty,
            CreatedAt = Clock.ToUnixMs(now),
            ExpiresAt = Clock.ToUnixMs(expires),
        });
        return token;
    }

    // The account and the properties to sign it in with (they carry the family on to the next token), or null when
    // the token may not be used: unknown, expired, used before, or its account deleted, locked, changed its password
    // or no longer allowed to sign in.
    public async Task<(ChatUser User, AuthenticationProperties Properties)?> RedeemAsync(string token)
    {
        var now = Clock.ToUnixMs(time.GetUtcNow());
        if (await queries.FindRefreshTokenAsync(SecretTokens.Hash(token)) is not { } row || row.ExpiresAt <= now)
        {
            return null;
        }

        if (row.RevokedAt is not null || !await queries.UseRefreshTokenAsync(row.Id, now))
        {
            await queries.RevokeFamilyAsync(row.Family, now);
            return null;
        }

        if (await users.FindByIdAsync(row.UserId.ToString(System.Globalization.CultureInfo.InvariantCulture)) is not { } user
            || user.SecurityStamp != row.SecurityStamp
            || await users.IsLockedOutAsync(user)
            || !await signIn.CanSignInAsync(user)
            || !await sessions.IsCurrentAsync(user.Id, Clock.OffsetFromUnixMs(row.CreatedAt)))
        {
            return null;
        }

        return (user, new AuthenticationProperties { Items = { [FamilyItem] = row.Family } });
    }
}
