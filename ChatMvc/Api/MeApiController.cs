using ChatMvc.Accounts;
using ChatMvc.Chat;
using ChatMvc.Images;
using ChatMvc.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.Extensions.Options;

namespace ChatMvc.Api;

// The signed-in person's own account: profile, picture, deletion.
[Route("api/v1/users/me")]
[Tags("Users")]
public sealed class MeApiController(
    UserManager<ChatUser> users, SignInManager<ChatUser> signIn, ProfileChanges profiles, ImageService images, IOptions<AppOptions> app)
    : ApiController
{
    [HttpGet("")]
    public async Task<ActionResult<MeJson>> Me() =>
        await users.GetUserAsync(User) is { } user ? MeJson.From(user, app.Value) : AccountGone();

    [HttpPut("")]
    public async Task<ActionResult<MeJson>> Update(UpdateProfileRequest request)
    {
        var name = ProfileChanges.NormalizeDisplayName(request.DisplayName, out var error);
        if (name is null)
        {
            return Invalid("displayName", error!);
        }

        string? zoneError = null;
        var zone = request.TimeZone is null ? null : TimeZones.Normalize(request.TimeZone, out zoneError);
        if (zoneError is not null)
        {
            return Invalid("timeZone", zoneError);
        }

        if (await users.GetUserAsync(User) is not { } user)
        {
            return AccountGone();
        }

        var result = await profiles.UpdateAsync(user, name, zone);
        if (!result.Succeeded)
        {
            return Refuse(StatusCodes.Status409Conflict, string.Join(" ", result.Errors.Select(e => e.Description)));
        }

        // The cookie carries the display name and zone; a bearer token picks up the new ones at its next refresh.
        if (!await IsBearerAsync())
        {
            await signIn.RefreshSignInAsync(user);
        }

        return MeJson.From(user, app.Value);
    }

    // As on the account page, deleting needs the password: a token that leaked is not enough.
    [HttpDelete("")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    public async Task<IActionResult> Delete([FromBody(EmptyBodyBehavior = EmptyBodyBehavior.Allow)] DeleteAccountRequest? request)
    {
        if (await users.GetUserAsync(User) is not { } user)
        {
            return AccountGone();
        }

        if (await users.HasPasswordAsync(user)
            && (string.IsNullOrEmpty(request?.Password) || !await users.CheckPasswordAsync(user, request.Password)))
        {
            return Invalid("password", "Send the account's current password as {\"password\": \"...\"} to delete it.");
        }

        var result = await users.DeleteAsync(user);
        if (!result.Succeeded)
        {
            return Refuse(StatusCodes.Status409Conflict, string.Join(" ", result.Errors.Select(e => e.Description)));
        }

        if (!await IsBearerAsync())
        {
            await signIn.SignOutAsync();
        }

        return NoContent();
    }

    [HttpPut("image")]
    [RequestSizeLimit(ApiController.UploadBodyLimit)]
    public async Task<ActionResult<MeJson>> UpdateImage(IFormFile? file)
    {
        if (file is not { Length: > 0 })
        {
            return Invalid("file", "Attach the picture as the multipart/form-data field \"file\".");
        }

        await using (var content = file.OpenReadStream())
        {
            var upload = await images.StoreAvatarAsync(CurrentUserId, content, HttpContext.RequestAborted);
            if (upload.Rejection is { } rejection)
            {
                return RefuseImage(rejection.Reason, rejection.Message);
            }
        }

        return await users.GetUserAsync(User) is { } user ? MeJson.From(user, app.Value) : AccountGone();
    }

    [HttpDelete("image")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    public async Task<IActionResult> RemoveImage()
    {
        await images.RemoveAvatarAsync(CurrentUserId);
        return NoContent();
    }

    private ObjectResult AccountGone() =>
        Refuse(StatusCodes.Status401Unauthorized, "The account this token was issued for no longer exists.");
}

// Without timeZone (an IANA id such as Europe/London) the zone stays as it is.
public sealed record UpdateProfileRequest(string? DisplayName, string? TimeZone = null);

public sealed record DeleteAccountRequest(string? Password);
