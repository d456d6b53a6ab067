using ChatMvc.Accounts;
using ChatMvc.Chat;
using ChatMvc.Delivery;
using ChatMvc.Security;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace ChatMvc.Api;

[AllowAnonymous]
[DoNotCompress]
[Route("api/v1/auth")]
[Tags("Auth")]
[EnableRateLimiting(RateLimitOptions.AuthPolicy)]
public sealed class AuthApiController(
    AccountRegistration registration, RegistrationPolicy policy, SignInManager<ChatUser> signIn, RefreshTokens refreshTokens,
    IOptions<AppOptions> app, IOptions<SingleSignOnOptions> singleSignOn)
    : ApiController
{
    [HttpPost("register")]
    [ProducesResponseType<MeJson>(StatusCodes.Status201Created)]
    public async Task<ActionResult<MeJson>> Register(RegisterRequest request)
    {
        // Whatever else is wrong with the request, the first thing to know is that joining is closed.
        if (RegistrationPolicy.ClosedReason(await policy.ReadAsync(), JoinVia.Password, request.JoinCode) is { } closed)
        {
            return Refuse(StatusCodes.Status403Forbidden, closed);
        }

        if (string.IsNullOrWhiteSpace(request.Email))
        {
            ModelState.AddModelError("email", "Enter your email address.");
        }

        if (string.IsNullOrEmpty(request.Password))
        {
            ModelState.AddModelError("password", "Enter a password.");
        }

        var displayName = ProfileChanges.NormalizeDisplayName(request.DisplayName, out var nameError);
        if (displayName is null)
        {
            ModelState.AddModelError("displayName", nameError!);
        }

        if (!ModelState.IsValid)
        {
            return Invalid();
        }

        var (result, user) = await registration.RegisterAsync(
            HttpContext, request.Email!.Trim(), displayName!, request.Password!, joinCode: request.JoinCode);
        if (result.Errors.FirstOrDefault(e => e.Code == AccountRegistration.ClosedCode) is { } refused)
        {
            return Refuse(StatusCodes.Status403Forbidden, refused.Description);
        }

        if (result.Errors.Any(e => e.Code is nameof(IdentityErrorDescriber.DuplicateEmail) or nameof(IdentityErrorDescriber.DuplicateUserName)))
        {
            return Refuse(
                StatusCodes.Status409Conflict,
                "An account with this email address already exists. Sign in with POST /api/v1/auth/login, or reset the password from the sign-in page.");
        }

        foreach (var error in result.Errors)
        {
            var field = error.Code.StartsWith("Password", StringComparison.Ordinal) ? "password"
                : error.Code is nameof(IdentityErrorDescriber.InvalidEmail) or nameof(IdentityErrorDescriber.InvalidUserName)
                    or AccountRegistration.DomainCode ? "email"
                : string.Empty;
            ModelState.AddModelError(field, error.Description);
        }

        return result.Succeeded ? Created($"/api/v1/users/{user.Id}", MeJson.From(user, app.Value)) : Invalid();
    }

    // Identity's bearer handler writes {tokenType, accessToken, expiresIn, refreshToken} itself.
    [HttpPost("login")]
    [ProducesResponseType<AccessTokenResponse>(StatusCodes.Status200OK)]
    public async Task<IActionResult> Login(LoginRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.Email) || string.IsNullOrEmpty(request.Password))
        {
            return Invalid(string.IsNullOrWhiteSpace(request.Email) ? "email" : "password", "Send both email and password.");
        }

        signIn.AuthenticationScheme = IdentityConstants.BearerScheme;
        var result = await signIn.PasswordSignInAsync(request.Email.Trim(), request.Password, isPersistent: false, lockoutOnFailure: true);
        if (result.RequiresTwoFactor && !string.IsNullOrEmpty(request.TwoFactorCode))
        {
            result = await signIn.TwoFactorAuthenticatorSignInAsync(request.TwoFactorCode, isPersistent: false, rememberClient: false);
        }
        else if (result.RequiresTwoFactor && !string.IsNullOrEmpty(request.TwoFactorRecoveryCode))
        {
            result = await signIn.TwoFactorRecoveryCodeSignInAsync(request.TwoFactorRecoveryCode);
        }

        return result switch
        {
            { Succeeded: true } => new EmptyResult(),
            { IsLockedOut: true } => Refuse(
                StatusCodes.Status403Forbidden, "This account is locked for a few minutes after too many failed sign-ins. Try again later."),
            { IsNotAllowed: true } when PasswordSignIn.WasDeactivated(HttpContext) => Refuse(
                StatusCodes.Status403Forbidden, PasswordSignIn.DeactivatedMessage),
            { IsNotAllowed: true } when PasswordSignIn.WasRefused(HttpContext) => Refuse(
                StatusCodes.Status403Forbidden, PasswordSignIn.RefusedMessage(singleSignOn.Value)),
            { IsNotAllowed: true } => Refuse(
                StatusCodes.Status403Forbidden, "This account may not sign in until its email address is confirmed: use the link that was sent to it."),
            { RequiresTwoFactor: true } => Refuse(
                StatusCodes.Status401Unauthorized,
                "This account uses two-factor sign-in: send twoFactorCode (from the authenticator app) or twoFactorRecoveryCode as well."),
            _ => Refuse(StatusCodes.Status401Unauthorized, ChatSignInManager.FailureMessage(signIn.Options)),
        };
    }

    // A refresh token is single-use: the answer carries the next one (RefreshTokens).
    [HttpPost("refresh")]
    [ProducesResponseType<AccessTokenResponse>(StatusCodes.Status200OK)]
    public async Task<IActionResult> Refresh(RefreshRequest request)
    {
        if (string.IsNullOrEmpty(request.RefreshToken))
        {
            return Invalid("refreshToken", "Send the refreshToken from the last sign-in or refresh.");
        }

        return await refreshTokens.RedeemAsync(request.RefreshToken) is ({ } user, var properties)
            ? SignIn(await signIn.CreateUserPrincipalAsync(user), properties, IdentityConstants.BearerScheme)
            : Refuse(
                StatusCodes.Status401Unauthorized,
                "This refresh token is no longer valid: it was already used (each works once; use the one the last refresh returned), "
                + "it has expired, or the password changed or the account was locked or removed since it was issued. "
                + "Sign in again with POST /api/v1/auth/login.");
    }
}

// JoinCode: the code of the join link, when joining needs one (registration mode "invite").
public sealed record RegisterRequest(string? Email, string? Password, string? DisplayName, string? JoinCode = null);

public sealed record LoginRequest(string? Email, string? Password, string? TwoFactorCode = null, string? TwoFactorRecoveryCode = null);

public sealed record RefreshRequest(string? RefreshToken);
